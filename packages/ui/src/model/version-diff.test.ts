import { expect } from 'chai';
import fc from 'fast-check';
import { diffDefinitions, formatDiffValue } from './version-diff';

const v1 = {
  id: '/web', cmd: 'sleep 1', instances: 1, labels: { team: 'a', tier: 'web' }, env: { A: '1' },
  portDefinitions: [{ port: 0, name: 'http' }], version: '2026-12-04T09:00:00.000Z', versionInfo: { lastScalingAt: 'x' },
};

describe('version diff', () => {
  it('lists added, removed and changed leaves by path, in path order', () => {
    const v2 = {
      ...v1, cmd: 'sleep 2', labels: { team: 'b' }, env: { A: '1', B: '2' },
      portDefinitions: [{ port: 0, name: 'web' }, { port: 0 }], version: '2026-12-04T09:05:00.000Z', versionInfo: { lastScalingAt: 'y' },
    };
    expect(diffDefinitions(v1, v2)).to.deep.equal([
      { path: 'cmd', kind: 'changed', before: 'sleep 1', after: 'sleep 2' },
      { path: 'env.B', kind: 'added', after: '2' },
      { path: 'labels.team', kind: 'changed', before: 'a', after: 'b' },
      { path: 'labels.tier', kind: 'removed', before: 'web' },
      { path: 'portDefinitions[0].name', kind: 'changed', before: 'http', after: 'web' },
      { path: 'portDefinitions[1]', kind: 'added', after: { port: 0 } },
    ]);
  });

  it('finds nothing between versions that differ only in version and versionInfo', () => {
    expect(diffDefinitions(v1, { ...v1, version: 'later', versionInfo: {} })).to.deep.equal([]);
  });

  it('shows a whole field that changed type, and a missing side as a dash', () => {
    expect(diffDefinitions({ a: { b: 1 } }, { a: [1] })).to.deep.equal([{ path: 'a', kind: 'changed', before: { b: 1 }, after: [1] }]);
    expect(formatDiffValue(undefined)).to.equal('—');
    expect(formatDiffValue('x')).to.equal('"x"');
  });

  it('is empty from a definition to itself, and its paths do not depend on key order', () => {
    fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.dictionary(fc.string(), fc.jsonValue()), (a, b) => {
      expect(diffDefinitions(a, a)).to.deep.equal([]);
      const reversed = Object.fromEntries(Object.entries(b).reverse());
      expect(diffDefinitions(a, reversed)).to.deep.equal(diffDefinitions(a, b));
    }));
  });
});
