// SandboxFiles against a real directory: reads, listings and the refusals that need the disk.
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { BadRequest, NotFound } from '../errors';
import { sandboxAttachments } from './attachments';
import { SandboxFiles } from './files-http';

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected a refusal');
}

describe('SandboxFiles', () => {
  let dir: string;
  let sandbox: string;
  let files: SandboxFiles;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tepui-files-'));
    sandbox = join(dir, 'slaves', 'A', 'frameworks', 'F', 'executors', 'E', 'runs', 'c1');
    mkdirSync(join(sandbox, 'sub'), { recursive: true });
    writeFileSync(join(sandbox, 'stdout'), 'hello\nworld\n');
    writeFileSync(join(sandbox, 'stderr'), '');
    writeFileSync(join(dir, 'secret'), 'outside');
    symlinkSync(join(dir, 'secret'), join(sandbox, 'escape'));
    symlinkSync('/etc', join(sandbox, 'etc'));
    symlinkSync('stdout', join(sandbox, 'alias'));
    files = new SandboxFiles(() => sandboxAttachments([{ frameworkId: 'F', executorId: 'E', sandbox }]));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the exact window, through the latest alias too, and sees appended bytes', async () => {
    expect(await files.read(join(sandbox, 'stdout'), 6, 5)).to.deep.equal({ size: 12, data: Buffer.from('world') });
    expect(await files.read('/frameworks/F/executors/E/runs/latest/stdout', 0, undefined)).to.deep.equal({ size: 12, data: Buffer.from('hello\nworld\n') });
    appendFileSync(join(sandbox, 'stdout'), 'more\n');
    expect(await files.read(join(sandbox, 'stdout'), 12, undefined)).to.deep.equal({ size: 17, data: Buffer.from('more\n') });
    expect(await files.read(join(sandbox, 'stdout'), 100, 5)).to.deep.equal({ size: 17, data: Buffer.alloc(0) });
  });

  it('follows a symlink that stays inside', async () => {
    expect((await files.read(join(sandbox, 'alias'), 0, 5)).data.toString()).to.equal('hello');
  });

  it('refuses a symlink out of the sandbox, `..` out of it and paths elsewhere', async () => {
    const outside = await refusal(files.read(join(sandbox, 'escape'), 0, undefined));
    expect(outside).to.be.instanceOf(BadRequest);
    expect((outside as Error).message).to.equal(`'${join(sandbox, 'escape')}' is inaccessible.\n`);
    expect(await refusal(files.read(join(sandbox, 'etc', 'passwd'), 0, undefined))).to.be.instanceOf(BadRequest);
    expect(await refusal(files.browse(join(sandbox, 'etc')))).to.be.instanceOf(BadRequest);
    expect(await refusal(files.read(`${sandbox}/../../../../../../../secret`, 0, undefined))).to.be.instanceOf(BadRequest);
    expect(await refusal(files.read(join(dir, 'secret'), 0, undefined))).to.be.instanceOf(NotFound);
    expect(await refusal(files.read('/etc/passwd', 0, undefined))).to.be.instanceOf(NotFound);
    expect(await refusal(files.read(join(sandbox, 'missing'), 0, undefined))).to.be.instanceOf(NotFound);
  });

  it('refuses to read a directory', async () => {
    const err = await refusal(files.read(join(sandbox, 'sub'), 0, undefined));
    expect(err).to.be.instanceOf(BadRequest);
    expect((err as Error).message).to.equal('Cannot read a directory.\n');
  });

  it('lists a directory sorted by path, with the requested path as the prefix', async () => {
    const listing = await files.browse('/frameworks/F/executors/E/runs/latest/');
    expect(listing.map((e) => e.path)).to.deep.equal(['alias', 'escape', 'etc', 'stderr', 'stdout', 'sub'].map((n) => `/frameworks/F/executors/E/runs/latest/${n}`));
    const stdout = listing.find((e) => e.path.endsWith('/stdout'))!;
    expect(stdout).to.include({ size: 17, nlink: 1 });
    expect(stdout.mode).to.match(/^-[rwx-]{9}$/);
    expect(listing.find((e) => e.path.endsWith('/sub'))!.mode[0]).to.equal('d');
    expect(Object.keys(stdout)).to.have.members(['path', 'nlink', 'size', 'mtime', 'mode', 'uid', 'gid']);
  });
});
