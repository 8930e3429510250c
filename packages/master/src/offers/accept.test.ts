import { expect } from 'chai';
import { Resources, hostileBodies, schedulerCallDecoder, type OfferOperation, type Resource, type TaskInfo } from '@tepui/protocol';
import { planAccept } from './accept';
import type { TaskValidationContext } from './task-validation';

const scalar = (name: string, value: number, role = '*'): Resource => ({ name, type: 'SCALAR', scalar: { value }, role, allocation_info: { role } });
const offered = Resources.of([scalar('cpus', 2), scalar('mem', 1024), { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 31009 }] }, role: '*', allocation_info: { role: '*' } }]);

const ctx = (overrides: Partial<TaskValidationContext> = {}): TaskValidationContext => ({
  frameworkId: 'fw-1', agentId: 'agent-1', role: '*', multiRole: false, isActiveTask: () => false, executors: new Map(), ...overrides,
});

function task(id: string, overrides: Partial<TaskInfo> = {}): TaskInfo {
  return {
    name: id, task_id: { value: id }, agent_id: { value: 'agent-1' },
    resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.5 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 128 } }],
    command: { value: 'sleep 1' },
    ...overrides,
  };
}

const launch = (...tasks: TaskInfo[]): OfferOperation => ({ type: 'LAUNCH', launch: { task_infos: tasks } });

describe('planAccept', () => {
  const rows: Array<{ name: string; ops: OfferOperation[]; ctx?: Partial<TaskValidationContext>; launched: string[]; refused: Array<[string, RegExp]> }> = [
    { name: 'launches tasks that fit', ops: [launch(task('a'), task('b'))], launched: ['a', 'b'], refused: [] },
    { name: 'refuses the task that no longer fits', ops: [launch(task('a'), task('b'), task('c', { resources: [scalar('cpus', 1.5)] }))], launched: ['a', 'b'], refused: [['c', /more resources/]] },
    { name: 'refuses a duplicate of an active task id', ops: [launch(task('a'))], ctx: { isActiveTask: (id) => id === 'a' }, launched: [], refused: [['a', /duplicate ID/]] },
    { name: 'refuses a duplicate within one ACCEPT', ops: [launch(task('a'), task('a'))], launched: ['a'], refused: [['a', /duplicate ID/]] },
    { name: 'refuses a task for another agent', ops: [launch(task('a', { agent_id: { value: 'elsewhere' } }))], launched: [], refused: [['a', /invalid agent/]] },
    { name: 'refuses a task with neither command nor executor', ops: [launch(task('a', { command: undefined }))], launched: [], refused: [['a', /CommandInfo or ExecutorInfo/]] },
    { name: 'refuses an id with a slash', ops: [launch(task('a/b'))], launched: [], refused: [['a/b', /reserved character/]] },
    { name: 'refuses negative resources', ops: [launch(task('a', { resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: -1 } }] }))], launched: [], refused: [['a', /invalid resources/]] },
    { name: 'refuses a task that uses no resources', ops: [launch(task('a', { resources: [] }))], launched: [], refused: [['a', /no resources/]] },
    { name: 'refuses ports outside the offer', ops: [launch(task('a', { resources: [{ name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 80, end: 80 }] } }] }))], launched: [], refused: [['a', /more resources/]] },
    { name: 'refuses resources of another role', ops: [launch(task('a', { resources: [scalar('cpus', 0.5, 'other')] }))], launched: [], refused: [['a', /role/]] },
    { name: 'requires allocation_info from MULTI_ROLE frameworks', ops: [launch(task('a'))], ctx: { multiRole: true }, launched: [], refused: [['a', /allocation_info/]] },
    { name: 'refuses an HTTP health check without http', ops: [launch(task('a', { health_check: { type: 'HTTP' } }))], launched: [], refused: [['a', /health check/]] },
  ];

  for (const row of rows) {
    it(row.name, () => {
      const plan = planAccept(row.ops, offered, ctx(row.ctx));
      expect(plan.launches.map((l) => l.task.task_id.value)).to.deep.equal(row.launched);
      expect(plan.refused.map((r) => r.task.task_id.value)).to.deep.equal(row.refused.map(([id]) => id));
      plan.refused.forEach((r, i) => expect(r.message).to.match(row.refused[i]![1]));
    });
  }

  it('returns what the launched tasks did not use', () => {
    const plan = planAccept([launch(task('a'), task('b'))], offered, ctx());
    expect(plan.unused.scalar('cpus')).to.equal(1);
    expect(plan.unused.scalar('mem')).to.equal(768);
    expect(plan.unused.ranges('ports')).to.deep.equal([{ begin: 31000, end: 31009 }]);
  });

  it('fills in the offer role for frameworks that omit allocation_info', () => {
    const plan = planAccept([launch(task('a'))], offered, ctx());
    for (const r of plan.launches[0]!.task.resources ?? []) expect(r.allocation_info).to.deep.equal({ role: '*' });
  });

  it('charges a new custom executor once and refuses an incompatible one', () => {
    const executor = { executor_id: { value: 'ex' }, command: { value: './my-executor' }, resources: [{ name: 'cpus', type: 'SCALAR' as const, scalar: { value: 0.5 } }] };
    const other = { ...executor, command: { value: './other' } };
    const plan = planAccept([launch(task('a', { command: undefined, executor }), task('b', { command: undefined, executor }), task('c', { command: undefined, executor: other }))], offered, ctx());
    expect(plan.launches.map((l) => l.task.task_id.value)).to.deep.equal(['a', 'b']);
    expect(plan.launches[0]!.newExecutor?.executor_id.value).to.equal('ex');
    expect(plan.launches[1]!.newExecutor).to.equal(undefined);
    expect(plan.unused.scalar('cpus')).to.equal(0.5);
    expect(plan.refused[0]!.message).to.match(/not compatible/);
  });

  it('launches a task group atomically, or refuses all of it', () => {
    const executor = { type: 'DEFAULT' as const, executor_id: { value: 'group-ex' }, resources: [scalar('cpus', 0.1)] };
    const ok = planAccept([{ type: 'LAUNCH_GROUP', launch_group: { executor, task_group: { tasks: [task('g1'), task('g2')] } } }], offered, ctx());
    expect(ok.groups).to.have.length(1);
    expect(ok.groups[0]!.tasks.map((t) => t.task.task_id.value)).to.deep.equal(['g1', 'g2']);
    const tooBig = planAccept([{ type: 'LAUNCH_GROUP', launch_group: { executor, task_group: { tasks: [task('g1'), task('g2', { resources: [scalar('cpus', 5)] })] } } }], offered, ctx());
    expect(tooBig.groups).to.have.length(0);
    expect(tooBig.refused.map((r) => [r.task.task_id.value, r.reason])).to.deep.equal([['g1', 'REASON_TASK_GROUP_INVALID'], ['g2', 'REASON_TASK_GROUP_INVALID']]);
  });

  it('reports reservation operations as unsupported without touching resources', () => {
    const plan = planAccept([{ type: 'RESERVE', reserve: { resources: [] } }], offered, ctx());
    expect(plan.unsupported).to.have.length(1);
    expect(plan.unused.equals(offered)).to.equal(true);
  });
});

