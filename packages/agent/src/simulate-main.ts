#!/usr/bin/env node
// tepui-simulate: N simulated agents in one process; prints `READY <n> <ms>ms` once all are registered,
// then `REGISTERED <registrations> <ms since the epoch>` each time all are registered again after a
// failover: how many registrations so far, and when the last one came. A benchmark reads when the
// agents were back from here rather than polling the master, which would slow what it measures.
import { parseArgs } from 'node:util';
import pino from 'pino';
import { isZkLocation, masterDetector, parseMasterLocation } from '@tepui/coordination';
import { startSimulatedAgents } from './simulation/simulated-cluster';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      master: { type: 'string', default: '127.0.0.1:5050' },
      agents: { type: 'string', default: '100' },
      resources: { type: 'string', default: 'cpus:8;mem:16384;disk:100000;ports:[31000-32000]' },
      hostname_prefix: { type: 'string', default: 'sim-agent' },
      log_level: { type: 'string', default: 'warn' },
    },
  });
  // With zk://, every simulated agent follows the one detector (one ZooKeeper session).
  // Logs go to stderr: stdout carries the READY line.
  const log = pino({ level: values.log_level! }, pino.destination(2));
  const zk = isZkLocation(values.master!);
  const startedAt = performance.now();
  const sim = startSimulatedAgents({
    master: values.master!.replace(/^https?:\/\//, ''),
    ...(zk ? { detector: masterDetector(parseMasterLocation(values.master!), { sessionTimeoutMs: 10_000, log }) } : {}),
    count: Number(values.agents),
    resourcesPerAgent: values.resources!,
    hostnamePrefix: values.hostname_prefix!,
    log: log.child({ component: 'simulated-agent' }),
  });
  await sim.ready(120_000);
  // The second figure is how long registration took, without this process' own start-up.
  process.stdout.write(`READY ${sim.registeredCount()} ${Math.round(performance.now() - startedAt)}ms\n`);
  let reported = sim.registrations().count;
  const report = setInterval(() => {
    const { count, lastAt } = sim.registrations();
    if (count === reported || sim.registeredCount() < Number(values.agents)) return;
    reported = count;
    process.stdout.write(`REGISTERED ${count} ${lastAt}\n`);
  }, 10);
  const stop = () => {
    clearInterval(report);
    sim.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`tepui-simulate failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
