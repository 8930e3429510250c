// The real `dig` (Debian's dnsutils) against a server on loopback, its output parsed into what the
// serving tests assert on.
import { execFile } from 'node:child_process';

export interface DigRecord {
  readonly name: string;
  readonly ttl: number;
  readonly type: string;
  readonly data: string;
}

export interface DigResult {
  /** NOERROR, NXDOMAIN, SERVFAIL, … or 'NO REPLY' when dig gave up. */
  readonly status: string;
  readonly flags: readonly string[];
  readonly answers: readonly DigRecord[];
  readonly authority: readonly DigRecord[];
  readonly additional: readonly DigRecord[];
  /** 'UDP' or 'TCP', from the SERVER line. */
  readonly transport: string;
  readonly raw: string;
}

export const DIG = '/usr/bin/dig';

/** `dig @127.0.0.1 -p <port> <name> <type> <options…>`, one try of `timeSeconds` unless options say otherwise. */
export function dig(port: number, name: string, type = 'A', options: readonly string[] = [], timeSeconds = 3): Promise<DigResult> {
  const args = ['@127.0.0.1', '-p', String(port), name, type, `+time=${timeSeconds}`, '+tries=1', ...options];
  return new Promise((resolve, reject) => {
    execFile(DIG, args, { timeout: (timeSeconds + 10) * 1000 }, (err, stdout) => {
      if (err && !stdout) return reject(new Error(`dig ${args.join(' ')} failed: ${err.message}`));
      resolve(parseDig(stdout));
    });
  });
}

/** `dig … +short`: the answer data lines only. */
export function digShort(port: number, name: string, type = 'A', options: readonly string[] = []): Promise<string[]> {
  const args = ['@127.0.0.1', '-p', String(port), name, type, '+short', '+time=3', '+tries=1', ...options];
  return new Promise((resolve, reject) => {
    execFile(DIG, args, { timeout: 15_000 }, (err, stdout) => {
      if (err) return reject(new Error(`dig ${args.join(' ')} failed: ${err.message}`));
      resolve(stdout.split('\n').filter(Boolean));
    });
  });
}

function section(raw: string, title: string): DigRecord[] {
  const body = new RegExp(`;; ${title} SECTION:\\n([\\s\\S]*?)(\\n\\n|$)`).exec(raw)?.[1] ?? '';
  return body.split('\n').filter((line) => line && !line.startsWith(';')).map((line) => {
    const [name = '', ttl = '0', , type = '', ...data] = line.split(/\s+/);
    return { name, ttl: Number(ttl), type, data: data.join(' ') };
  });
}

export function parseDig(raw: string): DigResult {
  return {
    status: /status: ([A-Z]+)/.exec(raw)?.[1] ?? 'NO REPLY',
    flags: (/;; flags: ([a-z ]*);/.exec(raw)?.[1] ?? '').split(' ').filter(Boolean),
    answers: section(raw, 'ANSWER'),
    authority: section(raw, 'AUTHORITY'),
    additional: section(raw, 'ADDITIONAL'),
    transport: /;; SERVER: .*\((UDP|TCP)\)/.exec(raw)?.[1] ?? '',
    raw,
  };
}
