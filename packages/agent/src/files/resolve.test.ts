// The files API's path decision: which attached root a requested path falls under, and what it refuses.
import { expect } from 'chai';
import { sandboxAttachments, virtualLatestPath } from './attachments';
import { isWithin, resolveSandboxPath, type Resolution } from './resolve';

const WORK = '/var/lib/tepui/slaves/A-S0/frameworks/F/executors/E/runs';
const OLD = `${WORK}/c1`;
const NEW = `${WORK}/c2`;
const attached = sandboxAttachments([
  { frameworkId: 'F', executorId: 'E', sandbox: OLD },
  { frameworkId: 'F', executorId: 'E', sandbox: NEW },
]);

describe('resolveSandboxPath', () => {
  const cases: Array<[string, string, Resolution]> = [
    ['the sandbox itself', NEW, { kind: 'found', root: NEW, candidate: NEW }],
    ['a file inside', `${NEW}/stdout`, { kind: 'found', root: NEW, candidate: `${NEW}/stdout` }],
    ['a nested file', `${NEW}/a/b/c.txt`, { kind: 'found', root: NEW, candidate: `${NEW}/a/b/c.txt` }],
    ['an older run still attached', `${OLD}/stderr`, { kind: 'found', root: OLD, candidate: `${OLD}/stderr` }],
    ['trailing slashes', `${NEW}///`, { kind: 'found', root: NEW, candidate: NEW }],
    ['doubled slashes inside', `${NEW}//sub//stdout`, { kind: 'found', root: NEW, candidate: `${NEW}/sub/stdout` }],
    ['a file:// URI', `file://${NEW}/stdout`, { kind: 'found', root: NEW, candidate: `${NEW}/stdout` }],
    ['`.` and a `..` that stays inside', `${NEW}/./sub/../stdout`, { kind: 'found', root: NEW, candidate: `${NEW}/stdout` }],
    ['the virtual latest alias: the newest run', `${virtualLatestPath('F', 'E')}/stdout`, { kind: 'found', root: NEW, candidate: `${NEW}/stdout` }],
    ['the real latest alias', `${WORK}/latest/stdout`, { kind: 'found', root: NEW, candidate: `${NEW}/stdout` }],
    ['`..` out of the sandbox', `${NEW}/../c1/stdout`, { kind: 'inaccessible', path: `${NEW}/../c1/stdout` }],
    ['`..` far out of the sandbox', `${NEW}/../../../../../../../etc/passwd`, { kind: 'inaccessible', path: `${NEW}/../../../../../../../etc/passwd` }],
    ['`..` out of the latest alias', `${virtualLatestPath('F', 'E')}/../../../../etc/passwd`, { kind: 'inaccessible', path: `${NEW}/../../../../etc/passwd` }],
    ['an absolute path elsewhere', '/etc/passwd', { kind: 'not-found' }],
    ['the root', '/', { kind: 'not-found' }],
    ['the runs directory above the sandboxes', WORK, { kind: 'not-found' }],
    ['a sibling whose name starts like the sandbox', `${NEW}x/stdout`, { kind: 'not-found' }],
    ['a relative path', 'stdout', { kind: 'not-found' }],
    ['an unknown executor\'s latest', `${virtualLatestPath('F', 'other')}/stdout`, { kind: 'not-found' }],
    ['an empty path', '', { kind: 'not-found' }],
    ['a NUL byte', `${NEW}/stdout\0.txt`, { kind: 'not-found' }],
  ];
  for (const [name, requested, expected] of cases) {
    it(name, () => expect(resolveSandboxPath(requested, attached)).to.deep.equal(expected));
  }

  it('takes a decoded query: %2F and %2E%2E arrive as / and ..', () => {
    const path = new URLSearchParams(`path=${encodeURIComponent(`${NEW}/../c1/stdout`)}`).get('path')!;
    expect(resolveSandboxPath(path, attached).kind).to.equal('inaccessible');
    const inside = new URLSearchParams(`path=${NEW.replace(/\//g, '%2F')}%2Fstdout`).get('path')!;
    expect(resolveSandboxPath(inside, attached)).to.deep.equal({ kind: 'found', root: NEW, candidate: `${NEW}/stdout` });
  });
});

describe('sandboxAttachments', () => {
  it('attaches each run under its real path and the newest under both latest names', () => {
    expect(Object.fromEntries(attached)).to.deep.equal({
      [OLD]: OLD,
      [NEW]: NEW,
      [`${WORK}/latest`]: NEW,
      ['/frameworks/F/executors/E/runs/latest']: NEW,
    });
  });
});

describe('isWithin', () => {
  it('is segment-wise, not a string prefix', () => {
    expect(isWithin('/a/b', '/a/b')).to.equal(true);
    expect(isWithin('/a/b', '/a/b/c')).to.equal(true);
    expect(isWithin('/a/b/', '/a/b/c')).to.equal(true);
    expect(isWithin('/a/b', '/a/bc')).to.equal(false);
    expect(isWithin('/a/b', '/a')).to.equal(false);
    expect(isWithin('/a/b', '/etc/passwd')).to.equal(false);
  });
});
