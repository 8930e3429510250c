// The package graph of STYLE.md §2, checked on every run: protocol depends on no Tepui package,
// nothing imports the master, and only package entry points are imported across packages.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect } from 'chai';
import { REPO_ROOT } from '../support/processes';

const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  protocol: [],
  coordination: ['protocol'],
  sdk: ['protocol', 'coordination'],
  master: ['protocol', 'coordination'],
  agent: ['protocol', 'coordination'],
  executor: ['protocol'],
  // The browser UI shares Marathon's wire types with the server (type-only; see below).
  ui: ['protocol'],
  // Marathon serves the UI's built bundle, located through the UI package's entry point.
  marathon: ['protocol', 'sdk', 'coordination', 'ui'],
  // Discovery reads only the masters' public APIs (and finds the leader through coordination).
  dns: ['protocol', 'coordination'],
  // The load balancer reads only Marathon's public API.
  lb: ['protocol'],
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') || path.endsWith('.tsx') ? [path] : [];
  });
}

describe('package dependencies', () => {
  for (const [pkg, allowed] of Object.entries(ALLOWED)) {
    it(`${pkg} imports only ${allowed.length > 0 ? allowed.map((a) => `@tepui/${a}`).join(', ') : 'no Tepui package'}, through entry points`, () => {
      const problems: string[] = [];
      for (const file of sources(join(REPO_ROOT, 'packages', pkg, 'src'))) {
        const text = readFileSync(file, 'utf8');
        for (const match of text.matchAll(/from '(@tepui\/[^']+)'|require\('(@tepui\/[^']+)'\)/g)) {
          const spec = match[1] ?? match[2]!;
          const [, name, ...deep] = spec.split('/');
          const where = relative(REPO_ROOT, file);
          if (!allowed.includes(name!)) problems.push(`${where} imports ${spec}`);
          if (deep.length > 0) problems.push(`${where} reaches inside ${spec}`);
        }
        if (/from '\.\.\/\.\.\/\.\.\//.test(text)) problems.push(`${relative(REPO_ROOT, file)} imports across package folders by path`);
      }
      expect(problems).to.deep.equal([]);
    });
  }
});

describe('the web UI bundle', () => {
  it('takes only types from other Tepui packages (their code is Node code, not for the browser)', () => {
    const problems: string[] = [];
    for (const file of sources(join(REPO_ROOT, 'packages', 'ui', 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/^import (?!type )[^;]*from '(@tepui\/[^']+)'/gm)) problems.push(`${relative(REPO_ROOT, file)} imports code from ${match[1]}`);
    }
    expect(problems).to.deep.equal([]);
  });
});
