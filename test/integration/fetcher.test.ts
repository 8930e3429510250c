// Acceptance (issue 14, the fetcher): Marathon apps whose `fetch` names a .tar.gz holding a
// script and a plain file marked executable, served by the test's own HTTP server (which counts
// requests); ten instances on one agent fetch each URI once. A 404, a server that stalls and a
// corrupt archive each fail their task with REASON_CONTAINER_LAUNCH_FAILED and a message naming
// the URI; the apps back off and nothing else stops.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { mountPointsAtOrBelow, overlayMountsSupported, parseMountInfo } from '@tepui/agent';
import { eventually } from '../support/eventually';
import { marathonSuite } from '../support/marathon';

interface MasterTask { task_id: { value: string }; state: string; statuses: Array<{ state: string; reason?: string; message?: string }> }

describe('the fetcher, through Marathon on a real agent', function () {
  this.timeout(180_000);
  const { cluster, marathon } = marathonSuite(1, { agentFlags: (i) => [`--hostname=127.0.0.${i + 2}`, '--fetcher_stall_timeout=2secs'] });
  const requests = new Map<string, number>();
  const stalled: ServerResponse[] = [];
  let server: Server;
  let base: string;

  before(async () => {
    const src = join(cluster.dir, 'artifact');
    mkdirSync(join(src, 'bin'), { recursive: true });
    writeFileSync(join(src, 'bin', 'run.sh'), '#!/bin/sh\necho "script ran: $(cat greeting.txt)"\n', { mode: 0o755 });
    writeFileSync(join(src, 'greeting.txt'), 'hello from the archive');
    execFileSync('tar', ['-czf', join(cluster.dir, 'app.tar.gz'), '-C', src, 'bin', 'greeting.txt']);
    const files: Record<string, Buffer> = {
      '/app.tar.gz': readFileSync(join(cluster.dir, 'app.tar.gz')),
      '/tool': Buffer.from('#!/bin/sh\necho "tool ran"\n'),
      '/corrupt.tar.gz': Buffer.from('\x1f\x8b\x08\x00 this started like gzip and then was not'),
    };
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      requests.set(path, (requests.get(path) ?? 0) + 1);
      const body = files[path];
      if (body) return void res.writeHead(200, { 'Content-Length': body.length }).end(body);
      if (path === '/stall.tar.gz') {
        res.writeHead(200, { 'Content-Length': 1_000_000 }).write(Buffer.alloc(1000));
        stalled.push(res);
        return;
      }
      res.writeHead(404).end('no such file');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const res of stalled) res.destroy();
    server?.closeAllConnections();
    await new Promise((r) => server?.close(r));
  });

  /** The operator API's tasks: unlike /master/state, their statuses carry reason and message. */
  const masterTasks = async (): Promise<MasterTask[]> => {
    const res = await fetch(`${cluster.masterUrl}/api/v1`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ type: 'GET_TASKS' }) });
    const body = (await res.json()) as { get_tasks: { tasks?: MasterTask[]; completed_tasks?: MasterTask[] } };
    return [...(body.get_tasks.tasks ?? []), ...(body.get_tasks.completed_tasks ?? [])];
  };
  const sandboxOf = async (taskId: string): Promise<string | undefined> => {
    const state = (await (await fetch(`http://127.0.0.1:${cluster.agents[0]!.port}/state`)).json()) as { frameworks: Array<{ executors: Array<{ id: string; directory: string }> }> };
    return state.frameworks.flatMap((f) => f.executors).find((e) => e.id === taskId)?.directory;
  };

  let fetchedTaskIds: string[] = [];

  it('runs a script from a fetched .tar.gz and an executable plain file; ten instances fetch each URI once', async () => {
    const app = {
      id: '/fetched', instances: 10, cpus: 0.01, mem: 16,
      // Each task changes a fetched file: sandboxes share the cache's files, never each other's changes.
      cmd: './bin/run.sh && ./tool && echo " changed by $MESOS_TASK_ID" >> greeting.txt && exec sleep 3600',
      fetch: [{ uri: `${base}/app.tar.gz`, cache: true }, { uri: `${base}/tool`, executable: true, cache: true }],
    };
    const res = await marathon.json('POST', '/v2/apps', app);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect((res.body as { fetch: unknown[] }).fetch).to.have.length(2);
    const running = await eventually(async () => {
      const tasks = await marathon.running('/fetched');
      return tasks.length === 10 ? tasks : undefined;
    }, { timeoutMs: 90_000, message: 'ten fetched instances did not run' });
    fetchedTaskIds = running.map((t) => t.id).sort();
    for (const task of running) {
      const stdout = await eventually(async () => {
        const dir = await sandboxOf(task.id);
        const text = dir ? readFileSync(join(dir, 'stdout'), 'utf8') : '';
        return text.includes('tool ran') ? text : undefined;
      }, { message: `task ${task.id} did not run the fetched script and tool` });
      expect(stdout).to.include('script ran: hello from the archive');
    }
    expect(requests.get('/app.tar.gz')).to.equal(1);
    expect(requests.get('/tool')).to.equal(1);
    const sandboxes = await Promise.all(running.map(async (task) => ({ id: task.id, dir: (await sandboxOf(task.id))! })));
    for (const { id, dir } of sandboxes) {
      await eventually(() => readFileSync(join(dir, 'greeting.txt'), 'utf8') === `hello from the archive changed by ${id}\n`, { message: `task ${id}'s greeting.txt holds its own change only` });
    }
    // As root with overlayfs (here), the cached files are not copied: each sandbox is mounted over them.
    if (await overlayMountsSupported()) {
      const mounted = mountPointsAtOrBelow(parseMountInfo(readFileSync('/proc/self/mountinfo', 'utf8')), cluster.dir, 'overlay');
      expect(mounted).to.include.members(sandboxes.map((s) => s.dir));
    }
  });

  it('fails the task of a 404, a stalled download and a corrupt archive, naming the URI; the apps back off; nothing else stops', async () => {
    const broken = { '/fetch-404': `${base}/missing.tar.gz`, '/fetch-stall': `${base}/stall.tar.gz`, '/fetch-corrupt': `${base}/corrupt.tar.gz` };
    for (const [id, uri] of Object.entries(broken)) {
      const res = await marathon.json('POST', '/v2/apps', { id, cmd: 'sleep 3600', cpus: 0.01, mem: 16, backoffSeconds: 60, fetch: [{ uri }] });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
    }
    const expected: Record<string, string> = { '/fetch-404': 'received HTTP return code 404', '/fetch-stall': 'stalled', '/fetch-corrupt': 'Failed to extract' };
    for (const [id, uri] of Object.entries(broken)) {
      const failed = await eventually(async () => (await masterTasks()).find((t) => t.task_id.value.startsWith(`${id.slice(1)}.`) && t.state === 'TASK_FAILED'), {
        timeoutMs: 60_000, message: `no failed task for ${id}`,
      });
      const last = failed.statuses[failed.statuses.length - 1]!;
      expect(last.reason, id).to.equal('REASON_CONTAINER_LAUNCH_FAILED');
      expect(last.message, id).to.match(/^Failed to launch container: Failed to fetch all URIs for container '[^']+': /);
      expect(last.message, id).to.include(`Failed to fetch '${uri}'`);
      expect(last.message, id).to.include(expected[id]);
      const lastTaskFailure = await eventually(async () => ((await marathon.json('GET', `/v2/apps${id}`)).body as { app: { lastTaskFailure?: { message: string } } }).app.lastTaskFailure);
      expect(lastTaskFailure.message).to.include(uri);
      // Marathon's backoff: the app waits before the next launch instead of retrying at once.
      await eventually(async () => {
        const queue = ((await marathon.json('GET', '/v2/queue')).body as { queue: Array<{ app: { id: string }; delay: { overdue: boolean; timeLeftSeconds: number } }> }).queue;
        const entry = queue.find((q) => q.app.id === id);
        return entry !== undefined && !entry.delay.overdue && entry.delay.timeLeftSeconds > 0;
      }, { message: `${id} was not backed off` });
    }
    expect((await masterTasks()).filter((t) => t.task_id.value.startsWith('fetch-404.')).length).to.equal(1);
    expect((await marathon.running('/fetched')).map((t) => t.id).sort()).to.deep.equal(fetchedTaskIds);
    for (const id of Object.keys(broken)) expect((await marathon.json('DELETE', `/v2/apps${id}?force=true`)).status).to.equal(200);
  });
});
