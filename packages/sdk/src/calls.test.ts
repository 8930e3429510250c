import { expect } from 'chai';
import { acceptCall, expectedStatus, launchGroupOperation, reconcileCall, reviveCall, subscribeCall, suppressCall } from './calls';

describe('scheduler call builders', () => {
  const fid = { value: 'fw' };
  const cases = [
    { name: 'first SUBSCRIBE has no framework id', call: subscribeCall({ user: 'u', name: 'n' }, []), expect: { type: 'SUBSCRIBE', subscribe: { framework_info: { user: 'u', name: 'n' } } } },
    { name: 're-SUBSCRIBE sets both ids and the suppressed roles', call: subscribeCall({ user: 'u', name: 'n', id: fid }, ['web']), expect: { type: 'SUBSCRIBE', framework_id: fid, subscribe: { framework_info: { user: 'u', name: 'n', id: fid }, suppressed_roles: ['web'] } } },
    { name: 'ACCEPT takes string or wrapped offer ids', call: acceptCall(fid, ['o1', { value: 'o2' }], []), expect: { framework_id: fid, type: 'ACCEPT', accept: { offer_ids: [{ value: 'o1' }, { value: 'o2' }], operations: [] } } },
    { name: 'REVIVE without roles means all roles', call: reviveCall(fid), expect: { framework_id: fid, type: 'REVIVE' } },
    { name: 'SUPPRESS with roles', call: suppressCall(fid, ['a']), expect: { framework_id: fid, type: 'SUPPRESS', suppress: { roles: ['a'] } } },
    { name: 'RECONCILE with and without agent', call: reconcileCall(fid, [{ task_id: 't1', agent_id: 'a1' }, { task_id: { value: 't2' } }]), expect: { framework_id: fid, type: 'RECONCILE', reconcile: { tasks: [{ task_id: { value: 't1' }, agent_id: { value: 'a1' } }, { task_id: { value: 't2' } }] } } },
  ];
  for (const c of cases) it(c.name, () => expect(c.call).to.deep.equal(c.expect));

  it('LAUNCH_GROUP accepts a TaskGroupInfo or a task list', () => {
    const executor = { executor_id: { value: 'e' }, type: 'DEFAULT' as const };
    const task = { name: 't', task_id: { value: 't' }, agent_id: { value: 'a' } };
    expect(launchGroupOperation(executor, [task])).to.deep.equal(launchGroupOperation(executor, { tasks: [task] }));
  });

  it('UPDATE_FRAMEWORK expects 200, everything else 202', () => {
    expect(expectedStatus({ type: 'UPDATE_FRAMEWORK' })).to.equal(200);
    expect(expectedStatus({ type: 'ACKNOWLEDGE' })).to.equal(202);
  });
});
