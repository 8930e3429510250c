// The files API's shapes: browse entries, v1 FileInfo, the read window and the read reply's bytes.
import { expect } from 'chai';
import { browseEntry, joinListedPath, modeString, parseIdNames, sortEntries, v1FileInfo, type IdNames } from './file-info';
import { MAX_READ_LENGTH, jsonStringOfBytes, parseReadQuery, readReplyBody, readWindow, replyOffset } from './read-window';

const names: IdNames = { users: new Map([[0, 'root']]), groups: new Map([[0, 'root']]) };
const file = { nlink: 1, size: 42, mtimeMs: 1_700_000_000_999, mode: 0o100644, uid: 0, gid: 1234 };

describe('file info shapes', () => {
  it('modeString writes ls -l letters', () => {
    expect(modeString(0o100644)).to.equal('-rw-r--r--');
    expect(modeString(0o040755)).to.equal('drwxr-xr-x');
    expect(modeString(0o120777)).to.equal('lrwxrwxrwx');
    expect(modeString(0o010600)).to.equal('prw-------');
    expect(modeString(0o104755)).to.equal('-rwxr-xr-x');
  });

  it('a browse entry is {path, nlink, size, mtime (seconds), mode (string), uid, gid (names or numbers)}', () => {
    expect(browseEntry('/s/stdout', file, names)).to.deep.equal({ path: '/s/stdout', nlink: 1, size: 42, mtime: 1_700_000_000, mode: '-rw-r--r--', uid: 'root', gid: '1234' });
  });

  it('a v1 FileInfo has mtime in nanoseconds and mode as st_mode', () => {
    expect(v1FileInfo('/s/stdout', file, names)).to.deep.equal({ path: '/s/stdout', nlink: 1, size: 42, mtime: { nanoseconds: 1_700_000_000e9 }, mode: 0o100644, uid: 'root', gid: '1234' });
  });

  it('listed paths join the requested path and the entry with one slash; entries sort by path', () => {
    expect(joinListedPath('/s/', 'stdout')).to.equal('/s/stdout');
    expect(joinListedPath('/s', 'stdout')).to.equal('/s/stdout');
    expect(sortEntries([{ path: '/s/stdout' }, { path: '/s/B' }, { path: '/s/a' }]).map((e) => e.path)).to.deep.equal(['/s/B', '/s/a', '/s/stdout']);
  });

  it('parseIdNames reads passwd/group lines', () => {
    expect([...parseIdNames('root:x:0:0:root:/root:/bin/bash\n# comment\nnobody:x:65534:65534::/:/usr/sbin/nologin\nbad line\n')]).to.deep.equal([[0, 'root'], [65534, 'nobody']]);
  });
});

describe('read parameters and window', () => {
  const q = (s: string) => parseReadQuery(new URLSearchParams(s));
  it('offset defaults to -1 (the size); length=-1 is no length', () => {
    expect(q('path=/s/stdout')).to.deep.equal({ ok: true, value: { path: '/s/stdout', offset: -1 } });
    expect(q('path=/s/stdout&offset=10&length=-1')).to.deep.equal({ ok: true, value: { path: '/s/stdout', offset: 10 } });
    expect(q('path=/s/stdout&offset=10&length=5')).to.deep.equal({ ok: true, value: { path: '/s/stdout', offset: 10, length: 5 } });
  });
  it('refuses as Mesos does', () => {
    expect(q('offset=1')).to.deep.equal({ ok: false, error: "Expecting 'path=value' in query.\n" });
    expect(q('path=')).to.deep.equal({ ok: false, error: "Expecting 'path=value' in query.\n" });
    expect(q('path=/s&offset=-2')).to.deep.equal({ ok: false, error: 'Negative offset provided: -2.\n' });
    expect(q('path=/s&length=-7')).to.deep.equal({ ok: false, error: 'Negative length provided: -7.\n' });
    expect(q('path=/s&offset=abc')).to.include({ ok: false });
    expect(q('path=/s&length=1.5')).to.include({ ok: false });
  });
  it('the window: to the end by default, capped at 16 pages, nothing past the end', () => {
    expect(readWindow(0, undefined, 100)).to.deep.equal({ start: 0, count: 100 });
    expect(readWindow(10, 5, 100)).to.deep.equal({ start: 10, count: 5 });
    expect(readWindow(90, 50, 100)).to.deep.equal({ start: 90, count: 10 });
    expect(readWindow(0, undefined, 1_000_000)).to.deep.equal({ start: 0, count: MAX_READ_LENGTH });
    expect(readWindow(0, 1_000_000, 1_000_000).count).to.equal(65536);
    expect(readWindow(100, 5, 100)).to.deep.equal({ start: 100, count: 0 });
    expect(readWindow(500, undefined, 100)).to.deep.equal({ start: 500, count: 0 });
    expect(readWindow(0, 0, 100)).to.deep.equal({ start: 0, count: 0 });
    expect(replyOffset(-1, 123)).to.equal(123);
    expect(replyOffset(500, 123)).to.equal(500);
  });
});

describe('the read reply', () => {
  it('is {"data","offset"} JSON that parses back to the text', () => {
    const text = 'line-1\n"quoted" \\ tab\t\u0001 ünï\n';
    expect(JSON.parse(readReplyBody(Buffer.from(text), 7).toString('utf8'))).to.deep.equal({ data: text, offset: 7 });
  });
  it('keeps bytes >= 0x80 as they are, even half a UTF-8 character', () => {
    const half = Buffer.from('ü').subarray(0, 1);
    expect(jsonStringOfBytes(half)).to.deep.equal(Buffer.concat([Buffer.from('"'), half, Buffer.from('"')]));
  });
});
