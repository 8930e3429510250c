// The monitor's samples in Mesos' two shapes: /monitor/statistics entries and GET_CONTAINERS.
import { expect } from 'chai';
import { ExecutorRun } from '../executors/executor-run';
import type { ExecutorUsage } from '../usage/resource-monitor';
import { getContainersResponse, monitorStatisticsJson } from './usage-codec';

const statistics = { timestamp: 1_700_000_000, cpus_user_time_secs: 1.5, mem_rss_bytes: 1024 };

function usage(withPid: boolean): ExecutorUsage {
  const run = new ExecutorRun('fw-1', { executor_id: { value: 'ex-1' }, name: 'Command Executor', source: 'task-1' }, 'c-1', { meta: '/m', sandbox: '/s' }, true);
  if (withPid) run.pid = 4242;
  return { run, statistics };
}

describe('monitorStatisticsJson', () => {
  it("one entry per executor, Mesos' keys and plain-string ids", () => {
    expect(monitorStatisticsJson([usage(true)])).to.deep.equal([
      { executor_id: 'ex-1', executor_name: 'Command Executor', framework_id: 'fw-1', source: 'task-1', statistics },
    ]);
  });
  it('an executor without a name or source gets empty strings, as protobuf defaults', () => {
    const run = new ExecutorRun('fw', { executor_id: { value: 'e' } }, 'c', undefined, false);
    expect(monitorStatisticsJson([{ run, statistics }])[0]).to.include({ executor_name: '', source: '' });
  });
});

describe('getContainersResponse', () => {
  it('ids as {value}, the container status with the executor pid when there is one', () => {
    expect(getContainersResponse([usage(true), usage(false)])).to.deep.equal({
      type: 'GET_CONTAINERS',
      get_containers: {
        containers: [
          {
            framework_id: { value: 'fw-1' }, executor_id: { value: 'ex-1' }, executor_name: 'Command Executor', container_id: { value: 'c-1' },
            container_status: { container_id: { value: 'c-1' }, executor_pid: 4242 }, resource_statistics: statistics,
          },
          {
            framework_id: { value: 'fw-1' }, executor_id: { value: 'ex-1' }, executor_name: 'Command Executor', container_id: { value: 'c-1' },
            container_status: { container_id: { value: 'c-1' } }, resource_statistics: statistics,
          },
        ],
      },
    });
  });
  it('no containers: the repeated field is left out, as Mesos leaves it out', () => {
    expect(getContainersResponse([])).to.deep.equal({ type: 'GET_CONTAINERS', get_containers: {} });
  });
});
