// Debian's NSD serving a static zone on a loopback port: the C DNS server the DNS benchmark compares
// Tepui-DNS with, serving the very records Tepui-DNS serves (taken from its /v1/axfr).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AxfrRecords } from '@tepui/dns';

const fqdn = (name: string) => (name.endsWith('.') ? name : `${name}.`);

/** A zone file for `domain` holding the same A, AAAA and SRV records. */
export function zoneFile(domain: string, ttl: number, records: AxfrRecords): string {
  const lines = [
    `$ORIGIN ${fqdn(domain)}`,
    `$TTL ${ttl}`,
    `@ IN SOA ns1.${fqdn(domain)} root.ns1.${fqdn(domain)} 1 60 600 86400 ${ttl}`,
    `@ IN NS ns1.${fqdn(domain)}`,
    `ns1.${fqdn(domain)} IN A 127.0.0.1`,
  ];
  for (const [name, ips] of Object.entries(records.As)) for (const ip of ips) lines.push(`${fqdn(name)} IN A ${ip}`);
  for (const [name, ips] of Object.entries(records.AAAAs)) for (const ip of ips) lines.push(`${fqdn(name)} IN AAAA ${ip}`);
  for (const [name, targets] of Object.entries(records.SRVs)) {
    for (const t of targets) {
      const at = t.lastIndexOf(':');
      lines.push(`${fqdn(name)} IN SRV 0 1 ${t.slice(at + 1)} ${fqdn(t.slice(0, at))}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export interface Nsd {
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts nsd in the foreground on 127.0.0.1:`port` with `threads` server processes. */
export async function startNsd(dir: string, port: number, domain: string, zone: string, threads: number): Promise<Nsd> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'zone'), zone);
  writeFileSync(join(dir, 'nsd.conf'), [
    'server:',
    `  ip-address: 127.0.0.1@${port}`,
    `  server-count: ${threads}`,
    '  username: ""',
    '  chroot: ""',
    `  zonesdir: "${dir}"`,
    `  pidfile: "${join(dir, 'nsd.pid')}"`,
    `  xfrdfile: "${join(dir, 'xfrd.state')}"`,
    `  zonelistfile: "${join(dir, 'zone.list')}"`,
    '  database: ""',
    `  logfile: "${join(dir, 'nsd.log')}"`,
    '  verbosity: 0',
    '  hide-version: yes',
    // Debian builds NSD with response rate limiting on (200/s per client netblock): off for a load test.
    '  rrl-ratelimit: 0',
    '  rrl-whitelist-ratelimit: 0',
    'remote-control:',
    '  control-enable: no',
    'zone:',
    `  name: "${domain}"`,
    `  zonefile: "${join(dir, 'zone')}"`,
    '',
  ].join('\n'));
  const child = spawn('/usr/sbin/nsd', ['-d', '-c', join(dir, 'nsd.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    process: child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      if (child.exitCode !== 0 && child.signalCode === null && stderr) process.stderr.write(`nsd: ${stderr}\n`);
    },
  };
}
