import { expect } from 'chai';
import { appStatus, worseStatus, type AppStatus } from './app-status';
import { app, queued } from './test-fixtures';

describe('appStatus', () => {
  const cases: Array<{ name: string; fields: Record<string, unknown>; overdue?: boolean; expect: AppStatus }> = [
    { name: 'running tasks, nothing else', fields: { instances: 2, tasksRunning: 2 }, expect: 'running' },
    { name: 'a deployment in progress', fields: { deployments: [{ id: 'd1' }] }, expect: 'deploying' },
    { name: 'scaled to zero with nothing running', fields: { instances: 0, tasksRunning: 0 }, expect: 'suspended' },
    { name: 'scaled to zero, a task still stopping', fields: { instances: 0, tasksRunning: 1 }, expect: 'running' },
    { name: 'unhealthy tasks', fields: { tasksUnhealthy: 1, healthChecks: [{}] }, expect: 'unhealthy' },
    { name: 'queued with a delay left: delayed, even while deploying', fields: { deployments: [{ id: 'd1' }] }, overdue: false, expect: 'delayed' },
    { name: 'queued with the delay over: waiting for offers', fields: { deployments: [{ id: 'd1' }] }, overdue: true, expect: 'waiting' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(appStatus(app('/a', c.fields), c.overdue === undefined ? undefined : queued('/a', c.overdue))).to.equal(c.expect);
    });
  }

  it('orders statuses worst first', () => {
    expect(worseStatus('running', 'delayed')).to.equal('delayed');
    expect(worseStatus('deploying', 'unhealthy')).to.equal('unhealthy');
    expect(worseStatus('suspended', 'running')).to.equal('suspended');
  });
});
