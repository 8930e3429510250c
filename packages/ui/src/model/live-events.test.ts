import { expect } from 'chai';
import { eventEffects } from './live-events';

describe('eventEffects', () => {
  it('marks the app of a task or instance event stale', () => {
    expect(eventEffects('status_update_event', { appId: '/web', taskId: 't', taskStatus: 'TASK_RUNNING' }).staleApps).to.deep.equal(['/web']);
    expect(eventEffects('instance_changed_event', { runSpecId: '/web', condition: 'Running' }).staleApps).to.deep.equal(['/web']);
    expect(eventEffects('instance_health_changed_event', { runSpecId: '/web', healthy: false }).staleApps).to.deep.equal(['/web']);
  });

  it('marks every app a deployment plan touches stale, once each, and says deployments changed', () => {
    const plan = { id: 'd', steps: [{ actions: [{ action: 'StartApplication', app: '/a' }, { action: 'ScaleApplication', app: '/b' }] }, { actions: [{ action: 'ScaleApplication', app: '/a' }] }] };
    expect(eventEffects('deployment_info', { plan, currentStep: {} })).to.deep.equal({ staleApps: ['/a', '/b'], staleAll: false, deploymentsChanged: true });
  });

  it('reads everything again after a group change, which names no app', () => {
    expect(eventEffects('group_change_success', { groupId: '/', version: 'v' }).staleAll).to.equal(true);
  });

  it('ignores events it does not know and bodies that are not objects', () => {
    expect(eventEffects('framework_message_event', { slaveId: 's' })).to.deep.equal({ staleApps: [], staleAll: false, deploymentsChanged: false });
    expect(eventEffects('status_update_event', 'garbage').staleApps).to.deep.equal([]);
  });
});
