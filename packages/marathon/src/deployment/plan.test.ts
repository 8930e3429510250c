import { expect } from 'chai';
import type { AppDefinition } from '@tepui/protocol';
import { app } from '../scheduling/test-fixtures';
import { computeDeploymentPlan, conflictingDeployments, deploymentStepInfoJson, planJson, revertPlan, type RootState } from './plan';

const V1 = '2026-01-01T00:00:00.000Z';
const V2 = '2026-01-02T00:00:00.000Z';
const a = (id: string, over: Partial<AppDefinition> = {}): AppDefinition => app({ id, version: V1, versionInfo: { lastScalingAt: V1, lastConfigChangeAt: V1 }, ...over });
const root = (...apps: AppDefinition[]): RootState => ({ apps, groups: [] });
const plan = (original: RootState, target: RootState) => computeDeploymentPlan({ id: 'd1', version: V2, original, target });
const actions = (p: ReturnType<typeof plan>) => p.steps.map((s) => s.actions.map((x) => `${x.action} ${x.app}${x.instances !== undefined ? ` ${x.instances}` : ''}`).sort());

describe('deployment plan', () => {
  it('starts a new app with a (no-op) start step and then a scale to its instances', () => {
    expect(actions(plan(root(), root(a('/web', { instances: 3 }))))).to.deep.equal([['StartApplication /web 0'], ['ScaleApplication /web 3']]);
  });

  it('scales when only instances changed, restarts on any other change or a new lastConfigChangeAt', () => {
    const web = a('/web', { instances: 2 });
    expect(actions(plan(root(web), root({ ...web, instances: 4, version: V2 })))).to.deep.equal([['ScaleApplication /web 4']]);
    expect(actions(plan(root(web), root({ ...web, cmd: 'sleep 2', version: V2 })))).to.deep.equal([['RestartApplication /web 2']]);
    const restarted = { ...web, version: V2, versionInfo: { lastScalingAt: V2, lastConfigChangeAt: V2 } };
    expect(actions(plan(root(web), root(restarted)))).to.deep.equal([['RestartApplication /web 2']]);
    expect(actions(plan(root(web), root({ ...web, cmd: 'x', instances: 0 })))).to.deep.equal([['ScaleApplication /web 0']]);
  });

  it('stops removed apps first and ignores unchanged ones', () => {
    const keep = a('/keep');
    expect(actions(plan(root(keep, a('/gone')), root(keep, a('/new'))))).to.deep.equal([['StopApplication /gone'], ['StartApplication /new 0'], ['ScaleApplication /new 1']]);
    expect(plan(root(keep), root(keep)).steps).to.deep.equal([]);
  });

  it('orders a dependency chain a → b → c as c, b, a in separate steps', () => {
    const target = root(a('/a', { dependencies: ['/b'] }), a('/b', { dependencies: ['/c'] }), a('/c'), a('/solo'));
    expect(actions(plan(root(), target)).slice(1)).to.deep.equal([['ScaleApplication /c 1', 'ScaleApplication /solo 1'], ['ScaleApplication /b 1'], ['ScaleApplication /a 1']]);
  });

  it('applies group dependencies to every app below the group, and a dependency on a group to all apps in it', () => {
    const target: RootState = { apps: [a('/front/web'), a('/back/db'), a('/back/cache')], groups: [{ id: '/front', dependencies: ['/back'] }, { id: '/back', dependencies: [] }] };
    expect(actions(plan(root(), target)).slice(1)).to.deep.equal([['ScaleApplication /back/cache 1', 'ScaleApplication /back/db 1'], ['ScaleApplication /front/web 1']]);
  });

  it('carries the instances a caller asked to kill on the scale action', () => {
    const web = a('/web', { instances: 3 });
    const p = computeDeploymentPlan({ id: 'd', version: V2, original: root(web), target: root({ ...web, instances: 2 }), toKill: new Map([['/web', ['i-1']]]) });
    expect(p.steps[0]!.actions[0]).to.deep.equal({ action: 'ScaleApplication', app: '/web', instances: 2, killInstances: ['i-1'] });
  });

  it('renders the light plan and the /v2/deployments entry as Marathon does', () => {
    const p = plan(root(a('/web')), root(a('/web', { cmd: 'new', version: V2 })));
    expect(planJson(p)).to.deep.equal({ id: 'd1', steps: [{ actions: [{ action: 'RestartApplication', app: '/web' }] }], version: V2 });
    expect(deploymentStepInfoJson(p, 1)).to.deep.equal({
      id: 'd1', version: V2, affectedApps: ['/web'], affectedPods: [],
      steps: [{ actions: [{ action: 'RestartApplication', app: '/web' }] }],
      currentActions: [{ action: 'RestartApplication', app: '/web', readinessCheckResults: [] }],
      currentStep: 1, totalSteps: 1,
    });
  });

  it('finds conflicting deployments by affected app', () => {
    const p = plan(root(), root(a('/web'), a('/db')));
    expect(conflictingDeployments([p], ['/db'])).to.deep.equal(['d1']);
    expect(conflictingDeployments([p], ['/other'])).to.deep.equal([]);
  });

  it('reverts a plan onto the current root: restores changed and removed apps, drops added ones', () => {
    const web = a('/web');
    const p = plan(root(web, a('/gone')), root({ ...web, cmd: 'broken', version: V2 }, a('/added')));
    const reverted = revertPlan(p, p.target);
    expect(reverted.apps.map((x) => x.id).sort()).to.deep.equal(['/gone', '/web']);
    expect(reverted.apps.find((x) => x.id === '/web')!.cmd).to.equal(web.cmd);
  });
});
