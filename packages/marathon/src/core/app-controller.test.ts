import { expect } from 'chai';
import type { AppDefinition, TaskState } from '@tepui/protocol';
import { unreachablePhase, type Instance } from '../instances/instance';
import { app } from '../scheduling/test-fixtures';
import { decide } from './app-controller';

const V1 = '2026-01-01T00:00:00.000Z';
const V2 = '2026-01-02T00:00:00.000Z';

function inst(id: string, state: TaskState = 'TASK_RUNNING', version = V1, over: Partial<Instance> = {}): Instance {
  return {
    instanceId: id, appId: '/shop/web', version, taskId: `${id}._app.1`, agentId: 'S1', host: 'h1', state, stagedAt: `2026-01-01T00:00:0${id.length}.000Z`,
    ports: [], ipAddresses: [], healthCheckResults: [], role: '*', goal: 'Running', placement: { agentId: 'S1', hostname: 'h1', attributes: [] }, ...over,
  };
}

describe('app controller', () => {
  const web = app({ instances: 3, version: V1 });

  it('queues what is missing in steady state and never finishes a deployment there', () => {
    expect(decide({ app: web, mode: { kind: 'steady' }, instances: [inst('a')], queued: 0 })).to.deep.equal({ queue: 2, kill: [], done: false });
  });

  it('does not count a killed or ended instance, so it is replaced', () => {
    const instances = [inst('a'), inst('b', 'TASK_RUNNING', V1, { goal: 'Decommissioned' }), inst('c', 'TASK_FAILED')];
    expect(decide({ app: web, mode: { kind: 'steady' }, instances, queued: 0 }).queue).to.equal(2);
  });

  it('scales down by killing the youngest and finishes once the killed ones ended', () => {
    const instances = [inst('a'), inst('bb'), inst('ccc'), inst('dddd')];
    const d = decide({ app: web, mode: { kind: 'scale', instances: 2, killInstances: [] }, instances, queued: 0 });
    expect(d).to.deep.equal({ queue: 0, kill: ['dddd', 'ccc'], done: false });
    const after = [inst('a'), inst('bb'), inst('ccc', 'TASK_KILLED'), inst('dddd', 'TASK_KILLED')];
    expect(decide({ app: web, mode: { kind: 'scale', instances: 2, killInstances: [] }, instances: after, queued: 0 }).done).to.equal(true);
  });

  it('is not done scaling while instances still wait for offers or are not healthy', () => {
    const checked = app({ instances: 1, healthChecks: [{ protocol: 'HTTP', portIndex: 0 }] });
    expect(decide({ app: checked, mode: { kind: 'scale', instances: 1, killInstances: [] }, instances: [inst('a')], queued: 0 }).done).to.equal(false);
    const healthy = inst('a', 'TASK_RUNNING', V1, { healthCheckResults: [{ alive: true, consecutiveFailures: 0, firstSuccess: V1, lastSuccess: V1, lastFailure: null, lastFailureCause: null, instanceId: 'a' }] });
    expect(decide({ app: checked, mode: { kind: 'scale', instances: 1, killInstances: [] }, instances: [healthy], queued: 0 }).done).to.equal(true);
  });

  it('restarts within the upgrade strategy, counting queued instances as launched', () => {
    const v2 = app({ instances: 2, version: V2, upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 0 } });
    const first = decide({ app: v2, mode: { kind: 'restart', instances: 2 }, instances: [inst('a'), inst('b')], queued: 0 });
    expect(first).to.deep.equal({ queue: 1, kill: [], done: false });
    expect(decide({ app: v2, mode: { kind: 'restart', instances: 2 }, instances: [inst('a'), inst('b')], queued: 1 }).queue).to.equal(1);
    const newUp = [inst('a'), inst('b'), inst('n', 'TASK_RUNNING', V2)];
    expect(decide({ app: v2, mode: { kind: 'restart', instances: 2 }, instances: newUp, queued: 0 }).kill).to.have.length(1);
  });

  it('stops: kills every live instance and is done when all have ended', () => {
    expect(decide({ app: undefined, mode: { kind: 'stop' }, instances: [inst('a'), inst('b', 'TASK_FINISHED')], queued: 0 })).to.deep.equal({ queue: 0, kill: ['a'], done: false });
    expect(decide({ app: undefined, mode: { kind: 'stop' }, instances: [inst('b', 'TASK_KILLED')], queued: 0 }).done).to.equal(true);
  });

  it('holds an app a later deployment step will handle', () => {
    expect(decide({ app: web, mode: { kind: 'hold' }, instances: [], queued: 0 })).to.deep.equal({ queue: 0, kill: [], done: false });
  });
  it('does not count a new instance that is not ready yet, so no old one goes for it', () => {
    const v2 = app({ instances: 1, version: V2, upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 }, readinessChecks: [{ portName: 'http' }] });
    const instances = [inst('a'), inst('n', 'TASK_RUNNING', V2)];
    expect(decide({ app: v2, mode: { kind: 'restart', instances: 1 }, instances, queued: 0, ready: (id) => id !== 'n' }).kill).to.deep.equal([]);
    expect(decide({ app: v2, mode: { kind: 'restart', instances: 1 }, instances, queued: 0, ready: () => true }).kill).to.deep.equal(['a']);
  });
  it('replaces an unreachable instance only after inactiveAfterSeconds, and never with the strategy disabled', () => {
    const since = '2026-01-01T00:00:00.000Z';
    const t0 = Date.parse(since);
    const gone = inst('u', 'TASK_UNREACHABLE', V1, { unreachableSince: since });
    const strategy = (unreachableStrategy: AppDefinition['unreachableStrategy']) => app({ instances: 2, version: V1, unreachableStrategy });
    const timed = strategy({ inactiveAfterSeconds: 60, expungeAfterSeconds: 600 });
    expect(decide({ app: timed, mode: { kind: 'steady' }, instances: [inst('a'), gone], queued: 0, now: t0 + 59_000 }).queue).to.equal(0);
    expect(decide({ app: timed, mode: { kind: 'steady' }, instances: [inst('a'), gone], queued: 0, now: t0 + 60_000 }).queue).to.equal(1);
    expect(decide({ app: strategy('disabled'), mode: { kind: 'steady' }, instances: [inst('a'), gone], queued: 0, now: t0 + 86_400_000 }).queue).to.equal(0);
    expect(unreachablePhase(gone, { inactiveAfterSeconds: 60, expungeAfterSeconds: 600 }, t0 + 600_000)).to.equal('expunge');
    expect(unreachablePhase(inst('r'), { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 }, t0)).to.equal('reachable');
  });
  it('does not take old instances whose health is not known yet (a Marathon just restarted) for failing ones', () => {
    const v2 = app({ instances: 4, version: V2, upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 }, healthChecks: [{ protocol: 'HTTP', portIndex: 0 }] });
    const unknown = ['a', 'bb', 'ccc', 'dddd'].map((id) => inst(id));
    expect(decide({ app: v2, mode: { kind: 'restart', instances: 4 }, instances: unknown, queued: 0 }).kill).to.deep.equal([]);
    const failing = unknown.map((i, n) => (n === 0 ? { ...i, healthCheckResults: [{ alive: false, consecutiveFailures: 2, firstSuccess: null, lastSuccess: null, lastFailure: V1, lastFailureCause: '503', instanceId: i.instanceId }] } : i));
    expect(decide({ app: v2, mode: { kind: 'restart', instances: 4 }, instances: failing, queued: 0 }).kill).to.deep.equal(['a']);
  });
});
