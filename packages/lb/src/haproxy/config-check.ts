// Validates a configuration text with the real binary, as marathon-lb does before every reload
// (`haproxy -c -f <tmp>`, discovery B.5): HAProxy is the only authority on what it will accept.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseConfigAlerts } from './alerts';
import type { ConfigProblem } from './errors';

export const DEFAULT_HAPROXY_BIN = '/usr/sbin/haproxy';
export const CONFIG_CHECK_TIMEOUT_MS = 10_000;

export type ConfigCheckResult = { valid: true } | { valid: false; problems: ConfigProblem[] };

export interface ConfigCheckOptions {
  readonly haproxyBin?: string;
  /** Where the temporary file goes; relative paths inside the configuration resolve the same way. */
  readonly dir: string;
  readonly timeoutMs?: number;
}

export async function checkConfig(text: string, opts: ConfigCheckOptions): Promise<ConfigCheckResult> {
  // A private directory per check: concurrent checks never share a name, and one rm cleans it all.
  const scratch = await mkdtemp(join(opts.dir, '.haproxy-check-'));
  try {
    const file = join(scratch, 'haproxy.cfg');
    await writeFile(file, text);
    const run = await runCheck(opts.haproxyBin ?? DEFAULT_HAPROXY_BIN, file, opts.timeoutMs ?? CONFIG_CHECK_TIMEOUT_MS);
    if (run.exitCode === 0) return { valid: true };
    const lines = run.output.split('\n');
    const problems = parseConfigAlerts(lines);
    if (problems.length > 0) return { valid: false, problems };
    const last = lines.filter((line) => line.trim() !== '').pop();
    return { valid: false, problems: [{ message: run.failure ?? last ?? `haproxy -c exited with ${run.exitCode}` }] };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

interface CheckRun {
  readonly exitCode: number | null;
  /** stderr then stdout: HAProxy writes its alerts to stderr. */
  readonly output: string;
  /** Why the run itself failed (missing binary, timeout), when it did. */
  readonly failure?: string;
}

function runCheck(bin: string, file: string, timeoutMs: number): Promise<CheckRun> {
  return new Promise((resolve) => {
    execFile(bin, ['-c', '-f', file], { timeout: timeoutMs, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      const output = `${stderr}\n${stdout}`;
      if (!error) return resolve({ exitCode: 0, output });
      const code = typeof error.code === 'number' ? error.code : null;
      const failure = error.killed ? `haproxy -c did not finish within ${timeoutMs} ms` : code === null ? error.message : undefined;
      resolve({ exitCode: code, output, failure });
    });
  });
}
