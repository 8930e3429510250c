import { expect } from 'chai';
import { deploymentProgress, NO_DEPLOYMENTS, patchDeployments, readDeployments, type DeploymentsState } from './deployments';

const restart = { action: 'RestartApplication', app: '/web' };
const start = { action: 'StartApplication', app: '/db' };
const scale = { action: 'ScaleApplication', app: '/db' };
const plan = { id: 'd1', version: '2026-12-04T09:00:00.000Z', steps: [{ actions: [start] }, { actions: [scale] }] };

/** One element of GET /v2/deployments as Marathon writes it. */
function listed(id: string, version: string, currentStep: number, steps: Array<{ actions: object[] }>) {
  return {
    id, version, affectedApps: ['/web'], affectedPods: [], steps, totalSteps: steps.length, currentStep,
    currentActions: (steps[currentStep - 1]?.actions ?? []).map((a) => ({ ...a, readinessCheckResults: [{ taskId: 't' }] })),
  };
}

describe('deployments view', () => {
  it('reads GET /v2/deployments oldest first, whatever order Marathon lists them in', () => {
    const state = readDeployments(NO_DEPLOYMENTS, [
      listed('b', '2026-12-04T09:00:02.000Z', 1, [{ actions: [restart] }]),
      listed('a', '2026-12-04T09:00:01.000Z', 1, [{ actions: [restart] }]),
      { no: 'id' },
    ]);
    expect(state.loaded).to.equal(true);
    expect(state.running.map((d) => d.id)).to.deep.equal(['a', 'b']);
    expect(state.running[0]).to.deep.include({ currentStep: 1, totalSteps: 1, affectedApps: ['/web'] });
    expect(state.running[0]!.currentActions).to.deep.equal([{ action: 'RestartApplication', app: '/web', readinessResults: 1 }]);
  });

  it('adds a deployment when it starts and moves it a step on at each step success', () => {
    let state: DeploymentsState = readDeployments(NO_DEPLOYMENTS, []);
    state = patchDeployments(state, 'deployment_info', { plan, currentStep: { actions: [start] } });
    expect(state.running).to.have.length(1);
    expect(state.running[0]).to.deep.include({ id: 'd1', currentStep: 1, totalSteps: 2, affectedApps: ['/db'] });
    expect(deploymentProgress(state.running[0]!)).to.deep.equal({ label: 'Step 1 of 2', done: 0, total: 2 });

    state = patchDeployments(state, 'deployment_step_success', { plan, currentStep: { actions: [start] } });
    expect(state.running[0]!.currentStep).to.equal(2);
    expect(state.running[0]!.currentActions.map((a) => a.action)).to.deep.equal(['ScaleApplication']);
    expect(deploymentProgress(state.running[0]!)).to.deep.equal({ label: 'Step 2 of 2', done: 1, total: 2 });
  });

  it('never moves progress back when an older event arrives late', () => {
    let state = readDeployments(NO_DEPLOYMENTS, [listed('d1', plan.version, 2, plan.steps)]);
    state = patchDeployments(state, 'deployment_info', { plan, currentStep: { actions: [start] } });
    expect(state.running[0]!.currentStep).to.equal(2);
  });

  it('finds a repeated step after the current one', () => {
    const twice = { id: 'd2', version: 'v', steps: [{ actions: [restart] }, { actions: [restart] }, { actions: [scale] }] };
    let state = readDeployments(NO_DEPLOYMENTS, [listed('d2', 'v', 2, twice.steps)]);
    state = patchDeployments(state, 'deployment_step_success', { plan: twice, currentStep: { actions: [restart] } });
    expect(state.running[0]!.currentStep).to.equal(3);
  });

  it('drops a deployment that succeeded or failed, and keeps it out of a read that was already under way', () => {
    let state = readDeployments(NO_DEPLOYMENTS, [listed('d1', plan.version, 1, plan.steps), listed('d9', 'w', 1, plan.steps)]);
    state = patchDeployments(state, 'deployment_success', { id: 'd1', plan });
    state = patchDeployments(state, 'deployment_failed', { id: 'd9', plan: { ...plan, id: 'd9' }, reason: 'cancelled' });
    expect(state.running).to.deep.equal([]);
    state = readDeployments(state, [listed('d1', plan.version, 2, plan.steps)]);
    expect(state.running).to.deep.equal([]);
    expect(patchDeployments(state, 'deployment_step_success', { plan, currentStep: { actions: [start] } }).running).to.deep.equal([]);
  });

  it('ignores step failures (deployment_failed follows), events without an id, and bodies that are not objects', () => {
    const state = readDeployments(NO_DEPLOYMENTS, [listed('d1', plan.version, 1, plan.steps)]);
    expect(patchDeployments(state, 'deployment_step_failure', { plan, currentStep: { actions: [start] } })).to.equal(state);
    expect(patchDeployments(state, 'deployment_info', { plan: { steps: [] } })).to.equal(state);
    expect(patchDeployments(state, 'deployment_success', 'garbage')).to.equal(state);
  });

  it('says "Starting" before the first step', () => {
    const [d] = readDeployments(NO_DEPLOYMENTS, [listed('d1', plan.version, 0, plan.steps)]).running;
    expect(deploymentProgress(d!)).to.deep.equal({ label: 'Starting', done: 0, total: 2 });
  });
});
