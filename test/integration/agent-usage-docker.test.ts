// Acceptance (issue 14, usage statistics of Docker tasks): a DOCKER task copying /dev/zero through a
// 100 MiB buffer on a private Docker Engine. Its container's processes live under the engine's shim,
// not under the agent's Docker executor, so the CPU time that rises and the memory past the
// executor's own can only come from the engine's container statistics.
import { expect } from 'chai';
import { BUSYBOX_IMAGE, TestDocker } from '../support/docker';
import { TestCluster } from '../support/cluster';
import { eventually } from '../support/eventually';
import { removeDir, tempDir } from '../support/processes';
import { post, RawScheduler, type Json } from '../support/raw-scheduler';

const MIB = 1024 * 1024;
const DOCKER_EXECUTOR = 'tepui-docker-executor';
const scalar = (name: string, value: number) => ({ name, type: 'SCALAR', scalar: { value } });

describe('agent usage statistics of a Docker task on a real Docker Engine', function () {
  this.timeout(180_000);
  const dir = tempDir('usage-docker');
  const docker = new TestDocker(dir);
  const previousHost = process.env.DOCKER_HOST;
  let cluster: TestCluster;
  let scheduler: RawScheduler;
  let agentUrl: string;

  const dockerEntry = async (): Promise<Json | undefined> =>
    ((await (await fetch(`${agentUrl}/monitor/statistics`)).json()) as Json[]).find((e) => e.executor_id === DOCKER_EXECUTOR);

  before(async () => {
    await docker.start();
    await docker.importBusybox();
    process.env.DOCKER_HOST = docker.host; // the agent started next inherits it
    cluster = new TestCluster({ agents: 1 });
    await cluster.start();
    agentUrl = `http://127.0.0.1:${cluster.agents[0]!.port}`;
    scheduler = new RawScheduler(cluster.masterUrl, true);
    await scheduler.subscribe({ user: 'root', name: 'usage-docker', failover_timeout: 60 });
    const offer = (await scheduler.next((e) => e.type === 'OFFERS', 'no OFFERS', 30_000)).offers.offers[0] as Json;
    const accepted = await scheduler.call({
      type: 'ACCEPT',
      accept: {
        offer_ids: [offer.id],
        operations: [{ type: 'LAUNCH', launch: { task_infos: [{
          name: 'zero-copier', task_id: { value: 'zero-copier' }, agent_id: offer.agent_id,
          resources: [scalar('cpus', 0.5), scalar('mem', 256)],
          command: { value: 'dd if=/dev/zero of=/dev/null bs=100M count=1000000000' },
          container: { type: 'DOCKER', docker: { image: BUSYBOX_IMAGE, network: 'HOST' } },
        }] } }],
      },
    });
    expect(accepted.status, accepted.body).to.equal(202);
    await scheduler.next((e) => e.type === 'UPDATE' && e.update.status.state === 'TASK_RUNNING', 'the Docker task never ran', 90_000);
  });
  after(async () => {
    scheduler?.disconnect();
    await cluster?.stop();
    if (previousHost === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = previousHost;
    await docker.stop();
    removeDir(dir);
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(cluster.logs());
  });

  it("reports the container's CPU time rising and its 100 MiB buffer, within the task's limits", async () => {
    // The executor (a node process of 50–70 MiB) is counted too; only the container's buffer takes the total past 150 MiB.
    const first = await eventually(async () => {
      const entry = await dockerEntry();
      return entry && entry.statistics.mem_rss_bytes > 150 * MIB ? entry : undefined;
    }, { timeoutMs: 60_000, message: "the container's buffer never showed in mem_rss_bytes" });
    const s = first.statistics as Json;
    expect(s.cpus_limit).to.equal(0.5);
    expect(s.mem_limit_bytes).to.equal(256 * MIB);
    expect(s.threads).to.be.a('number');
    const cpu = (stats: Json) => stats.cpus_user_time_secs + stats.cpus_system_time_secs;
    await eventually(async () => {
      const entry = await dockerEntry();
      return entry && cpu(entry.statistics) >= cpu(s) + 0.3;
    }, { timeoutMs: 30_000, message: "the container's CPU time did not rise" });

    const reply = await post(`${agentUrl}/api/v1`, JSON.stringify({ type: 'GET_CONTAINERS' }), { Accept: 'application/json' });
    expect(reply.status, reply.body).to.equal(200);
    const container = (JSON.parse(reply.body).get_containers.containers as Json[]).find((c) => c.executor_id.value === DOCKER_EXECUTOR);
    expect(container?.resource_statistics.mem_rss_bytes).to.be.above(150 * MIB);
  });
});
