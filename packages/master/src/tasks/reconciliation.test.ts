import { expect } from 'chai';
import type { Task } from '@tepui/protocol';
import { reconcileTasks, type AgentStanding } from './reconciliation';

const running: Task = {
  name: 't', task_id: { value: 'known' }, framework_id: { value: 'fw' }, agent_id: { value: 'a1' }, state: 'TASK_RUNNING', resources: [],
  statuses: [{ task_id: { value: 'known' }, state: 'TASK_RUNNING', healthy: true }],
};

function run(partitionAware: boolean, requests: Array<{ taskId: string; agentId?: string }>, standing: AgentStanding = 'registered') {
  return reconcileTasks({
    partitionAware, now: 1_000_000, requests,
    findTask: (id) => (id === 'known' ? running : undefined),
    knownTasks: () => [running],
    agentStanding: () => standing,
    unreachableSince: () => 500_000,
  });
}

describe('reconcileTasks', () => {
  it('answers implicit reconciliation with every known task', () => {
    const out = run(false, []);
    expect(out).to.have.length(1);
    expect(out[0]).to.include({ state: 'TASK_RUNNING', source: 'SOURCE_MASTER', reason: 'REASON_RECONCILIATION', healthy: true });
    expect(out[0]).to.not.have.property('uuid');
  });

  const rows: Array<{ standing: AgentStanding; pa: string | undefined; plain: string | undefined }> = [
    { standing: 'registered', pa: 'TASK_GONE', plain: 'TASK_LOST' },
    { standing: 'unreachable', pa: 'TASK_UNREACHABLE', plain: 'TASK_LOST' },
    { standing: 'gone', pa: 'TASK_GONE_BY_OPERATOR', plain: 'TASK_LOST' },
    { standing: 'unknown', pa: 'TASK_UNKNOWN', plain: 'TASK_LOST' },
    { standing: 'recovering', pa: undefined, plain: undefined },
  ];
  for (const row of rows) {
    it(`answers an unknown task on a ${row.standing} agent with ${row.pa ?? 'silence'} / ${row.plain ?? 'silence'}`, () => {
      expect(run(true, [{ taskId: 'x', agentId: 'a9' }], row.standing)[0]?.state).to.equal(row.pa);
      expect(run(false, [{ taskId: 'x', agentId: 'a9' }], row.standing)[0]?.state).to.equal(row.plain);
    });
  }

  it('reports the latest state of a known task, and unreachable_time for unreachable ones', () => {
    expect(run(true, [{ taskId: 'known' }])[0]).to.include({ state: 'TASK_RUNNING' });
    expect(run(true, [{ taskId: 'x', agentId: 'a9' }], 'unreachable')[0]?.unreachable_time).to.deep.equal({ nanoseconds: 500_000 * 1e6 });
  });
});
