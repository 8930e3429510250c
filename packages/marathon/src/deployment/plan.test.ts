import { expect } from 'chai';
import type { AppDefinition } from '@tepui/protocol';
import { app } from '../scheduling/test-fixtures';
import { computeDeploymentPlan, dependencyDepths, type DeploymentPlan, type RootState } from './plan';

const V1 = '2026-01-01T00:00:00.000Z';
const V2 = '2026-01-02T00:00:00.000Z';
const a = (id: string, over: Partial<AppDefinition> = {}): AppDefinition =>
  app({ id, version: V1, versionInfo: { lastScalingAt: V1, lastConfigChangeAt: V1 }, ...over });
const root = (...apps: AppDefinition[]): RootState => ({ apps, groups: [] });
const plan = (original: RootState, target: RootState): DeploymentPlan => computeDeploymentPlan({ id: 'd1', version: V2, original, target });
/** Steps as sorted "Action /app [instances]" strings. */
const actions = (p: DeploymentPlan): string[][] =>
  p.steps.map((s) => s.actions.map((x) => `${x.action} ${x.app}${x.action !== 'StartApplication' && x.instances !== undefined ? ` ${x.instances}` : ''}`));

const web = a('/web', { instances: 2 });
// The same definition with its keys (top level and nested) in another order, as storage might return it.
const reordered: AppDefinition = { versionInfo: { lastConfigChangeAt: V1, lastScalingAt: V1 }, ...web, upgradeStrategy: { maximumOverCapacity: 1, minimumHealthCapacity: 1 } };
const rows: Array<{ name: string; original: RootState; target: RootState; expect: string[][] }> = [
  { name: 'a new app: the no-op start step, then a scale to its instances', original: root(), target: root(a('/web', { instances: 3 })), expect: [['StartApplication /web'], ['ScaleApplication /web 3']] },
  { name: 'only instances changed: scale', original: root(web), target: root({ ...web, instances: 4, version: V2, versionInfo: { lastScalingAt: V2, lastConfigChangeAt: V1 } }), expect: [['ScaleApplication /web 4']] },
  { name: 'a config change: restart with the target instances', original: root(web), target: root({ ...web, cmd: 'sleep 2', version: V2 }), expect: [['RestartApplication /web 2']] },
  { name: 'config and instances changed: restart', original: root(web), target: root({ ...web, cmd: 'sleep 2', instances: 5 }), expect: [['RestartApplication /web 5']] },
  { name: 'a new lastConfigChangeAt alone (POST …/restart): restart', original: root(web), target: root({ ...web, version: V2, versionInfo: { lastScalingAt: V2, lastConfigChangeAt: V2 } }), expect: [['RestartApplication /web 2']] },
  { name: 'target instances 0, even with a config change: scale to 0', original: root(web), target: root({ ...web, cmd: 'x', instances: 0 }), expect: [['ScaleApplication /web 0']] },
  { name: 'a removed app: stop', original: root(web, a('/gone')), target: root(web), expect: [['StopApplication /gone']] },
  { name: 'stop, start and scale steps in that order', original: root(a('/keep'), a('/gone')), target: root(a('/keep'), a('/new')), expect: [['StopApplication /gone'], ['StartApplication /new'], ['ScaleApplication /new 1']] },
  { name: 'unchanged apps: nothing', original: root(web, a('/db')), target: root(web, a('/db')), expect: [] },
  { name: 'a new version with the same config and instances: nothing', original: root(web), target: root({ ...web, version: V2, versionInfo: { lastScalingAt: V2, lastConfigChangeAt: V1 } }), expect: [] },
  { name: 'the same definition in another key order: nothing', original: root(web), target: root(reordered), expect: [] },
  {
    name: 'a dependency chain a → b → c: c, b, a in separate steps; independent apps go with the first',
    original: root(),
    target: root(a('/a', { dependencies: ['/b'] }), a('/b', { dependencies: ['/c'] }), a('/c'), a('/solo')),
    expect: [['StartApplication /a', 'StartApplication /b', 'StartApplication /c', 'StartApplication /solo'], ['ScaleApplication /c 1', 'ScaleApplication /solo 1'], ['ScaleApplication /b 1'], ['ScaleApplication /a 1']],
  },
  {
    name: 'only changed apps of a chain act, each at its depth',
    original: root(a('/a', { dependencies: ['/b'] }), a('/b', { dependencies: ['/c'] }), a('/c')),
    target: root(a('/a', { dependencies: ['/b'], cmd: 'new' }), a('/b', { dependencies: ['/c'] }), a('/c', { cmd: 'new' })),
    expect: [['RestartApplication /c 1'], ['RestartApplication /a 1']],
  },
  {
    name: 'a dependency on an app the target lacks is ignored',
    original: root(),
    target: root(a('/a', { dependencies: ['/missing'] })),
    expect: [['StartApplication /a'], ['ScaleApplication /a 1']],
  },
];

describe('deployment plan (computeDeploymentPlan)', () => {
  for (const row of rows) it(row.name, () => expect(actions(plan(row.original, row.target))).to.deep.equal(row.expect));

  it('applies group dependencies to every app below the group, and a dependency on a group to all apps in it', () => {
    const target: RootState = {
      apps: [a('/front/web'), a('/front/ui/static'), a('/back/db'), a('/back/cache/redis')],
      groups: [{ id: '/front', dependencies: ['/back'] }, { id: '/back', dependencies: [] }],
    };
    expect(actions(plan(root(), target)).slice(1)).to.deep.equal([
      ['ScaleApplication /back/cache/redis 1', 'ScaleApplication /back/db 1'],
      ['ScaleApplication /front/ui/static 1', 'ScaleApplication /front/web 1'],
    ]);
  });

  it('combines an app’s own dependencies with its groups’ ones (longest chain wins)', () => {
    const target: RootState = {
      apps: [a('/x/app', { dependencies: ['/y'] }), a('/y', { dependencies: ['/z'] }), a('/z')],
      groups: [{ id: '/x', dependencies: ['/z'] }],
    };
    expect(Object.fromEntries(dependencyDepths(target))).to.deep.equal({ '/x/app': 3, '/y': 2, '/z': 1 });
  });

  it('does not loop on a dependency cycle (validation refuses those)', () => {
    const depths = dependencyDepths(root(a('/p', { dependencies: ['/q'] }), a('/q', { dependencies: ['/p'] })));
    expect([...depths.keys()].sort()).to.deep.equal(['/p', '/q']);
  });

  it('carries the instances a caller asked to kill on the scale action', () => {
    const three = a('/web', { instances: 3 });
    const p = computeDeploymentPlan({ id: 'd', version: V2, original: root(three), target: root({ ...three, instances: 2 }), toKill: new Map([['/web', ['i-1']]]) });
    expect(p.steps).to.deep.equal([{ actions: [{ action: 'ScaleApplication', app: '/web', instances: 2, killInstances: ['i-1'] }] }]);
  });

  it('lists every app an action touches as affected, sorted, and keeps id, version and both roots', () => {
    const original = root(a('/b'), a('/gone'));
    const target = root(a('/b', { instances: 5 }), a('/a'));
    const p = plan(original, target);
    expect(p.affectedApps).to.deep.equal(['/a', '/b', '/gone']);
    expect([p.id, p.version, p.original, p.target]).to.deep.equal(['d1', V2, original, target]);
  });

  it('gives the same plan whatever order the apps come in', () => {
    const apps = [a('/c'), a('/a', { dependencies: ['/c'] }), a('/b')];
    expect(plan(root(), root(...apps)).steps).to.deep.equal(plan(root(), root(...[...apps].reverse())).steps);
  });
});
