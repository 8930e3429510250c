import { expect } from 'chai';
import { NO_FILTER, parseAppFilter } from './app-filter';
import { buildAppListView } from './app-list';
import { decodeGroupIds } from './marathon-wire';
import { app, queued } from './test-fixtures';

describe('buildAppListView', () => {
  const apps = [
    app('/web', { labels: { team: 'a' }, instances: 3, tasksRunning: 3 }),
    app('/prod/api', { labels: { team: 'b' }, instances: 2, tasksRunning: 1, deployments: [{ id: 'd' }] }),
    app('/prod/db/main', { labels: { team: 'b', tier: 'data' }, instances: 1, tasksRunning: 1 }),
    app('/batch', { instances: 0, tasksRunning: 0 }),
  ];
  const queue = new Map([['/prod/db/main', queued('/prod/db/main', false)]]);

  it('lists the root: its apps, and each subgroup once with its totals and worst status', () => {
    const view = buildAppListView(apps, queue, NO_FILTER);
    expect(view.apps.map((r) => r.id)).to.deep.equal(['/batch', '/web']);
    expect(view.groups).to.have.length(1);
    expect(view.groups[0]).to.deep.include({ id: '/prod', name: 'prod', apps: 2, target: 3, running: 2, status: 'delayed' });
    expect(view.total).to.equal(4);
    expect(view.statusCounts).to.deep.include({ running: 1, suspended: 1, deploying: 1, delayed: 1 });
  });

  it('lists a group with names relative to it, and breadcrumbs up to the root', () => {
    const view = buildAppListView(apps, queue, { ...NO_FILTER, group: '/prod' });
    expect(view.apps.map((r) => [r.id, r.name, r.status])).to.deep.equal([['/prod/api', 'api', 'deploying']]);
    expect(view.groups.map((g) => g.id)).to.deep.equal(['/prod/db']);
    expect(view.breadcrumbs.map((b) => b.id)).to.deep.equal(['/', '/prod']);
  });

  const filters: Array<{ name: string; query: string; expect: string[] }> = [
    { name: 'by id substring, case-insensitive, flat across groups', query: '?q=PRO', expect: ['/prod/api', '/prod/db/main'] },
    { name: 'by label key', query: '?label=tier', expect: ['/prod/db/main'] },
    { name: 'by label key=value', query: '?label=team=b', expect: ['/prod/api', '/prod/db/main'] },
    { name: 'by two labels (both must match)', query: '?label=team=b&label=tier=data', expect: ['/prod/db/main'] },
    { name: 'by status', query: '?status=running,suspended', expect: ['/batch', '/web'] },
    { name: 'by status within a group', query: '?group=/prod&status=delayed', expect: ['/prod/db/main'] },
  ];
  for (const f of filters) {
    it(`filters ${f.name}`, () => {
      const view = buildAppListView(apps, queue, parseAppFilter(f.query));
      expect(view.apps.map((r) => r.id)).to.deep.equal(f.expect);
      expect(view.groups).to.deep.equal([]);
    });
  }

  it('counts statuses over the text and label matches, not the status filter', () => {
    const view = buildAppListView(apps, queue, parseAppFilter('?label=team=b&status=deploying'));
    expect(view.apps.map((r) => r.id)).to.deep.equal(['/prod/api']);
    expect(view.statusCounts).to.deep.include({ deploying: 1, delayed: 1, running: 0 });
  });

  it('gives cpus and mem per instance and for all instances', () => {
    const row = buildAppListView(apps, queue, NO_FILTER).apps.find((r) => r.id === '/web');
    expect(row).to.deep.include({ cpus: 0.5, cpusTotal: 1.5, mem: 64, memTotal: 192, labels: [['team', 'a']] });
  });
});

describe('buildAppListView with the group tree', () => {
  const apps = [app('/prod/api'), app('/web')];
  const groupIds = decodeGroupIds({
    id: '/', apps: [], groups: [
      { id: '/prod', apps: [], groups: [{ id: '/prod/empty', apps: [], groups: [] }] },
      { id: '/staging', apps: [], groups: [{ id: '/staging/eu', apps: [], groups: [] }] },
    ],
  });

  it('reads every group id of GET /v2/groups, parents first', () => {
    expect(groupIds).to.deep.equal(['/prod', '/prod/empty', '/staging', '/staging/eu']);
  });

  it('lists groups without apps next to those with apps, with no status and zero totals', () => {
    const view = buildAppListView(apps, new Map(), NO_FILTER, groupIds);
    expect(view.groups.map((g) => [g.id, g.name, g.apps, g.status])).to.deep.equal([['/prod', 'prod', 1, 'running'], ['/staging', 'staging', 0, undefined]]);
    expect(view.groups[1]).to.deep.include({ target: 0, running: 0, cpusTotal: 0, memTotal: 0 });
    expect(view.apps.map((r) => r.id)).to.deep.equal(['/web']);
  });

  it('lists only the direct subgroups of the listed group', () => {
    expect(buildAppListView(apps, new Map(), { ...NO_FILTER, group: '/prod' }, groupIds).groups.map((g) => g.id)).to.deep.equal(['/prod/empty']);
    expect(buildAppListView(apps, new Map(), { ...NO_FILTER, group: '/staging/eu' }, groupIds).groups).to.deep.equal([]);
  });

  it('leaves groups out while a filter lists matching apps flat', () => {
    expect(buildAppListView(apps, new Map(), parseAppFilter('?q=api'), groupIds).groups).to.deep.equal([]);
  });
});
