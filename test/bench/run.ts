// `npm run bench`: every benchmark, one after another, each printing its own figures.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/processes';

const BENCHES: ReadonlyArray<{ name: string; script: string }> = [
  { name: 'allocator cycle time (pure DRF allocator, Mesos benchmark shape)', script: 'packages/master/dist/allocator/allocator.bench.js' },
  { name: 'end-to-end launch throughput (1,000 simulated agents, one SDK framework)', script: 'test/dist/bench/launch-throughput.bench.js' },
  { name: 'Marathon: one app of 10,000 instances; GET /v2/apps?embed=apps.tasks with 1,000 apps × 10 tasks', script: 'test/dist/bench/marathon.bench.js' },
  { name: 'master failover on ZooKeeper (3 masters; 100 and 1,000 simulated agents; one SDK framework)', script: 'test/dist/bench/master-failover.bench.js' },
  { name: 'Marathon failover on ZooKeeper (2 Marathons; 1,000 apps × 10 instances)', script: 'test/dist/bench/marathon-failover.bench.js' },
  { name: 'Tepui-DNS: dnsperf on 1,000 apps × 10 tasks vs NSD; propagation; records for 10,000 agents × 100,000 tasks', script: 'test/dist/bench/dns.bench.js' },
  { name: 'tepui-lb: req/s through HAProxy vs direct (wrk); TASK_RUNNING → routed over 100 tasks; churn of 1,000 apps × 10 tasks at 100 changes/s', script: 'test/dist/bench/lb.bench.js' },
  { name: 'Docker: 20 busybox instances via Marathon vs `docker run -d` straight to the engine', script: 'test/dist/bench/docker.bench.js' },
  { name: 'fetcher: 20 tasks on one agent fetch one 50 MB archive through the cache vs one curl of it', script: 'test/dist/bench/fetcher.bench.js' },
  { name: 'web UI: apps page time to interactive and heap (100 and 1,000 apps × 10 tasks); server CPU with 10 tabs open on an idle cluster', script: 'test/dist/bench/ui.bench.js' },
];

const only = process.argv.slice(2);
let failed = 0;
for (const bench of BENCHES) {
  if (only.length > 0 && !only.some((o) => bench.script.includes(o))) continue;
  process.stdout.write(`\n=== ${bench.name}\n`);
  // --expose-gc: benches that report heap growth collect garbage before measuring.
  const result = spawnSync(process.execPath, ['--max-old-space-size=8192', '--expose-gc', join(REPO_ROOT, bench.script)], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed++;
    process.stdout.write(`!!! ${bench.name} exited with ${result.status ?? result.signal}\n`);
  }
}
process.exit(failed > 0 ? 1 : 0);
