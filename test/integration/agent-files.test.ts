// Acceptance (issue 14, files API): a task that keeps writing to stdout, read through the agent's
// /files/* endpoints and its operator API while it writes, checked byte for byte against the file
// on disk; and the paths that must never give a byte (`..`, a symlink out, another absolute path).
import { openSync, readSync, closeSync, symlinkSync } from 'node:fs';
import { expect } from 'chai';
import { TestCluster } from '../support/cluster';
import { eventually } from '../support/eventually';
import { RawScheduler, type Json } from '../support/raw-scheduler';

/** The bytes the file holds at [offset, offset+length), read from disk. */
function onDisk(path: string, offset: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const n = readSync(fd, buf, 0, length, offset);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

describe('agent files API against a task that is still writing', function () {
  this.timeout(90_000);
  const cluster = new TestCluster({ agents: 1 });
  let scheduler: RawScheduler;
  let base: string;
  let sandbox: string;
  let latest: string;
  let frameworkId: string;
  const taskId = 'files-writer';

  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`);
    return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
  };
  const read = async (path: string, params: string) => {
    const res = await get(`/files/read?path=${encodeURIComponent(path)}&${params}`);
    expect(res.status, res.body.toString()).to.equal(200);
    return JSON.parse(res.body.toString('utf8')) as { data: string; offset: number };
  };
  const operator = async (body: Json) => {
    const res = await fetch(`${base}/api/v1`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, text: await res.text() };
  };

  before(async () => {
    await cluster.start();
    base = `http://127.0.0.1:${cluster.agents[0]!.port}`;
    scheduler = new RawScheduler(cluster.masterUrl, true);
    await scheduler.subscribe({ user: 'root', name: 'files-test', failover_timeout: 60, checkpoint: true });
    const offers = await scheduler.next((e) => e.type === 'OFFERS', 'no OFFERS');
    frameworkId = scheduler.frameworkId!;
    const offer = offers.offers.offers[0] as Json;
    // A 100 000-byte burst (more than one capped read), then a line every 10 ms for a long while.
    const command = "head -c 100000 /dev/zero | tr '\\0' x; echo; for i in $(seq 1 100000); do echo line-$i; sleep 0.01; done";
    const accepted = await scheduler.call({
      type: 'ACCEPT',
      accept: {
        offer_ids: [offer.id],
        operations: [{ type: 'LAUNCH', launch: { task_infos: [{
          name: 'writer', task_id: { value: taskId }, agent_id: offer.agent_id,
          resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 32 } }],
          command: { value: command },
        }] } }],
      },
    });
    expect(accepted.status).to.equal(202);
    await scheduler.next((e) => e.type === 'UPDATE' && e.update.status.state === 'TASK_RUNNING', 'no TASK_RUNNING', 30_000);
    sandbox = await eventually(async () => {
      const state = (await (await fetch(`${base}/state`)).json()) as Json;
      const executor = state.frameworks.find((f: Json) => f.id === frameworkId)?.executors.find((e: Json) => e.id === taskId);
      return executor?.directory as string | undefined;
    }, { message: 'the executor directory never showed in the agent state' });
    latest = `/frameworks/${frameworkId}/executors/${taskId}/runs/latest`;
    // Past the burst and into the lines before the reads start.
    await eventually(async () => (await read(`${sandbox}/stdout`, 'offset=-1')).offset > 100_500, { timeoutMs: 30_000, message: 'stdout never passed the burst' });
  });
  after(async () => {
    scheduler?.disconnect();
    await cluster.stop();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(cluster.logs());
  });

  it('offset=-1 answers the size and no data, and the size grows', async () => {
    const first = await read(`${sandbox}/stdout`, 'offset=-1');
    expect(first.data).to.equal('');
    await eventually(async () => (await read(`${sandbox}/stdout`, 'offset=-1')).offset > first.offset, { message: 'stdout did not grow' });
  });

  it('reads exactly the bytes at an offset and length while the task writes, on every path that names the file', async () => {
    for (const path of [`${sandbox}/stdout`, `${latest}/stdout`, `${sandbox}/./stdout`, `file://${sandbox}/stdout`]) {
      const size = (await read(path, 'offset=-1')).offset;
      for (const [offset, length] of [[0, 100], [99_990, 40], [size - 64, 64], [size - 10, 5000]] as const) {
        const got = await read(path, `offset=${offset}&length=${length}`);
        expect(got.offset).to.equal(offset);
        expect(got.data.length).to.be.at.most(length);
        expect(got.data.length, `${path} @${offset}`).to.be.at.least(Math.min(length, size - offset));
        expect(Buffer.from(got.data, 'utf8').equals(onDisk(`${sandbox}/stdout`, offset, got.data.length)), `${path} @${offset}+${length}`).to.equal(true);
      }
    }
    const tail = await read(`${sandbox}/stdout`, 'offset=100001&length=30');
    expect(tail.data).to.match(/^line-1\nline-2\n/);
  });

  it('caps a read at 16 pages (65536 bytes) and answers a read past the end with no data at that offset', async () => {
    const whole = await read(`${sandbox}/stdout`, 'offset=0');
    expect(whole.data.length).to.equal(65536);
    expect(whole.data).to.equal('x'.repeat(65536));
    const asked = await read(`${sandbox}/stdout`, 'offset=0&length=1000000');
    expect(asked.data.length).to.equal(65536);
    const far = await read(`${sandbox}/stdout`, 'offset=1000000000&length=10');
    expect(far).to.deep.equal({ data: '', offset: 1_000_000_000 });
  });

  it('browse lists stdout and stderr in Mesos\' entry shape, sorted, under the real and the latest path', async () => {
    for (const dir of [sandbox, latest, `${sandbox}/`]) {
      const res = await get(`/files/browse?path=${encodeURIComponent(dir)}`);
      expect(res.status).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('application/json');
      const listing = JSON.parse(res.body.toString()) as Json[];
      const paths = listing.map((e) => e.path);
      expect(paths).to.deep.equal([...paths].sort());
      const prefix = dir.replace(/\/$/, '');
      expect(paths).to.include.members([`${prefix}/stdout`, `${prefix}/stderr`]);
      const stdout = listing.find((e) => e.path === `${prefix}/stdout`)!;
      expect(Object.keys(stdout).sort()).to.deep.equal(['gid', 'mode', 'mtime', 'nlink', 'path', 'size', 'uid']);
      expect(stdout.mode).to.match(/^-[rwx-]{9}$/);
      expect(stdout.size).to.be.above(100_000);
      expect(stdout.mtime).to.be.a('number');
      expect(stdout.uid).to.be.a('string');
    }
    expect((await get(`/slave(1)/files/browse?path=${encodeURIComponent(sandbox)}`)).status).to.equal(200);
  });

  it('download streams the file as an attachment, the bytes it holds', async () => {
    const res = await get(`/files/download?path=${encodeURIComponent(`${sandbox}/stdout`)}`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('application/octet-stream');
    expect(res.headers.get('content-disposition')).to.equal('attachment; filename=stdout');
    expect(res.body.length).to.be.above(100_000);
    expect(res.body.equals(onDisk(`${sandbox}/stdout`, 0, res.body.length))).to.equal(true);
  });

  it('debug lists the attached sandbox under its real path and both latest names', async () => {
    const debug = JSON.parse((await get('/files/debug')).body.toString()) as Record<string, string>;
    expect(debug[sandbox]).to.equal(sandbox);
    expect(debug[latest]).to.equal(sandbox);
    expect(debug[`${sandbox.replace(/\/[^/]+$/, '')}/latest`]).to.equal(sandbox);
  });

  it('refuses `..`, a symlink out of the sandbox and an absolute path elsewhere, with no byte of them', async () => {
    symlinkSync('/etc/passwd', `${sandbox}/passwd-link`);
    symlinkSync('/etc', `${sandbox}/etc-link`);
    const refused: Array<[string, number]> = [
      [`${sandbox}/../../../../../../../../../../etc/passwd`, 400],
      [`${latest}/../../../../../../etc/passwd`, 400],
      [`${sandbox}/passwd-link`, 400],
      [`${sandbox}/etc-link/passwd`, 400],
      ['/etc/passwd', 404],
      [`${sandbox.replace(/\/[^/]+$/, '')}`, 404],
    ];
    for (const [path, status] of refused) {
      for (const endpoint of ['read', 'download', 'browse']) {
        const res = await get(`/files/${endpoint}?path=${encodeURIComponent(path)}&offset=0`);
        const body = res.body.toString();
        expect(res.status, `${endpoint} ${path}: ${body}`).to.equal(status);
        expect(body, `${endpoint} ${path}`).not.to.include('root:');
        if (status === 400) expect(body).to.match(/is inaccessible\.\n$/);
      }
      const viaApi = await operator({ type: 'READ_FILE', read_file: { path, offset: 0 } });
      expect(viaApi.status, `READ_FILE ${path}`).to.equal(status);
      expect(viaApi.text).not.to.include('root:');
    }
  });

  it('the operator READ_FILE returns the same bytes as /files/read, and LIST_FILES lists the sandbox', async () => {
    const size = (await read(`${sandbox}/stdout`, 'offset=-1')).offset;
    const offset = size - 300;
    const viaFiles = await read(`${sandbox}/stdout`, `offset=${offset}&length=200`);
    const res = await operator({ type: 'READ_FILE', read_file: { path: `${latest}/stdout`, offset, length: 200 } });
    expect(res.status, res.text).to.equal(200);
    const reply = JSON.parse(res.text) as Json;
    expect(reply.type).to.equal('READ_FILE');
    expect(reply.read_file.size).to.be.at.least(size);
    expect(Buffer.from(reply.read_file.data, 'base64').toString('utf8')).to.equal(viaFiles.data);

    const listed = await operator({ type: 'LIST_FILES', list_files: { path: sandbox } });
    expect(listed.status, listed.text).to.equal(200);
    const list = JSON.parse(listed.text) as Json;
    expect(list.type).to.equal('LIST_FILES');
    const stdout = list.list_files.file_infos.find((f: Json) => f.path === `${sandbox}/stdout`);
    expect(stdout).to.include.keys('path', 'nlink', 'size', 'mtime', 'mode', 'uid', 'gid');
    expect(stdout.mtime.nanoseconds).to.be.a('number');
    expect(stdout.mode & 0o170000).to.equal(0o100000);

    const other = await operator({ type: 'GET_STATE' });
    expect(other).to.deep.equal({ status: 400, text: "Tepui's agent does not support the operator call 'GET_STATE' yet" });
  });
});
