import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import express from 'express';
import pino from 'pino';
import { ManualClock } from '@tepui/protocol';
import type { Instance } from '../instances/instance';
import { marathonErrorHandler } from './error-handler';
import { taskFilesRoutes } from './task-files-routes';

const listen = async (server: Server): Promise<string> => {
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

describe('task output through Marathon (GET /ui/api/tasks/{id}/files/read)', () => {
  const asked: string[] = [];
  const servers: Server[] = [];
  let url: string;
  let fileText = 'line 1\nline 2 ✓\n';
  const clock = new ManualClock(0);

  before(async () => {
    const agent = createServer((req, res) => {
      asked.push(`agent ${req.url}`);
      const u = new URL(req.url ?? '/', 'http://x');
      if (u.pathname === '/state') {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({
          frameworks: [{ executors: [{ id: 'web.1', directory: '/work/runs/r1', tasks: [{ id: 'web.1', executor_id: '' }] }] }],
        }));
        return;
      }
      if (u.searchParams.get('path') !== '/work/runs/r1/stdout') return void res.writeHead(404).end();
      const bytes = Buffer.from(fileText, 'utf8');
      const offset = Number(u.searchParams.get('offset'));
      const window = offset === -1 ? Buffer.alloc(0) : bytes.subarray(offset, offset + Number(u.searchParams.get('length')));
      // Raw bytes inside the JSON string, as Mesos' agent writes them.
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(Buffer.concat([Buffer.from('{"data":"'), Buffer.from(window.toString('latin1').replace(/\n/g, '\\n'), 'latin1'), Buffer.from(`","offset":${offset === -1 ? bytes.length : offset}}`)]));
    });
    const agentUrl = await listen(agent);
    const master = createServer((req, res) => {
      asked.push(`master ${req.url}`);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ slaves: [{ id: 'A1', pid: `slave(1)@${agentUrl.slice('http://'.length)}` }] }));
    });
    const masterUrl = await listen(master);
    const instance = { taskId: 'web.1', agentId: 'A1' } as Pick<Instance, 'taskId' | 'agentId'>;
    const app = express();
    app.use(taskFilesRoutes({ byTaskId: (id: string) => (id === 'web.1' ? (instance as Instance) : undefined) }, { leadingMaster: () => masterUrl, timeoutMs: 5_000, clock }));
    app.use(marathonErrorHandler(pino({ level: 'silent' })));
    const marathon = app.listen(0, '127.0.0.1');
    servers.push(agent, master, marathon);
    await new Promise((r) => marathon.once('listening', r));
    url = `http://127.0.0.1:${(marathon.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const s of servers) s.closeAllConnections();
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  });
  beforeEach(() => {
    asked.length = 0;
  });

  const read = async (query: string, taskId = 'web.1') => {
    const res = await fetch(`${url}/ui/api/tasks/${encodeURIComponent(taskId)}/files/read?${query}`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it("reads the size, then the task's stdout from its sandbox, asking the master and agent where it is only once", async () => {
    const size = Buffer.byteLength(fileText);
    expect(await read('file=stdout')).to.deep.equal({ status: 200, body: { data: '', offset: size, nextOffset: size } });
    expect(await read('file=stdout&offset=0&length=100')).to.deep.equal({ status: 200, body: { data: fileText, offset: 0, nextOffset: size } });
    expect(asked).to.deep.equal([
      'master /master/slaves', 'agent /state', 'agent /files/read?path=%2Fwork%2Fruns%2Fr1%2Fstdout&offset=-1&length=65536',
      'agent /files/read?path=%2Fwork%2Fruns%2Fr1%2Fstdout&offset=0&length=100',
    ]);
  });

  it('holds back a character the window cut, and the next read starts at it', async () => {
    const cut = Buffer.byteLength('line 1\nline 2 ✓') - 1;
    const first = await read(`file=stdout&offset=0&length=${cut}`);
    expect(first.body).to.deep.equal({ data: 'line 1\nline 2 ', offset: 0, nextOffset: cut - 2 });
    expect((await read(`file=stdout&offset=${cut - 2}&length=100`)).body.data).to.equal('✓\n');
  });

  it('looks again once the location expired', async () => {
    clock.advance(30_000);
    await read('file=stdout&offset=0&length=1');
    expect(asked[0]).to.equal('master /master/slaves');
  });

  it('reads nothing but stdout and stderr of a task Marathon knows', async () => {
    expect((await read('file=../../../etc/passwd')).status).to.equal(400);
    expect((await read('file=stdout&offset=-5')).status).to.equal(400);
    expect((await read('file=stdout', 'other.1')).status).to.equal(404);
    expect(asked).to.deep.equal([]);
    fileText = 'x';
    const stderr = await read('file=stderr&offset=0');
    expect(stderr.status, 'no stderr in this sandbox').to.equal(404);
    expect(stderr.body.message).to.contain('no stderr');
  });
});
