// The view alone: loads, patches from events, and what each change reports.
import { expect } from 'chai';
import type { MarathonEvent } from '@tepui/protocol';
import { GONE_TASK_STATES, isTaskOfInstance, MarathonView, sameJson } from './marathon-view';
import { appJson, healthChanged, instanceIdOf, statusUpdate, taskJson } from './testing/fixtures';

const WEB = '/shop/web';
const API = '/shop/api';

function loaded(): MarathonView {
  const view = new MarathonView();
  view.load([appJson(WEB, [taskJson(WEB, 1), taskJson(WEB, 2)]), appJson(API, [taskJson(API, 1)])]);
  return view;
}

function taskIds(view: MarathonView, appId: string): string[] {
  return view.tasks(appId).map((t) => t.id).sort();
}

describe('MarathonView', () => {
  describe('load', () => {
    it('holds every listed app with its tasks, sorted, and starts at version 1', () => {
      const view = loaded();
      expect(view.loaded).to.equal(true);
      expect(view.version).to.equal(1);
      expect(view.appIds()).to.deep.equal([API, WEB]);
      expect(view.allApps().map((a) => a.id)).to.deep.equal([API, WEB]);
      expect(taskIds(view, WEB)).to.deep.equal([taskJson(WEB, 1).id, taskJson(WEB, 2).id]);
      expect(view.app(WEB)?.labels).to.deep.equal({ HAPROXY_GROUP: 'external' });
      expect(view.app('/nope')).to.equal(undefined);
      expect(view.tasks('/nope')).to.deep.equal([]);
    });

    it('reports the apps added, removed or changed, and no others', () => {
      const view = loaded();
      const change = view.load([
        appJson(WEB, [taskJson(WEB, 1), taskJson(WEB, 2)]), // same
        appJson('/shop/new'),
      ]);
      expect([...change.changedApps].sort()).to.deep.equal([API, '/shop/new']);
      expect(change.needsRelist).to.equal(false);
      expect(change.version).to.equal(2);
      const again = view.load([appJson(WEB, [taskJson(WEB, 1), taskJson(WEB, 2, { state: 'TASK_KILLING' })]), appJson('/shop/new')]);
      expect([...again.changedApps]).to.deep.equal([WEB]);
      expect(view.load([appJson(WEB, [taskJson(WEB, 1), taskJson(WEB, 2, { state: 'TASK_KILLING' })]), appJson('/shop/new')]).changedApps.size).to.equal(0);
    });

    it('leaves out tasks in a gone state, as a status update would remove them', () => {
      const view = new MarathonView();
      view.load([appJson(WEB, [taskJson(WEB, 1), taskJson(WEB, 2, { state: 'TASK_UNREACHABLE' }), taskJson(WEB, 3, { state: 'TASK_KILLED' })])]);
      expect(taskIds(view, WEB)).to.deep.equal([taskJson(WEB, 1).id]);
    });

    it('keeps a task’s last known health when a listing has none, or only results no check has run for (a Marathon that just started)', () => {
      const view = new MarathonView();
      const alive = [{ alive: true, consecutiveFailures: 0, firstSuccess: null, lastSuccess: null, lastFailure: null, lastFailureCause: null, instanceId: instanceIdOf(WEB, 1) }];
      view.load([appJson(WEB, [taskJson(WEB, 1, { healthCheckResults: alive })])]);
      view.load([appJson(WEB, [taskJson(WEB, 1, { healthCheckResults: [] }), taskJson(WEB, 2, { healthCheckResults: [] })])]);
      expect(view.tasks(WEB).find((t) => t.id === taskJson(WEB, 1).id)!.healthCheckResults).to.deep.equal(alive);
      expect(view.tasks(WEB).find((t) => t.id === taskJson(WEB, 2).id)!.healthCheckResults).to.deep.equal([]);
      const placeholder = [{ ...alive[0]!, alive: false }];
      view.load([appJson(WEB, [taskJson(WEB, 1, { healthCheckResults: placeholder })])]);
      expect(view.tasks(WEB)[0]!.healthCheckResults, 'a result no check has run for').to.deep.equal(alive);
      const dead = [{ ...alive[0]!, alive: false, consecutiveFailures: 1, lastFailure: '2026-01-01T00:00:00.000Z' }];
      view.load([appJson(WEB, [taskJson(WEB, 1, { healthCheckResults: dead })])]);
      expect(view.tasks(WEB)[0]!.healthCheckResults).to.deep.equal(dead);
    });

    it('hands out snapshots that later changes do not touch', () => {
      const view = loaded();
      const before = view.app(WEB)!;
      view.applyEvent(statusUpdate(taskJson(WEB, 1), 'TASK_KILLED'));
      expect(before.tasks).to.have.length(2);
      expect(view.app(WEB)!.tasks).to.have.length(1);
      expect(Object.isFrozen(before)).to.equal(true);
      expect(() => (before.tasks as unknown[]).pop()).to.throw(TypeError);
    });
  });

  describe('status_update_event', () => {
    const rows: Array<{ name: string; event: MarathonEvent; tasks: string[]; changed: string[]; relist: boolean }> = [
      { name: 'a new running task is added', event: statusUpdate(taskJson(WEB, 3), 'TASK_RUNNING'), tasks: [1, 2, 3].map((n) => taskJson(WEB, n).id), changed: [WEB], relist: false },
      { name: 'a staging task is added too (the consumer filters)', event: statusUpdate(taskJson(WEB, 3), 'TASK_STAGING'), tasks: [1, 2, 3].map((n) => taskJson(WEB, n).id), changed: [WEB], relist: false },
      { name: 'a killed task is removed', event: statusUpdate(taskJson(WEB, 1), 'TASK_KILLED'), tasks: [taskJson(WEB, 2).id], changed: [WEB], relist: false },
      { name: 'an unreachable task is removed', event: statusUpdate(taskJson(WEB, 2), 'TASK_UNREACHABLE'), tasks: [taskJson(WEB, 1).id], changed: [WEB], relist: false },
      { name: 'a repeated running update changes nothing', event: statusUpdate(taskJson(WEB, 1), 'TASK_RUNNING'), tasks: [1, 2].map((n) => taskJson(WEB, n).id), changed: [], relist: false },
      { name: 'a terminal update of an unknown task changes nothing', event: statusUpdate(taskJson(WEB, 9), 'TASK_FAILED'), tasks: [1, 2].map((n) => taskJson(WEB, n).id), changed: [], relist: false },
      { name: 'an update for an unknown app asks for a re-list', event: statusUpdate(taskJson('/other', 1), 'TASK_RUNNING'), tasks: [1, 2].map((n) => taskJson(WEB, n).id), changed: [], relist: true },
    ];
    for (const row of rows) {
      it(row.name, () => {
        const view = loaded();
        const change = view.applyEvent(row.event);
        expect(taskIds(view, WEB)).to.deep.equal(row.tasks);
        expect([...change.changedApps]).to.deep.equal(row.changed);
        expect(change.needsRelist).to.equal(row.relist);
        expect(change.version).to.equal(row.changed.length > 0 ? 2 : 1);
        expect(view.version).to.equal(change.version);
      });
    }

    it('every terminal or gone state removes the task', () => {
      for (const state of GONE_TASK_STATES) {
        const view = loaded();
        view.applyEvent(statusUpdate(taskJson(WEB, 1), state));
        expect(taskIds(view, WEB), state).to.deep.equal([taskJson(WEB, 2).id]);
      }
    });

    it('builds a new task from the event: host, ports, addresses, version, the app’s service ports', () => {
      const view = loaded();
      const event = { ...statusUpdate(taskJson(WEB, 3), 'TASK_RUNNING'), ports: [31555], version: '2024-05-02T00:00:00.000Z' };
      view.applyEvent(event);
      const task = view.tasks(WEB).find((t) => t.id === event.taskId)!;
      expect(task).to.include({ host: 'agent-3.example.org', slaveId: 'S3', state: 'TASK_RUNNING', version: '2024-05-02T00:00:00.000Z', startedAt: event.timestamp });
      expect(task.ports).to.deep.equal([31555]);
      expect(task.servicePorts).to.deep.equal([10000]);
      expect(task.ipAddresses).to.deep.equal([{ ipAddress: '10.0.0.3', protocol: 'IPv4' }]);
      expect(task.healthCheckResults).to.deep.equal([]);
    });

    it('takes service ports from the definition when the app has no task yet', () => {
      const view = new MarathonView();
      view.load([appJson(WEB, [], { portDefinitions: [{ port: 10101 }, { port: 10102 }] })]);
      view.applyEvent(statusUpdate(taskJson(WEB, 1), 'TASK_RUNNING'));
      expect(view.tasks(WEB)[0]!.servicePorts).to.deep.equal([10101, 10102]);
    });

    it('keeps the health check results of an existing task', () => {
      const view = new MarathonView();
      const results = [{ alive: true, consecutiveFailures: 0, firstSuccess: 'a', lastSuccess: 'b', lastFailure: null, lastFailureCause: null, instanceId: instanceIdOf(WEB, 1) }];
      view.load([appJson(WEB, [taskJson(WEB, 1, { state: 'TASK_STARTING', healthCheckResults: results })])]);
      view.applyEvent(statusUpdate(taskJson(WEB, 1), 'TASK_RUNNING'));
      expect(view.tasks(WEB)[0]).to.include({ state: 'TASK_RUNNING' });
      expect(view.tasks(WEB)[0]!.healthCheckResults).to.deep.equal(results);
    });

    it('never takes a task Marathon is killing back into rotation', () => {
      const view = new MarathonView();
      view.load([appJson(WEB, [taskJson(WEB, 1, { state: 'TASK_KILLING' })])]);
      const change = view.applyEvent(statusUpdate(taskJson(WEB, 1), 'TASK_RUNNING'));
      expect(view.tasks(WEB)[0]!.state).to.equal('TASK_KILLING');
      expect(change.changedApps.size).to.equal(0);
      view.applyEvent(statusUpdate(taskJson(WEB, 1), 'TASK_KILLED'));
      expect(view.tasks(WEB)).to.deep.equal([]);
    });
  });

  describe('health_status_changed_event', () => {
    it('sets alive on the instance’s task, creating its first result', () => {
      const view = loaded();
      const change = view.applyEvent(healthChanged(WEB, instanceIdOf(WEB, 1), true));
      expect([...change.changedApps]).to.deep.equal([WEB]);
      expect(change.needsRelist).to.equal(false);
      const [result] = view.tasks(WEB).find((t) => t.id === taskJson(WEB, 1).id)!.healthCheckResults;
      expect(result).to.include({ alive: true, instanceId: instanceIdOf(WEB, 1), consecutiveFailures: 0 });
      expect(view.tasks(WEB).find((t) => t.id === taskJson(WEB, 2).id)!.healthCheckResults).to.deep.equal([]);
      const down = view.applyEvent(healthChanged(WEB, instanceIdOf(WEB, 1), false));
      expect(down.changedApps.size).to.equal(1);
      expect(view.tasks(WEB).find((t) => t.id === taskJson(WEB, 1).id)!.healthCheckResults[0]).to.include({ alive: false });
      expect(view.applyEvent(healthChanged(WEB, instanceIdOf(WEB, 1), false)).changedApps.size).to.equal(0);
    });

    it('finds tasks of the older id forms, where the task id is or starts with the instance id', () => {
      const legacy = 'shop_web.marathon-0c6a1f4e-0000-0000-0000-000000000000';
      const view = new MarathonView();
      view.load([appJson(WEB, [taskJson(WEB, 1, { id: legacy })])]);
      view.applyEvent(healthChanged(WEB, legacy, true));
      expect(view.tasks(WEB)[0]!.healthCheckResults[0]).to.include({ alive: true });
      expect(isTaskOfInstance(`${legacy}._app.2`, legacy)).to.equal(true);
      expect(isTaskOfInstance(`${legacy}0._app.2`, legacy)).to.equal(false);
    });

    it('with several checks, applies to all and asks for a re-list for the per-check truth', () => {
      const r = { alive: true, consecutiveFailures: 0, firstSuccess: 'a', lastSuccess: 'b', lastFailure: null, lastFailureCause: null, instanceId: instanceIdOf(WEB, 1) };
      const view = new MarathonView();
      view.load([appJson(WEB, [taskJson(WEB, 1, { healthCheckResults: [r, r] })])]);
      const change = view.applyEvent(healthChanged(WEB, instanceIdOf(WEB, 1), false));
      expect(change.needsRelist).to.equal(true);
      expect(view.tasks(WEB)[0]!.healthCheckResults.map((x) => x.alive)).to.deep.equal([false, false]);
    });

    it('asks for a re-list for an unknown app or instance', () => {
      const view = loaded();
      expect(view.applyEvent(healthChanged('/other', instanceIdOf('/other', 1), true)).needsRelist).to.equal(true);
      expect(view.applyEvent(healthChanged(WEB, instanceIdOf(WEB, 7), true)).needsRelist).to.equal(true);
      expect(view.version).to.equal(1);
    });
  });

  describe('definition events', () => {
    const stamp = { timestamp: '2024-05-01T10:00:00.000Z' };
    const plan = { id: 'd1', steps: [{ actions: [{ action: 'ScaleApplication', app: WEB }] }], version: stamp.timestamp };
    const relisting: MarathonEvent[] = [
      { ...stamp, eventType: 'api_post_event', clientIp: '10.0.0.1', uri: '/v2/apps/shop/web', appDefinition: {} },
      { ...stamp, eventType: 'deployment_info', plan, currentStep: plan.steps[0]! },
      { ...stamp, eventType: 'deployment_step_success', plan, currentStep: plan.steps[0]! },
      { ...stamp, eventType: 'deployment_success', id: 'd1', plan },
      { ...stamp, eventType: 'deployment_failed', id: 'd1', plan },
      { ...stamp, eventType: 'group_change_success', groupId: '/shop', version: stamp.timestamp },
    ];
    for (const event of relisting) {
      it(`${event.eventType} asks for a re-list and changes nothing yet`, () => {
        const view = loaded();
        const change = view.applyEvent(event);
        expect(change).to.include({ needsRelist: true, version: 1 });
        expect(change.changedApps.size).to.equal(0);
      });
    }

    it('app_terminated_event drops the app at once and asks for a re-list', () => {
      const view = loaded();
      const change = view.applyEvent({ ...stamp, eventType: 'app_terminated_event', appId: API });
      expect(change).to.include({ needsRelist: true, version: 2 });
      expect([...change.changedApps]).to.deep.equal([API]);
      expect(view.appIds()).to.deep.equal([WEB]);
    });

    it('unhealthy_instance_kill_event shows the task as TASK_KILLING at once', () => {
      const view = loaded();
      const t = taskJson(WEB, 1);
      const change = view.applyEvent({
        ...stamp, eventType: 'unhealthy_instance_kill_event', appId: WEB, taskId: t.id, instanceId: instanceIdOf(WEB, 1),
        version: stamp.timestamp, reason: 'unhealthy', host: t.host, slaveId: t.slaveId,
      });
      expect([...change.changedApps]).to.deep.equal([WEB]);
      expect(view.tasks(WEB).find((x) => x.id === t.id)!.state).to.equal('TASK_KILLING');
    });

    it('ignores other events', () => {
      const view = loaded();
      const change = view.applyEvent({ ...stamp, eventType: 'event_stream_attached', remoteAddress: '127.0.0.1' });
      expect(change).to.include({ needsRelist: false, version: 1 });
    });
  });

  it('sameJson ignores key order and undefined members', () => {
    expect(sameJson({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1, d: undefined })).to.equal(true);
    expect(sameJson({ a: [1] }, { a: [1, 2] })).to.equal(false);
    expect(sameJson({ a: null }, { a: {} })).to.equal(false);
  });
});
