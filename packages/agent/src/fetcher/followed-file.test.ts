import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from '@tepui/protocol';
import { FollowedFile } from './followed-file';

describe('a file followed while it is written', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'followed-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Reads `body` to its end; `got` counts the bytes read so far. */
  const reader = (body: FollowedFile) => {
    const chunks: Buffer[] = [];
    const all = (async () => {
      for await (const chunk of body) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    })();
    return { all, got: () => chunks.reduce((n, c) => n + c.length, 0) };
  };

  it('reads every byte as the writer appends them, and ends only when told the writer is done', async () => {
    const path = join(dir, 'growing');
    writeFileSync(path, '');
    const body = await FollowedFile.open(path);
    const { all, got } = reader(body);
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
    // Everything written so far is read (the last write is announced), and still no end.
    body.grew();
    const total = written.reduce((n, b) => n + b.length, 0);
    await until(() => got() === total || undefined, 'every byte written so far read');
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
    const { all: read, got } = reader(body);
    const all = read.then(() => undefined, (err: Error) => err);
    await until(() => got() === 4 || undefined, 'the first bytes read');
    body.destroy(new Error('download failed'));
    expect(((await all) as Error).message).to.equal('download failed');
  });
});
