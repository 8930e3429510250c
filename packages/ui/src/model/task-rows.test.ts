import { expect } from 'chai';
import { decodeTask } from './marathon-wire';
import { taskRows } from './task-rows';

describe('taskRows', () => {
  const now = Date.parse('2024-05-01T10:10:00.000Z');
  const task = (id: string, fields: Record<string, unknown>) => decodeTask({ id, host: '127.0.0.2', slaveId: 'S1', state: 'TASK_RUNNING', ports: [], ipAddresses: [], healthCheckResults: [], ...fields }, 0)!;

  it('links each host port, shows state and age, running tasks first and newest first', () => {
    const rows = taskRows([
      task('old', { ports: [31000, 31001], startedAt: '2024-05-01T10:00:00.000Z' }),
      task('staging', { state: 'TASK_STAGING', stagedAt: '2024-05-01T10:09:59.000Z' }),
      task('new', { ports: [31002], startedAt: '2024-05-01T10:09:00.000Z' }),
    ], now);
    expect(rows.map((r) => r.id)).to.deep.equal(['new', 'old', 'staging']);
    expect(rows[1]!.links).to.deep.equal([
      { label: '127.0.0.2:31000', href: 'http://127.0.0.2:31000/' },
      { label: '127.0.0.2:31001', href: 'http://127.0.0.2:31001/' },
    ]);
    expect(rows[0]).to.deep.include({ state: 'Running', started: '1 min ago' });
    expect(rows[2]).to.deep.include({ state: 'Staging', started: '1 s ago' });
  });

  it('reads health from the health check results', () => {
    expect(decodeTask({ id: 't', healthCheckResults: [{ alive: true }] }, 1)!.health).to.equal('healthy');
    expect(decodeTask({ id: 't', healthCheckResults: [{ alive: true }, { alive: false }] }, 2)!.health).to.equal('unhealthy');
    expect(decodeTask({ id: 't', healthCheckResults: [] }, 1)!.health).to.equal('unknown');
    expect(decodeTask({ id: 't', healthCheckResults: [] }, 0)!.health).to.equal('none');
  });
});
