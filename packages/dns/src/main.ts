#!/usr/bin/env node
// tepui-dns: Mesos-DNS for Tepui. Reads config.json (-config) and flags, follows the leading master's
// operator event stream, and serves DNS and the HTTP API until SIGTERM or SIGINT.
import pino from 'pino';
import { parseCommandLine } from './config/command-line';
import { startDnsService } from './dns-service';
import { TEPUI_DNS_VERSION } from './http/dns-http-api';

async function main(): Promise<void> {
  let line;
  try {
    line = parseCommandLine(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`tepui-dns: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
  if (line.printVersion) {
    process.stdout.write(`${TEPUI_DNS_VERSION}\n`);
    return;
  }
  const log = pino({ level: line.logLevel }).child({ component: 'dns' });
  log.info({ configFile: line.configFile ?? null, domain: line.config.domain, masters: line.config.masters, zk: line.config.zk !== '' }, 'starting Tepui-DNS');
  // Until the first state is loaded (DNS only listens then), a signal just ends the process.
  const early = () => process.exit(0);
  process.once('SIGTERM', early);
  process.once('SIGINT', early);
  const service = await startDnsService(line.config, log, (reason) => {
    // Mesos-DNS exits when ZooKeeper names no leader for zkDetectionTimeout; so does Tepui-DNS.
    log.fatal({ reason }, 'exiting');
    process.exit(1);
  });
  process.off('SIGTERM', early);
  process.off('SIGINT', early);
  const stop = () => {
    void service.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`tepui-dns failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
