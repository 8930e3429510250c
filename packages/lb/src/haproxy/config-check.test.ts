// Runs the real `haproxy -c` (HAProxy 2.6.12 from Debian).
import { expect } from 'chai';
import { readdir } from 'node:fs/promises';
import { checkConfig } from './config-check';
import { renderTestConfig } from './test-support/haproxy-config';
import { makeScratchDir, removeScratchDir } from './test-support/loopback';

describe('checkConfig (real haproxy -c)', () => {
  let dir: string;
  beforeEach(async () => (dir = await makeScratchDir()));
  afterEach(() => removeScratchDir(dir));

  const valid = (): string => renderTestConfig({ adminSocket: `${dir}/admin.sock`, frontendPort: 8080, slots: 4 });

  it('accepts a rendered configuration and leaves no file behind', async () => {
    expect(await checkConfig(valid(), { dir })).to.deep.equal({ valid: true });
    expect(await readdir(dir)).to.deep.equal([]);
  });

  it('names the line of an unknown keyword and leaves no file behind', async () => {
    const lines = valid().split('\n');
    const backendLine = lines.indexOf('backend be_test') + 1;
    lines.splice(backendLine, 0, '  bogus_keyword 1');
    const result = await checkConfig(lines.join('\n'), { dir });
    expect(result).to.deep.equal({
      valid: false,
      problems: [{ line: backendLine + 1, message: "unknown keyword 'bogus_keyword' in 'backend' section" }],
    });
    expect(await readdir(dir)).to.deep.equal([]);
  });

  it('reports a problem HAProxy names without a line', async () => {
    const result = await checkConfig(valid().replace('default_backend be_test', 'default_backend nope'), { dir });
    expect(result.valid).to.equal(false);
    if (!result.valid) expect(result.problems[0]?.message).to.contain("unable to find required default_backend: 'nope'");
  });

  it('reports a missing binary as a problem instead of throwing', async () => {
    const result = await checkConfig(valid(), { dir, haproxyBin: '/nonexistent/haproxy' });
    expect(result.valid).to.equal(false);
    expect(await readdir(dir)).to.deep.equal([]);
  });

  it('checks concurrently without the checks seeing each other', async () => {
    const texts = [valid(), valid().replace('mode http', 'mode nonsense'), valid()];
    const results = await Promise.all(texts.map((t) => checkConfig(t, { dir })));
    expect(results.map((r) => r.valid)).to.deep.equal([true, false, true]);
  });
});
