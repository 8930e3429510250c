// Acceptance (issue 14, usage statistics and sandbox directories): a command task burning CPU with
// a child holding memory, and a task group on the default executor holding memory, read through the
// agent's /monitor/statistics and operator GET_CONTAINERS with real processes; the master's state
// and operator API report the default executor's sandbox directory, the agent's own, again after the
// master restarts and the agent re-registers.
import { expect } from 'chai';
import { TestCluster } from '../support/cluster';
import { eventually } from '../support/eventually';
import { post, RawScheduler, type Json } from '../support/raw-scheduler';

const MIB = 1024 * 1024;
const scalar = (name: string, value: number) => ({ name, type: 'SCALAR', scalar: { value } });
/** A node process holding `mib` MiB of touched memory, doing nothing else. */
const holdMemory = (mib: number) => `'${process.execPath}' -e "globalThis.held = Buffer.alloc(${mib} * 1048576, 1); setInterval(() => {}, 1e9)"`;

describe('agent usage statistics and executor directories with real processes', function () {
  this.timeout(150_000);
  const cluster = new TestCluster({ agents: 1 });
  let scheduler: RawScheduler;
  let agentUrl: string;
  let frameworkId: string;
  const busyTask = 'usage-busy';
  const groupExecutor = 'usage-group-executor';
  const groupTask = 'usage-group-task';

  const statistics = async (path = '/monitor/statistics'): Promise<Json[]> => {
    const res = await fetch(`${agentUrl}${path}`);
    expect(res.status, path).to.equal(200);
    return (await res.json()) as Json[];
  };
  const entryOf = (entries: Json[], executorId: string): Json | undefined => entries.find((e) => e.executor_id === executorId);
  const agentExecutor = async (executorId: string): Promise<Json | undefined> => {
    const state = (await (await fetch(`${agentUrl}/state`)).json()) as Json;
    return state.frameworks.find((f: Json) => f.id === frameworkId)?.executors.find((e: Json) => e.id === executorId);
  };
  const masterState = async (): Promise<Json> => (await (await fetch(`${cluster.masterUrl}/master/state`)).json()) as Json;
  const masterExecutors = async (): Promise<Json[]> => (await masterState()).frameworks.find((f: Json) => f.id === frameworkId)?.executors ?? [];
  const operator = async (url: string, call: Json): Promise<Json> => {
    const res = await post(`${url}/api/v1`, JSON.stringify(call), { Accept: 'application/json' });
    expect(res.status, res.body).to.equal(200);
    return JSON.parse(res.body) as Json;
  };
  const running = (taskId: string) => scheduler.next(
    (e) => e.type === 'UPDATE' && e.update.status.task_id.value === taskId && e.update.status.state === 'TASK_RUNNING', `${taskId} never ran`, 45_000,
  );

  before(async () => {
    await cluster.start();
    agentUrl = `http://127.0.0.1:${cluster.agents[0]!.port}`;
    scheduler = new RawScheduler(cluster.masterUrl, true);
    await scheduler.subscribe({ user: 'root', name: 'usage-test', failover_timeout: 300, checkpoint: true });
    frameworkId = scheduler.frameworkId!;
    const offer = (await scheduler.next((e) => e.type === 'OFFERS', 'no OFFERS', 30_000)).offers.offers[0] as Json;
    // A 1 MiB file in the sandbox, a child holding 200 MiB, and the shell spinning in a loop. The
    // executors are node processes of 50–70 MiB: only a counted child takes a container past 200 MiB.
    const busy = `head -c 1048576 /dev/zero > blob; ${holdMemory(200)} & while :; do :; done`;
    const accepted = await scheduler.call({
      type: 'ACCEPT',
      accept: {
        offer_ids: [offer.id],
        operations: [
          { type: 'LAUNCH', launch: { task_infos: [{
            name: busyTask, task_id: { value: busyTask }, agent_id: offer.agent_id,
            resources: [scalar('cpus', 0.5), scalar('mem', 320), scalar('disk', 16)], command: { value: busy },
          }] } },
          { type: 'LAUNCH_GROUP', launch_group: {
            executor: { type: 'DEFAULT', executor_id: { value: groupExecutor }, resources: [scalar('cpus', 0.1), scalar('mem', 32)] },
            task_group: { tasks: [{
              name: groupTask, task_id: { value: groupTask }, agent_id: offer.agent_id,
              resources: [scalar('cpus', 0.2), scalar('mem', 224)], command: { value: `exec ${holdMemory(150)}` },
            }] },
          } },
        ],
      },
    });
    expect(accepted.status, accepted.body).to.equal(202);
    await running(busyTask);
    await running(groupTask);
  });
  after(async () => {
    scheduler?.disconnect();
    await cluster.stop();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') console.log(cluster.logs());
  });

  it("shows the busy command task's CPU time rising between two samples, and its child's memory", async () => {
    // The child has touched its 200 MiB; the shell's loop has been running since.
    const first = await eventually(async () => {
      const entry = entryOf(await statistics(), busyTask);
      return entry && entry.statistics.mem_rss_bytes > 200 * MIB ? entry : undefined;
    }, { timeoutMs: 30_000, message: "the busy task's memory never passed 200 MiB" });
    expect(first).to.deep.include({ executor_id: busyTask, framework_id: frameworkId, source: busyTask });
    expect(first.executor_name).to.match(/^Command Executor \(Task: usage-busy\)/);
    const s = first.statistics as Json;
    // The executor, the task's shell and the node child, at least.
    expect(s.processes).to.be.at.least(3);
    expect(s.threads).to.be.at.least(s.processes);
    expect(s.cpus_limit).to.equal(0.5);
    expect(s.mem_limit_bytes).to.equal(320 * MIB);
    expect(s.disk_limit_bytes).to.equal(16 * MIB);
    expect(s.timestamp).to.be.closeTo(Date.now() / 1000, 30);

    const second = await eventually(async () => {
      const entry = entryOf(await statistics(), busyTask);
      return entry && entry.statistics.cpus_user_time_secs + entry.statistics.cpus_system_time_secs >= s.cpus_user_time_secs + s.cpus_system_time_secs + 0.5 ? entry : undefined;
    }, { timeoutMs: 30_000, message: "the busy task's CPU time did not rise by half a second" });
    expect(second.statistics.timestamp).to.be.above(s.timestamp);
    expect(second.statistics.cpus_user_time_secs).to.be.above(s.cpus_user_time_secs);
  });

  it("counts the default executor's task (in its own process group) with the executor, within the group's limits", async () => {
    const entry = await eventually(async () => {
      const found = entryOf(await statistics(), groupExecutor);
      return found && found.statistics.mem_rss_bytes > 150 * MIB ? found : undefined;
    }, { timeoutMs: 30_000, message: "the group task's memory never showed under its executor" });
    expect(entry).to.deep.include({ framework_id: frameworkId });
    expect(entry.statistics.processes).to.be.at.least(2);
    expect(entry.statistics.cpus_limit).to.equal(0.3);
    expect(entry.statistics.mem_limit_bytes).to.equal(256 * MIB);
  });

  it('reports the bytes under the sandbox (sampled, so within an interval)', async () => {
    const entry = await eventually(async () => {
      const found = entryOf(await statistics(), busyTask);
      return found && found.statistics.disk_used_bytes >= MIB ? found : undefined;
    }, { timeoutMs: 45_000, intervalMs: 500, message: "the sandbox's 1 MiB blob never showed in disk_used_bytes" });
    expect(entry.statistics.disk_used_bytes).to.be.below(16 * MIB);
  });

  it('answers under .json, under /slave(1)/, and as jsonp', async () => {
    for (const path of ['/monitor/statistics.json', '/slave(1)/monitor/statistics', '/slave(1)/monitor/statistics.json']) {
      expect((await statistics(path)).map((e) => e.executor_id).sort(), path).to.deep.equal([busyTask, groupExecutor].sort());
    }
    const jsonp = await fetch(`${agentUrl}/monitor/statistics?jsonp=top`);
    expect(jsonp.headers.get('content-type')).to.equal('text/javascript');
    expect(await jsonp.text()).to.match(/^top\(\[.*\]\);$/s);
  });

  it('GET_CONTAINERS lists both containers with their ids, executor pids and statistics', async () => {
    const reply = await operator(agentUrl, { type: 'GET_CONTAINERS', get_containers: { show_nested: true } });
    expect(reply.type).to.equal('GET_CONTAINERS');
    const containers = reply.get_containers.containers as Json[];
    expect(containers.map((c) => c.executor_id.value).sort()).to.deep.equal([busyTask, groupExecutor].sort());
    for (const container of containers) {
      const executorId = container.executor_id.value as string;
      const fromState = (await agentExecutor(executorId))!;
      expect(container.framework_id).to.deep.equal({ value: frameworkId });
      expect(container.container_id).to.deep.equal({ value: fromState.container });
      expect(container.container_status.container_id).to.deep.equal({ value: fromState.container });
      expect(container.container_status.executor_pid).to.be.a('number');
      expect(container.resource_statistics.mem_rss_bytes, executorId).to.be.above(150 * MIB);
      expect(container.resource_statistics.cpus_user_time_secs).to.be.a('number');
    }
  });

  it("the master's state and operator API report the default executor's directory, the agent's own", async () => {
    const agentDirectory = (await agentExecutor(groupExecutor))!.directory as string;
    expect(agentDirectory).to.match(new RegExp(`/frameworks/${frameworkId}/executors/${groupExecutor}/runs/[^/]+$`));
    const listed = await eventually(async () => (await masterExecutors()).find((e) => e.executor_id === groupExecutor && e.directory !== ''), {
      message: "the master's state never showed the executor's directory",
    });
    expect(listed.directory).to.equal(agentDirectory);
    // As in Mesos, the master does not track the command executor the agent made for a command task.
    expect((await masterExecutors()).map((e) => e.executor_id)).to.not.include(busyTask);

    const executors = (await operator(cluster.masterUrl, { type: 'GET_EXECUTORS' })).get_executors.executors as Json[];
    expect(executors.find((e) => e.executor_info.executor_id.value === groupExecutor)?.directory).to.equal(agentDirectory);
    const state = (await operator(cluster.masterUrl, { type: 'GET_STATE' })).get_state;
    expect((state.get_executors.executors as Json[]).find((e) => e.executor_info.executor_id.value === groupExecutor)?.directory).to.equal(agentDirectory);

    // The directory the master names is one the agent's files API serves.
    const browse = await fetch(`${agentUrl}/files/browse?path=${encodeURIComponent(agentDirectory)}`);
    expect(browse.status).to.equal(200);
    expect(((await browse.json()) as Json[]).map((e) => e.path)).to.include(`${agentDirectory}/tasks`);
  });

  it('drops a killed task\'s executor from the statistics once it has ended', async () => {
    expect((await scheduler.call({ type: 'KILL', kill: { task_id: { value: busyTask } } })).status).to.equal(202);
    await scheduler.next((e) => e.type === 'UPDATE' && e.update.status.task_id.value === busyTask && e.update.status.state === 'TASK_KILLED', 'the busy task was not killed', 30_000);
    await eventually(async () => entryOf(await statistics(), busyTask) === undefined, { timeoutMs: 30_000, message: 'the killed executor stayed in /monitor/statistics' });
    const containers = ((await operator(agentUrl, { type: 'GET_CONTAINERS' })).get_containers.containers ?? []) as Json[];
    expect(containers.map((c) => c.executor_id.value)).to.deep.equal([groupExecutor]);
  });

  it('a restarted master learns the directory again from the re-registering agent', async () => {
    const agentDirectory = (await agentExecutor(groupExecutor))!.directory as string;
    scheduler.disconnect();
    await cluster.restartMaster();
    await cluster.waitForAgents(1);
    const listed = await eventually(async () => (await masterExecutors()).find((e) => e.executor_id === groupExecutor), {
      timeoutMs: 30_000, message: 'the re-registered agent never reported the executor',
    });
    expect(listed.directory).to.equal(agentDirectory);
  });
});
