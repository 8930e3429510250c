import { expect } from 'chai';
import { clusterView, decodeClusterState } from './cluster';
import { amountsOfResources, applyOperatorEvent } from './cluster-patch';

const scalar = (name: string, value: number) => ({ name, type: 'SCALAR', scalar: { value } });
const ports = (begin: number, end: number) => ({ name: 'ports', type: 'RANGES', ranges: { range: [{ begin, end }] } });

describe('cluster state patched by operator events', () => {
  const base = decodeClusterState({
    slaves: [{ id: 'A1', hostname: 'node-a', resources: { cpus: 4, mem: 4096, disk: 100, ports: '[20000-20999]' }, used_resources: { cpus: 0.5, mem: 64 } }],
    frameworks: [{ id: 'F1', name: 'marathon', role: '*', active: true, used_resources: { cpus: 0.5, mem: 64 }, tasks: [{ id: 't0', framework_id: 'F1', slave_id: 'A1', state: 'TASK_RUNNING', resources: { cpus: 0.5, mem: 64 } }], offers: [] }],
  });
  const task = (id: string, state = 'TASK_STAGING') => ({
    type: 'TASK_ADDED',
    task_added: { task: { task_id: { value: id }, framework_id: { value: 'F1' }, agent_id: { value: 'A1' }, state, resources: [scalar('cpus', 0.25), scalar('mem', 32), ports(20005, 20006)] } },
  });
  const update = (id: string, state: string) => ({ type: 'TASK_UPDATED', task_updated: { framework_id: { value: 'F1' }, status: { task_id: { value: id } }, state } });

  it('reads Resource JSON: scalars summed, ports counted', () => {
    expect(amountsOfResources([scalar('cpus', 1), scalar('cpus', 0.5), ports(31000, 31009)])).to.deep.equal({ cpus: 1.5, ports: 10 });
  });

  it("holds an added task's resources on its agent and framework once, and gives them back on the first terminal update", () => {
    let state = applyOperatorEvent(base, task('t1'));
    state = applyOperatorEvent(state, task('t1')); // re-announced by a re-registering agent
    expect(state.agents[0]!.used).to.deep.equal({ cpus: 0.75, mem: 96, ports: 2 });
    expect(state.frameworks[0]).to.deep.include({ used: { cpus: 0.75, mem: 96, ports: 2 }, tasks: 2 });
    state = applyOperatorEvent(state, update('t1', 'TASK_RUNNING'));
    expect(state.agents[0]!.used.cpus).to.equal(0.75);
    state = applyOperatorEvent(state, update('t1', 'TASK_KILLED'));
    state = applyOperatorEvent(state, update('t1', 'TASK_KILLED'));
    expect(state.agents[0]!.used).to.deep.equal({ cpus: 0.5, mem: 64, ports: 0 });
    expect(state.frameworks[0]!.tasks).to.equal(1);
    // A task known from the state read gives its resources back too.
    state = applyOperatorEvent(state, update('t0', 'TASK_FINISHED'));
    expect(clusterView(state, {}).used).to.deep.include({ cpus: 0, mem: 0 });
  });

  it('adds and removes agents and frameworks, keeping what a known one holds', () => {
    let state = applyOperatorEvent(base, { type: 'AGENT_ADDED', agent_added: { agent: { active: true, agent_info: { id: { value: 'A0' }, hostname: 'node-0' }, total_resources: [scalar('cpus', 2), ports(1, 10)] } } });
    expect(state.agents.map((a) => a.id)).to.deep.equal(['A0', 'A1']);
    expect(state.agents[0]).to.deep.include({ total: { cpus: 2, ports: 10 }, used: {} });
    expect(clusterView(state, {}).total.cpus).to.equal(6);
    state = applyOperatorEvent(state, { type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: 'A1' } } });
    expect(state.agents.map((a) => a.id)).to.deep.equal(['A0']);
    state = applyOperatorEvent(state, { type: 'FRAMEWORK_UPDATED', framework_updated: { framework: { active: false, framework_info: { id: { value: 'F1' }, name: 'marathon', roles: ['web'] } } } });
    expect(state.frameworks[0]).to.deep.include({ active: false, roles: ['web'], tasks: 1, used: { cpus: 0.5, mem: 64 } });
    state = applyOperatorEvent(state, { type: 'FRAMEWORK_ADDED', framework_added: { framework: { active: true, framework_info: { id: { value: 'F2' }, name: 'batch' } } } });
    expect(state.frameworks.map((f) => f.id)).to.deep.equal(['F1', 'F2']);
    state = applyOperatorEvent(state, { type: 'FRAMEWORK_REMOVED', framework_removed: { framework_info: { id: { value: 'F1' } } } });
    expect(state.frameworks.map((f) => f.id)).to.deep.equal(['F2']);
  });

  it('ignores events it does not know and odd bodies', () => {
    expect(applyOperatorEvent(base, { type: 'HEARTBEAT' })).to.equal(base);
    expect(applyOperatorEvent(base, 'nonsense')).to.equal(base);
    expect(applyOperatorEvent(base, { type: 'TASK_UPDATED' })).to.equal(base);
  });
});
