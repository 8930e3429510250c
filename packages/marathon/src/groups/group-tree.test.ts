import { expect } from 'chai';
import { appsBelow, buildGroupTree, findGroup, parentOf, pathConflict, resolvePath, scaleGroup } from './group-tree';

const app = (id: string, instances = 1) => ({ id, instances });

describe('group tree', () => {
  it('resolves relative ids and finds parents', () => {
    expect(resolvePath('web')).to.equal('/web');
    expect(resolvePath('web', '/prod')).to.equal('/prod/web');
    expect(resolvePath('../db', '/prod/web')).to.equal('/prod/db');
    expect(resolvePath('/a/./b/')).to.equal('/a/b');
    expect(parentOf('/a/b/c')).to.equal('/a/b');
    expect(parentOf('/a')).to.equal('/');
  });

  it('builds the tree from flat apps, sorted, with empty explicit groups and dependencies', () => {
    const root = buildGroupTree([app('/prod/web/api'), app('/prod/db'), app('/tools')], [{ id: '/staging', dependencies: ['/prod'], version: 'v2' }], 'v1');
    expect(root.apps.map((a) => a.id)).to.deep.equal(['/tools']);
    expect(root.groups.map((g) => g.id)).to.deep.equal(['/prod', '/staging']);
    expect(findGroup(root, '/staging')).to.deep.include({ dependencies: ['/prod'], version: 'v2', apps: [] });
    expect(findGroup(root, '/prod/web')!.apps.map((a) => a.id)).to.deep.equal(['/prod/web/api']);
    expect(appsBelow(findGroup(root, '/prod')!).map((a) => a.id)).to.deep.equal(['/prod/db', '/prod/web/api']);
    expect(findGroup(root, '/nope')).to.equal(undefined);
  });

  it('scales a group by a factor, rounding up', () => {
    expect(scaleGroup([app('/a', 3), app('/b', 1)], 1.5).map((a) => a.instances)).to.deep.equal([5, 2]);
  });

  it('detects an app where a group would be, and the reverse', () => {
    expect(pathConflict(['/prod/web'], '/prod/web/api')).to.equal('/prod/web');
    expect(pathConflict(['/prod/web/api'], '/prod/web')).to.equal('/prod/web/api');
    expect(pathConflict(['/prod/web'], '/prod/db')).to.equal(undefined);
  });
});
