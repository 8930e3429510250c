import { expect } from 'chai';
import type { AppDefinition } from '@tepui/protocol';
import { app } from '../scheduling/test-fixtures';
import { conflictingDeployments } from './conflicts';
import { computeDeploymentPlan, type DeploymentPlan, type RootState } from './plan';
import { deploymentStepInfoJson, planJson } from './plan-json';
import { revertPlan } from './revert-plan';

const V1 = '2026-01-01T00:00:00.000Z';
const V2 = '2026-01-02T00:00:00.000Z';
const a = (id: string, over: Partial<AppDefinition> = {}): AppDefinition => app({ id, version: V1, ...over });
const root = (...apps: AppDefinition[]): RootState => ({ apps, groups: [] });
const plan = (original: RootState, target: RootState, id = 'd1'): DeploymentPlan => computeDeploymentPlan({ id, version: V2, original, target });

describe('deployment JSON (planJson, deploymentStepInfoJson)', () => {
  const restart = plan(root(a('/shop/web')), root(a('/shop/web', { cmd: 'new', version: V2 })));

  it('renders the light plan of deployment events, keys in Marathon’s order', () => {
    const json = planJson(restart);
    expect(json).to.deep.equal({ id: 'd1', steps: [{ actions: [{ action: 'RestartApplication', app: '/shop/web' }] }], version: V2 });
    expect(Object.keys(json)).to.deep.equal(['id', 'steps', 'version']);
  });

  it('renders one element of GET /v2/deployments as in §2.4', () => {
    expect(deploymentStepInfoJson(restart, 1)).to.deep.equal({
      id: 'd1', version: V2, affectedApps: ['/shop/web'], affectedPods: [],
      steps: [{ actions: [{ action: 'RestartApplication', app: '/shop/web' }] }],
      currentActions: [{ action: 'RestartApplication', app: '/shop/web', readinessCheckResults: [] }],
      currentStep: 1, totalSteps: 1,
    });
  });

  it('names the current step of a longer plan, and step 0 with no actions before the first', () => {
    const p = plan(root(a('/gone')), root(a('/new')));
    const info = (step: number): unknown[] => {
      const json = deploymentStepInfoJson(p, step);
      return [json['currentStep'], json['currentActions'], json['totalSteps']];
    };
    expect(info(0)).to.deep.equal([0, [], 3]);
    expect(info(1)).to.deep.equal([1, [{ action: 'StopApplication', app: '/gone', readinessCheckResults: [] }], 3]);
    expect(info(3)).to.deep.equal([3, [{ action: 'ScaleApplication', app: '/new', readinessCheckResults: [] }], 3]);
    expect(info(4)).to.deep.equal([0, [], 3]);
    expect(deploymentStepInfoJson(p, 2)['steps']).to.deep.equal(planJson(p).steps);
  });
});

describe('deployment locking (conflictingDeployments)', () => {
  const both = plan(root(), root(a('/web'), a('/db')), 'd-both');
  const removal = plan(root(a('/old')), root(), 'd-old');

  it('finds the running plans that touch a common app, in the order given', () => {
    expect(conflictingDeployments([both, removal], ['/db'])).to.deep.equal(['d-both']);
    expect(conflictingDeployments([removal, both], ['/old', '/web'])).to.deep.equal(['d-old', 'd-both']);
  });

  it('finds none for other apps, for no apps, or with nothing running', () => {
    expect(conflictingDeployments([both, removal], ['/other'])).to.deep.equal([]);
    expect(conflictingDeployments([both], [])).to.deep.equal([]);
    expect(conflictingDeployments([], ['/web'])).to.deep.equal([]);
  });

  it('treats a group path as just another id: only app ids conflict', () => {
    expect(conflictingDeployments([plan(root(), root(a('/shop/web')))], ['/shop'])).to.deep.equal([]);
  });
});

describe('rollback (revertPlan)', () => {
  const web = a('/web');

  it('restores changed and removed apps and drops added ones', () => {
    const p = plan(root(web, a('/gone')), root({ ...web, cmd: 'broken', version: V2 }, a('/added')));
    const reverted = revertPlan(p, p.target);
    expect(reverted.apps.map((x) => x.id)).to.deep.equal(['/gone', '/web']);
    expect(reverted.apps.find((x) => x.id === '/web')).to.deep.equal(web);
  });

  it('leaves apps the plan did not change as they are now, including later changes', () => {
    const p = plan(root(web, a('/db')), root({ ...web, instances: 3 }, a('/db')));
    const later = a('/db', { cmd: 'changed later', version: V2 });
    const reverted = revertPlan(p, root({ ...web, instances: 3 }, later, a('/other')));
    expect(reverted.apps).to.deep.equal([later, a('/other'), web]);
  });

  it('undoes group changes: restores removed or changed group records, drops added ones', () => {
    const original: RootState = { apps: [web], groups: [{ id: '/g1', dependencies: ['/x'] }, { id: '/g2', dependencies: [] }, { id: '/keep', dependencies: [] }] };
    const target: RootState = { apps: [web], groups: [{ id: '/g1', dependencies: [] }, { id: '/new', dependencies: [] }, { id: '/keep', dependencies: [] }] };
    const current: RootState = { apps: [web], groups: [...target.groups.filter((g) => g.id !== '/keep'), { id: '/keep', dependencies: ['/later'] }] };
    expect(revertPlan(plan(original, target), current).groups).to.deep.equal([
      { id: '/g1', dependencies: ['/x'] }, { id: '/g2', dependencies: [] }, { id: '/keep', dependencies: ['/later'] },
    ]);
  });

  it('turns into the original again when nothing happened since (the rollback plan undoes the plan)', () => {
    const original = root(web, a('/gone'));
    const p = plan(original, root({ ...web, instances: 7 }, a('/added')));
    const back = plan(p.target, revertPlan(p, p.target));
    expect(back.target.apps).to.deep.equal([a('/gone'), web]);
    expect(back.steps.map((s) => s.actions.map((x) => `${x.action} ${x.app}`))).to.deep.equal([
      ['StopApplication /added'], ['StartApplication /gone'], ['ScaleApplication /gone', 'ScaleApplication /web'],
    ]);
  });
});
