import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, gzipSync } from 'node:zlib';
import * as tar from 'tar';
import { PassThrough } from 'node:stream';
import { extractArchive, extractStream, extractsAsItArrives, ExtractError } from './extract';

interface ZipEntry { readonly name: string; readonly data?: string; readonly mode?: number }

/** A stored (uncompressed) zip, enough to give yauzl names, modes and symlinks of our choosing. */
function zipOf(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const data = Buffer.from(e.data ?? '');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(10, 4); local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18); local.writeUInt32LE(data.length, 22); local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(0x031e, 4); central.writeUInt16LE(10, 6);
    central.writeUInt32LE(crc, 16); central.writeUInt32LE(data.length, 20); central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28); central.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38); central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

describe('archive extraction', () => {
  let dir: string;
  let src: string;
  let out: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'extract-'));
    src = join(dir, 'src');
    out = join(dir, 'out');
    mkdirSync(join(src, 'bin'), { recursive: true });
    mkdirSync(out);
    writeFileSync(join(src, 'bin', 'run.sh'), '#!/bin/sh\necho ran\n', { mode: 0o755 });
    writeFileSync(join(src, 'data.txt'), 'x'.repeat(200_000));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const tarball = (name: string, gzip: boolean) => {
    const file = join(dir, name);
    tar.c({ file, cwd: src, gzip, sync: true }, ['bin', 'data.txt']);
    return file;
  };
  const expectTree = () => {
    expect(readFileSync(join(out, 'bin', 'run.sh'), 'utf8')).to.equal('#!/bin/sh\necho ran\n');
    expect(statSync(join(out, 'bin', 'run.sh')).mode & 0o111).to.not.equal(0);
    expect(statSync(join(out, 'data.txt')).size).to.equal(200_000);
  };

  it('unpacks tar, tar.gz, tar.bz2 and tar.xz, keeping modes', async () => {
    await extractArchive(tarball('a.tar', false), 'tar', out);
    expectTree();
    for (const [tool, kind] of [['bzip2', 'tar.bz2'], ['xz', 'tar.xz']] as const) {
      rmSync(out, { recursive: true }); mkdirSync(out);
      const plain = tarball(`b-${tool}.tar`, false);
      execFileSync(tool, ['-k', plain]);
      await extractArchive(`${plain}.${tool === 'bzip2' ? 'bz2' : 'xz'}`, kind, out);
      expectTree();
    }
    rmSync(out, { recursive: true }); mkdirSync(out);
    await extractArchive(tarball('c.tgz', true), 'tar.gz', out);
    expectTree();
  });

  it('unpacks tarballs of every kind fed in small chunks as they arrive, as from the file', async () => {
    const plain = tarball('s.tar', false);
    execFileSync('bzip2', ['-k', plain]);
    execFileSync('xz', ['-k', plain]);
    const cases = [[plain, 'tar'], [tarball('s.tgz', true), 'tar.gz'], [`${plain}.bz2`, 'tar.bz2'], [`${plain}.xz`, 'tar.xz']] as const;
    for (const [file, kind] of cases) {
      rmSync(out, { recursive: true }); mkdirSync(out);
      const body = new PassThrough();
      const done = extractStream(body, file, kind, out);
      const bytes = readFileSync(file);
      for (let at = 0; at < bytes.length; at += 1000) body.write(bytes.subarray(at, at + 1000));
      body.end();
      await done;
      expectTree();
    }
    expect(extractsAsItArrives('zip') || extractsAsItArrives('gz')).to.equal(false);
  });

  it('fails a streamed extraction on corrupt bytes, and when its input is destroyed', async () => {
    const corrupt = new PassThrough();
    const done = extractStream(corrupt, join(dir, 'bad.tgz'), 'tar.gz', out);
    corrupt.end(Buffer.from('this is not gzip data, not at all'));
    const err = await done.then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(ExtractError);
    expect((err as Error).message).to.include('bad.tgz');
    for (const kind of ['tar.gz', 'tar.bz2', 'tar.xz'] as const) {
      const cut = new PassThrough();
      const cutDone = extractStream(cut, join(dir, `cut.${kind}`), kind, out);
      cut.write(readFileSync(tarball('d.tgz', true)).subarray(0, 100));
      cut.destroy(new Error('download failed'));
      const failed = await cutDone.then(() => undefined, (e: unknown) => e);
      expect(failed, kind).to.be.instanceOf(ExtractError);
    }
  });

  it('decompresses a plain .gz in place, as gunzip does', async () => {
    const file = join(out, 'config.json.gz');
    writeFileSync(file, gzipSync('{"a":1}'));
    await extractArchive(file, 'gz', out);
    expect(readFileSync(join(out, 'config.json'), 'utf8')).to.equal('{"a":1}');
    expect(existsSync(file)).to.equal(false);
  });

  it('unpacks zip files with their modes and inner symlinks', async () => {
    const file = join(dir, 'a.zip');
    writeFileSync(file, zipOf([
      { name: 'bin/', mode: 0o040755 },
      { name: 'bin/run.sh', data: '#!/bin/sh\necho ran\n', mode: 0o100755 },
      { name: 'current', data: 'bin', mode: 0o120777 },
    ]));
    await extractArchive(file, 'zip', out);
    expect(statSync(join(out, 'bin', 'run.sh')).mode & 0o777).to.equal(0o755);
    expect(lstatSync(join(out, 'current')).isSymbolicLink()).to.equal(true);
    expect(readlinkSync(join(out, 'current'))).to.equal('bin');
  });

  it('fails on corrupt and truncated archives of every kind, naming the archive', async () => {
    const cut = (file: string) => {
      const bytes = readFileSync(file);
      writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
      return file;
    };
    const plain = tarball('t.tar', false);
    execFileSync('bzip2', ['-k', plain]);
    execFileSync('xz', ['-k', plain]);
    const cases: Array<[string, Parameters<typeof extractArchive>[1]]> = [
      [cut(tarball('t.tgz', true)), 'tar.gz'], [cut(`${plain}.bz2`), 'tar.bz2'], [cut(`${plain}.xz`), 'tar.xz'],
      [cut(plain), 'tar'],
    ];
    writeFileSync(join(dir, 'z.zip'), zipOf([{ name: 'a', data: 'b' }]).subarray(0, 40));
    cases.push([join(dir, 'z.zip'), 'zip']);
    writeFileSync(join(dir, 'junk.tgz'), Buffer.from('this is not an archive at all, not even close'));
    cases.push([join(dir, 'junk.tgz'), 'tar.gz']);
    for (const [file, kind] of cases) {
      const err = await extractArchive(file, kind, out).then(() => undefined, (e: unknown) => e);
      expect(err, `${kind} ${file}`).to.be.instanceOf(ExtractError);
      expect((err as Error).message).to.include(file);
    }
  });

  it('writes nothing outside the destination: .. entries and symlinks out are refused', async () => {
    const escapes = [
      zipOf([{ name: '../escaped.txt', data: 'x' }]),
      zipOf([{ name: 'link', data: '../../etc', mode: 0o120777 }]),
    ];
    for (const [n, bytes] of escapes.entries()) {
      const file = join(dir, `evil${n}.zip`);
      writeFileSync(file, bytes);
      const err = await extractArchive(file, 'zip', out).then(() => undefined, (e: unknown) => e);
      expect(err, `zip ${n}`).to.be.instanceOf(ExtractError);
    }
    const evilTar = join(dir, 'evil.tar');
    const header = new tar.Header({ path: '../escaped.txt', mode: 0o644, size: 1, type: 'File', mtime: new Date() });
    const block = Buffer.alloc(512);
    header.encode(block);
    writeFileSync(evilTar, Buffer.concat([block, Buffer.from('x'), Buffer.alloc(511), Buffer.alloc(1024)]));
    const err = await extractArchive(evilTar, 'tar', out).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(ExtractError);
    expect(existsSync(join(dir, 'escaped.txt'))).to.equal(false);
    expect(existsSync(join(out, 'link'))).to.equal(false);
  });
});