describe('planAccept on every decodable mutation of a launch', () => {
  it('plans (launches or refuses) without throwing', () => {
    const rich = {
      name: 't', task_id: { value: 't' }, agent_id: { value: 'agent-1' },
      resources: [scalar('cpus', 0.5), { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: 31000, end: 31001 }] } }],
      command: { value: 'sleep 1', shell: false, arguments: ['sleep', '1'], environment: { variables: [{ name: 'A', value: 'b' }] } },
      container: { type: 'DOCKER', docker: { image: 'busybox', network: 'BRIDGE', port_mappings: [{ host_port: 31000, container_port: 80 }] } },
      health_check: { type: 'HTTP', http: { port: 31000, path: '/' } },
      kill_policy: { grace_period: { nanoseconds: 1 } },
      limits: { cpus: { value: 'Infinity' } },
    };
    const group = { type: 'LAUNCH_GROUP', launch_group: { executor: { type: 'DEFAULT', executor_id: { value: 'e' }, resources: [scalar('cpus', 0.1)] }, task_group: { tasks: [{ ...rich, command: undefined }] } } };
    let planned = 0;
    for (const op of [{ type: 'LAUNCH', launch: { task_infos: [rich] } }, group]) {
      for (const { body } of hostileBodies({ type: 'ACCEPT', framework_id: { value: 'fw-1' }, accept: { offer_ids: [{ value: 'o' }], operations: [op] } })) {
        const decoded = schedulerCallDecoder().decode(body);
        if (!decoded.ok) continue;
        planAccept(decoded.value.accept?.operations ?? [], offered, ctx());
        planned++;
      }
    }
    expect(planned).to.be.above(100);
  });
});
