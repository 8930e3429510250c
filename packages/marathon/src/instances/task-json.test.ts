import { expect } from 'chai';
import type { Instance } from './instance';
import { conditionOf, isHealthy } from './instance';
import { taskJson, tasksPlainText } from './task-json';

function instance(over: Partial<Instance> = {}): Instance {
  return {
    instanceId: 'shop_web.instance-1', appId: '/shop/web', version: '2026-01-01T00:00:00.000Z', taskId: 'shop_web.instance-1._app.1',
    agentId: 'M-S1', host: 'agent-1', state: 'TASK_RUNNING', stagedAt: '2026-01-01T00:00:01.000Z', startedAt: '2026-01-01T00:00:02.000Z',
    ports: [31005], ipAddresses: [{ ipAddress: '127.0.0.1', protocol: 'IPv4' }], healthCheckResults: [], role: '*', goal: 'Running', placement: { agentId: 'S1', hostname: 'agent-1', attributes: [] }, ...over,
  };
}

describe('Marathon task JSON', () => {
  it('renders a running task with Marathon field names', () => {
    expect(taskJson(instance(), [10101])).to.deep.equal({
      id: 'shop_web.instance-1._app.1', appId: '/shop/web', host: 'agent-1', slaveId: 'M-S1', state: 'TASK_RUNNING',
      stagedAt: '2026-01-01T00:00:01.000Z', startedAt: '2026-01-01T00:00:02.000Z', version: '2026-01-01T00:00:00.000Z', ports: [31005],
      servicePorts: [10101], ipAddresses: [{ ipAddress: '127.0.0.1', protocol: 'IPv4' }], healthCheckResults: [], localVolumes: [], role: '*',
    });
  });

  it('drops stagedAt/startedAt/ports/version from terminal tasks', () => {
    const json = taskJson(instance({ state: 'TASK_FAILED' }), []);
    expect(json).to.not.have.any.keys('stagedAt', 'startedAt', 'ports', 'version');
  });

  it('lists running tasks as text/plain per service port, sorted, with a trailing tab', () => {
    const text = tasksPlainText([
      { id: '/shop/web', servicePorts: [10101], instances: [instance({ host: 'b', ports: [31877] }), instance({ host: 'a', ports: [31005] }), instance({ state: 'TASK_STAGING' })] },
      { id: '/batch', servicePorts: [], instances: [instance({ host: 'c', ports: [] })] },
    ]);
    expect(text).to.equal('shop_web\t10101\ta:31005\tb:31877\t\nbatch\t \tc\t\n');
  });

  it('maps Mesos states to Marathon conditions and counts health', () => {
    expect(['TASK_RUNNING', 'TASK_LOST', 'TASK_FINISHED'].map((s) => conditionOf(s as 'TASK_RUNNING'))).to.deep.equal(['Running', 'Unreachable', 'Finished']);
    expect(isHealthy(instance(), 0)).to.equal(undefined);
    expect(isHealthy(instance(), 1)).to.equal(undefined);
    expect(isHealthy(instance({ mesosHealthy: false }), 1)).to.equal(false);
  });
  it('shows an instance Marathon is killing as TASK_KILLING before Mesos says so', () => {
    expect(taskJson(instance({ goal: 'Decommissioned' }), []).state).to.equal('TASK_KILLING');
    expect(taskJson(instance({ goal: 'Decommissioned', state: 'TASK_KILLED' }), []).state).to.equal('TASK_KILLED');
  });
});
