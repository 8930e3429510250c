import { expect } from 'chai';
import { ClusterView, type TaskKey } from './cluster-view';
import {
  agent, agentAdded, agentIdOf, agentRemoved, framework, FRAMEWORK_ID, frameworkAdded, frameworkRemoved, state, status, task,
  taskAdded, taskUpdated,
} from './record-fixtures';

const key = (taskId: string): TaskKey => ({ frameworkId: FRAMEWORK_ID, taskId });

function loaded(): ClusterView {
  const view = new ClusterView((host) => (host === 'agent-9.example.org' ? ['10.0.2.9'] : []), ['10.0.0.1:5050']);
  view.load(state({
    agents: [agent(3, '10.0.2.7'), agent(5, '10.0.2.8'), agent(9, 'agent-9.example.org')],
    tasks: [task({ id: 'a', agent: 3 }), task({ id: 'b', agent: 5 }), task({ id: 'done', state: 'TASK_FINISHED' })],
  }));
  return view;
}

describe('cluster view', () => {
  it('loads agents with their PID addresses, frameworks and non-terminal tasks', () => {
    const view = loaded();
    expect(view.agent(agentIdOf(3))).to.deep.include({ host: '10.0.2.7', ips: ['10.0.2.7'], port: 5051, hostname: 'agent-3' });
    // A PID naming a host: its addresses come from the injected resolver.
    expect(view.agent(agentIdOf(9))?.ips).to.deep.equal(['10.0.2.9']);
    expect(view.framework(FRAMEWORK_ID)).to.deep.include({ name: 'marathon', ips: ['10.0.0.2'], port: undefined });
    expect([...view.tasks()].map((t) => t.id).sort()).to.deep.equal(['a', 'b']);
    expect([...view.tasksOnAgent(agentIdOf(3))].map((t) => t.id)).to.deep.equal(['a']);
    expect(view.masters).to.deep.equal(['10.0.0.1:5050']);
  });

  it('falls back to the AgentInfo hostname and port when an agent has no PID', () => {
    const view = new ClusterView(() => []);
    view.load(state({ agents: [agent(1, 'x', { pid: undefined, agent_info: { id: { value: agentIdOf(1) }, hostname: '10.0.2.1', port: 5052 } })] }));
    expect(view.agent(agentIdOf(1))).to.deep.include({ host: '10.0.2.1', ips: ['10.0.2.1'], port: 5052 });
  });

  it('keeps statuses as the master does: a repeated state replaces the last status, a new one is appended', () => {
    const view = loaded();
    view.apply(taskUpdated('a', 'TASK_RUNNING', { healthy: true, timestamp: 2 }));
    expect(view.task(key('a'))?.statuses.map((s) => [s.state, s.timestamp])).to.deep.equal([['TASK_RUNNING', 2]]);
    expect(view.task(key('a'))?.healthy).to.equal(true);
    view.apply(taskUpdated('a', 'TASK_KILLING', { timestamp: 3 }));
    const a = view.task(key('a'));
    expect(a?.state).to.equal('TASK_KILLING');
    expect(a?.statuses.map((s) => s.state)).to.deep.equal(['TASK_RUNNING', 'TASK_KILLING']);
    // A status saying nothing about health keeps the last verdict.
    expect(a?.healthy).to.equal(true);
  });

  it('reports the task an update touched, and forgets a task once it is terminal', () => {
    const view = loaded();
    expect(view.apply(taskUpdated('a', 'TASK_FINISHED')).tasks).to.deep.equal([key('a')]);
    expect(view.task(key('a'))).to.equal(undefined);
    expect([...view.tasksOnAgent(agentIdOf(3))]).to.deep.equal([]);
    // An update for a task never added has nothing to publish.
    expect(view.apply(taskUpdated('never-added', 'TASK_RUNNING')).tasks).to.deep.equal([]);
  });

  it('adds tasks, replacing one added again', () => {
    const view = loaded();
    view.apply(taskAdded(task({ id: 'c', agent: 5, state: 'TASK_STAGING' })));
    view.apply(taskAdded(task({ id: 'c', agent: 3, state: 'TASK_STAGING' })));
    expect(view.task(key('c'))?.agentId).to.equal(agentIdOf(3));
    expect([...view.tasksOnAgent(agentIdOf(5))].map((t) => t.id)).to.deep.equal(['b']);
  });

  it('reports an agent added or removed with its tasks, and keeps the tasks of a removed agent', () => {
    const view = loaded();
    expect(view.apply(agentRemoved(3))).to.deep.equal({ agents: [agentIdOf(3)], frameworks: [], tasks: [key('a')] });
    expect(view.agent(agentIdOf(3))).to.equal(undefined);
    expect(view.task(key('a'))).to.not.equal(undefined);
    expect(view.apply(agentRemoved(3)).agents).to.deep.equal([]);
    expect(view.apply(agentAdded(agent(3, '10.0.2.70'))).tasks).to.deep.equal([key('a')]);
    expect(view.agent(agentIdOf(3))?.ips).to.deep.equal(['10.0.2.70']);
  });

  it('replaces a framework on FRAMEWORK_UPDATED and drops it and its tasks on FRAMEWORK_REMOVED', () => {
    const view = loaded();
    const change = view.apply({ type: 'FRAMEWORK_UPDATED', framework_updated: { framework: framework('marathon-prod') } });
    expect(change.frameworks).to.deep.equal([FRAMEWORK_ID]);
    expect(change.tasks).to.have.length(2);
    expect(view.framework(FRAMEWORK_ID)?.name).to.equal('marathon-prod');
    expect(view.apply(frameworkRemoved(framework())).tasks).to.have.length(2);
    expect(view.framework(FRAMEWORK_ID)).to.equal(undefined);
    expect([...view.tasks()]).to.deep.equal([]);
    expect(view.apply(frameworkAdded(framework('other', 'f2'))).frameworks).to.deep.equal(['f2']);
  });

  it('reports agents and frameworks whose names now resolve differently', () => {
    let known: readonly string[] = [];
    const view = new ClusterView((host) => (host === 'agent-9.example.org' ? known : []));
    view.load(state({ agents: [agent(9, 'agent-9.example.org')], tasks: [task({ id: 'a', agent: 9 })] }));
    expect(view.refreshAddresses()).to.deep.equal({ agents: [], frameworks: [], tasks: [] });
    known = ['10.0.2.9'];
    expect(view.refreshAddresses()).to.deep.equal({ agents: [agentIdOf(9)], frameworks: [], tasks: [key('a')] });
    expect(view.agent(agentIdOf(9))?.ips).to.deep.equal(['10.0.2.9']);
  });

  it('takes the health verdict of the newest status that has one when loading', () => {
    const view = new ClusterView(() => []);
    view.load(state({
      tasks: [task({ id: 'a', statuses: [status('a', 'TASK_STARTING', { healthy: false }), status('a', 'TASK_RUNNING', {})] })],
    }));
    expect(view.task(key('a'))?.healthy).to.equal(false);
  });
});
