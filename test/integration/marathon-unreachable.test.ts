// unreachableStrategy on a real cluster: when an agent goes away, its task is TASK_UNREACHABLE;
// Marathon keeps counting it until inactiveAfterSeconds, then launches a replacement elsewhere, and
// still lists the unreachable instance until expungeAfterSeconds.
import { expect } from 'chai';
import { eventually } from '../support/eventually';
import { marathonSuite } from '../support/marathon';

describe('Marathon unreachableStrategy on a real cluster', function () {
  this.timeout(90_000);
  const { cluster, marathon } = marathonSuite(2, { masterFlags: ['--agent_ping_timeout=200ms', '--max_agent_ping_timeouts=3'] });

  it('replaces an unreachable task only after inactiveAfterSeconds', async () => {
    const app = { id: '/partition/web', cmd: 'sleep 600', cpus: 0.1, mem: 16, instances: 1, unreachableStrategy: { inactiveAfterSeconds: 4, expungeAfterSeconds: 600 } };
    expect((await marathon.json('POST', '/v2/apps', app)).status).to.equal(201);
    const [task] = await eventually(async () => {
      const running = await marathon.running(app.id);
      return running.length === 1 ? running : undefined;
    }, { message: 'the task did not run' });
    const port = Number((await cluster.state()).slaves.find((s) => s.id === task!.slaveId)!.pid.split(':').pop());
    await cluster.agents.find((a) => a.port === port)!.process.kill9();

    const unreachableAt = await eventually(async () => {
      const tasks = await marathon.tasks(app.id);
      return tasks.some((t) => t.id === task!.id && t.state === 'TASK_UNREACHABLE') ? Date.now() : undefined;
    }, { timeoutMs: 20_000, message: 'the task was not reported unreachable' });
    // Still counted: nothing waits to replace it yet.
    const queueNow = ((await marathon.json('GET', '/v2/queue')).body as { queue: Array<{ app: { id: string } }> }).queue;
    expect(queueNow.map((q) => q.app.id)).to.not.include(app.id);

    const replacement = await eventually(async () => (await marathon.running(app.id)).find((t) => t.id !== task!.id), {
      timeoutMs: 30_000, message: 'no replacement after inactiveAfterSeconds',
    });
    expect(Date.now() - unreachableAt).to.be.at.least(2_000);
    expect(replacement.slaveId).to.not.equal(task!.slaveId);
    const listed = await marathon.tasks(app.id);
    expect(listed.find((t) => t.id === task!.id)?.state, 'the unreachable instance is remembered until expungeAfterSeconds').to.equal('TASK_UNREACHABLE');
  });

  it('finishes a DELETE while the agent under the task does not answer, and kills the task when the agent is back', async () => {
    const app = { id: '/held/web', cmd: 'sleep 600', cpus: 0.1, mem: 16, instances: 1 };
    expect((await marathon.json('POST', '/v2/apps', app)).status).to.equal(201);
    const [task] = await eventually(async () => {
      const running = await marathon.running(app.id);
      return running.length === 1 ? running : undefined;
    }, { message: 'the task did not run' });
    await marathon.waitForDeployments('the app did not deploy');
    const port = Number((await cluster.state()).slaves.find((s) => s.id === task!.slaveId)!.pid.split(':').pop());
    const agent = cluster.agents.find((a) => a.port === port)!;
    agent.process.child.kill('SIGSTOP'); // held: it neither answers the kill nor its pings
    try {
      expect((await marathon.json('DELETE', `/v2/apps${app.id}`)).status).to.equal(200);
      const waiting = await eventually(async () => {
        const deployments = (await marathon.json('GET', '/v2/deployments')).body as Array<{ currentActions: Array<{ app: string; waitingFor?: { instances: Array<{ taskId: string; state: string; goal: string; until: string }> } }> }>;
        return deployments.flatMap((d) => d.currentActions).find((a) => a.app === app.id)?.waitingFor?.instances.find((i) => i.taskId === task!.id);
      }, { timeoutMs: 10_000, message: '/v2/deployments did not show the instance the stop waits for' });
      expect(waiting).to.include({ goal: 'Decommissioned', until: 'terminal' });
      await marathon.waitForDeployments('the DELETE waited on an agent that does not answer', 30_000);
    } finally {
      agent.process.child.kill('SIGCONT');
    }
    // Back again, the agent reports the task running; Marathon no longer knows it and kills it.
    await eventually(async () => {
      const state = await cluster.state();
      const framework = state.frameworks.find((f) => f.name === 'marathon');
      return framework !== undefined && !framework.tasks.some((t) => t.id === task!.id) && framework.completed_tasks.some((t) => t.id === task!.id && t.state === 'TASK_KILLED');
    }, { timeoutMs: 30_000, message: 'the task of the deleted app kept running once its agent was back' });
  });
});
