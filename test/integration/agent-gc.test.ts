// Acceptance (issue 14, garbage collection): with a short --gc_delay, a finished executor's
// sandbox is removed (and /files stops serving it); a running executor's is never touched.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'chai';
import { mountPointsAtOrBelow, overlayMountsSupported, parseMountInfo } from '@tepui/agent';
import { TestCluster } from '../support/cluster';
import { eventually } from '../support/eventually';
import { RawScheduler, type Json } from '../support/raw-scheduler';

describe('agent garbage collection of sandboxes', function () {
  this.timeout(120_000);
  const cluster = new TestCluster({ agents: 1, agentFlags: () => ['--gc_delay=2secs', '--disk_watch_interval=1secs'] });
  let scheduler: RawScheduler;
  let base: string;
  let frameworkId: string;
  const usedOffers = new Set<string>();

  const state = async () => (await (await fetch(`${base}/state`)).json()) as Json;
  const executorDir = (s: Json, id: string): string | undefined => {
    const fw = [...(s.frameworks ?? []), ...(s.completed_frameworks ?? [])].find((f: Json) => f.id === frameworkId);
    return [...(fw?.executors ?? []), ...(fw?.completed_executors ?? [])].find((e: Json) => e.id === id)?.directory;
  };
  const launch = async (taskId: string, command: string, uris: Json[] = []) => {
    // `next` finds without consuming: take an offer not used yet.
    const offers = await scheduler.next((e) => e.type === 'OFFERS' && !usedOffers.has(e.offers.offers[0].id.value), 'no fresh OFFERS', 30_000);
    const offer = offers.offers.offers[0] as Json;
    usedOffers.add(offer.id.value);
    const accepted = await scheduler.call({
      type: 'ACCEPT',
      accept: {
        offer_ids: [offer.id],
        operations: [{ type: 'LAUNCH', launch: { task_infos: [{
          name: taskId, task_id: { value: taskId }, agent_id: offer.agent_id,
          resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 32 } }],
          command: { value: command, uris },
        }] } }],
        filters: { refuse_seconds: 0 },
      },
    });
    expect(accepted.status).to.equal(202);
  };

  before(async () => {
    await cluster.start();
    base = `http://127.0.0.1:${cluster.agents[0]!.port}`;
    scheduler = new RawScheduler(cluster.masterUrl, true);
    await scheduler.subscribe({ user: 'root', name: 'gc-test', failover_timeout: 60, checkpoint: true });
    frameworkId = scheduler.frameworkId!;
  });
  after(async () => {
    scheduler?.disconnect();
    await cluster.stop();
  });

  it("removes a finished executor's sandbox after --gc_delay and never a running one's", async () => {
    await launch('gc-sleeper', 'sleep 600');
    await scheduler.next((e) => e.type === 'UPDATE' && e.update.status.task_id.value === 'gc-sleeper' && e.update.status.state === 'TASK_RUNNING', 'no TASK_RUNNING for the sleeper', 30_000);
    const running = await eventually(async () => executorDir(await state(), 'gc-sleeper'), { message: 'no directory for the sleeper' });

    await launch('gc-done', 'echo done');
    await scheduler.next((e) => e.type === 'UPDATE' && e.update.status.task_id.value === 'gc-done' && e.update.status.state === 'TASK_FINISHED', 'no TASK_FINISHED', 30_000);
    const finished = await eventually(async () => executorDir(await state(), 'gc-done'), { message: 'no directory for the finished task' });
    expect(existsSync(finished), 'the finished sandbox right after the task ended').to.equal(true);

    await eventually(async () => !existsSync(finished) || undefined, { timeoutMs: 30_000, message: 'the finished sandbox was never removed' });
    // No run of the executor is left: its own directory (work and meta) goes too.
    const executorHome = dirname(dirname(finished));
    const metaHome = join(cluster.agents[0]!.workDir, 'meta', executorHome.slice(cluster.agents[0]!.workDir.length));
    await eventually(async () => (!existsSync(executorHome) && !existsSync(metaHome)) || undefined, { timeoutMs: 30_000, message: 'the executor directories were never removed' });
    // /state still lists the completed executor; its directory is no longer served.
    expect(executorDir(await state(), 'gc-done')).to.equal(finished);
    const read = await fetch(`${base}/files/read?path=${encodeURIComponent(`${finished}/stdout`)}&offset=0`);
    expect(read.status).to.equal(404);
    const browse = await fetch(`${base}/files/browse?path=${encodeURIComponent(finished)}`);
    expect(browse.status).to.equal(404);

    // Several gc passes later (the finished one is gone, the disk is watched every second), the running sandbox is intact.
    const stdout = await fetch(`${base}/files/read?path=${encodeURIComponent(`${running}/stdout`)}&offset=-1`);
    expect(stdout.status).to.equal(200);
    expect(existsSync(running)).to.equal(true);
  });

  it('unmounts a sandbox mounted over cached fetched files before removing it, and drops its layers', async function () {
    // Skipped where the agent cannot mount overlayfs (not root, no overlayfs in the kernel): there
    // fetched files are copied and there is no mount to take down. CI runs as root, so this runs.
    if (!(await overlayMountsSupported())) this.skip();
    const artifact = join(cluster.dir, 'artifact.txt');
    writeFileSync(artifact, 'fetched\n');
    await launch('gc-layered', 'cat artifact.txt && sleep 600', [{ value: artifact, cache: true }]);
    await scheduler.next((e) => e.type === 'UPDATE' && e.update.status.task_id.value === 'gc-layered' && e.update.status.state === 'TASK_RUNNING', 'no TASK_RUNNING for gc-layered', 30_000);
    const sandbox = await eventually(async () => executorDir(await state(), 'gc-layered'), { message: 'no directory for gc-layered' });
    const overlays = () => mountPointsAtOrBelow(parseMountInfo(readFileSync('/proc/self/mountinfo', 'utf8')), cluster.agents[0]!.workDir, 'overlay');
    const layersDir = join(cluster.agents[0]!.workDir, 'sandbox-layers');
    expect(overlays()).to.deep.equal([sandbox]);
    expect(readdirSync(layersDir)).to.have.length(1);

    // An agent killed and restarted recovers the executor and keeps its sandbox mounted and served.
    await cluster.agents[0]!.process.kill9();
    await cluster.restartAgent(0);
    await eventually(async () => executorDir(await state(), 'gc-layered') === sandbox, { message: 'the restarted agent did not recover gc-layered' });
    expect(overlays()).to.deep.equal([sandbox]);
    expect(readdirSync(layersDir)).to.have.length(1);
    const read = await fetch(`${base}/files/read?path=${encodeURIComponent(`${sandbox}/artifact.txt`)}&offset=0`);
    expect(((await read.json()) as { data: string }).data).to.equal('fetched\n');

    // Killed at once: a KILL reaching the master before the agent has re-registered is sent to the
    // agent again when it does, as Mesos' master does.
    const agentId = (await state()).id as string;
    expect((await scheduler.call({ type: 'KILL', kill: { task_id: { value: 'gc-layered' }, agent_id: { value: agentId } } })).status).to.equal(202);
    await scheduler.next((e) => e.type === 'UPDATE' && e.update.status.task_id.value === 'gc-layered' && e.update.status.state === 'TASK_KILLED', 'gc-layered was never killed', 30_000);
    await eventually(async () => !existsSync(sandbox) || undefined, { timeoutMs: 30_000, message: 'the layered sandbox was never removed' });
    expect(overlays()).to.deep.equal([]);
    expect(readdirSync(layersDir)).to.deep.equal([]);
  });

  it("removes a framework's directories once the framework is gone, and the running executor's sandbox with them", async () => {
    const running = executorDir(await state(), 'gc-sleeper')!;
    const frameworkHome = dirname(dirname(dirname(dirname(running))));
    expect(frameworkHome.endsWith(`/frameworks/${frameworkId}`)).to.equal(true);
    expect((await scheduler.call({ type: 'TEARDOWN' })).status).to.equal(202);
    await eventually(async () => !existsSync(frameworkHome) || undefined, { timeoutMs: 60_000, message: 'the framework directory was never removed' });
  });
});
