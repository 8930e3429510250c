import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FollowedFile } from './followed-file';

describe('a file followed while it is written', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'followed-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const readAll = async (body: FollowedFile) => {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };

  it('reads every byte as the writer appends them, and ends only when told the writer is done', async () => {
    const path = join(dir, 'growing');
    writeFileSync(path, '');
    const body = await FollowedFile.open(path);
    const all = readAll(body);
    const written: Buffer[] = [];
    for (let i = 0; i < 40; i++) {
      const piece = randomBytes(i % 3 === 0 ? 70_000 : 1_000);
      appendFileSync(path, piece);
      written.push(piece);
      // News of a write may come before or after the reader looks: both are followed.
      if (i % 2 === 0) body.grew();
      await new Promise((resolve) => setImmediate(resolve));
    }
    let ended = false;
    void all.then(() => (ended = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ended, 'ended before the writer was done').to.equal(false);
    const last = randomBytes(5);
    appendFileSync(path, last);
    written.push(last);
    body.finish();
    expect((await all).equals(Buffer.concat(written))).to.equal(true);
  });

  it('fails its reader when the writer fails', async () => {
    const path = join(dir, 'failing');
    writeFileSync(path, 'some');
    const body = await FollowedFile.open(path);
    const all = readAll(body).then(() => undefined, (err: Error) => err);
    await new Promise((resolve) => setTimeout(resolve, 10));
    body.destroy(new Error('download failed'));
    expect(((await all) as Error).message).to.equal('download failed');
  });
});
