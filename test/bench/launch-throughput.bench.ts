// End-to-end launch throughput over the real protocol: a master process, 1,000 simulated agents in
// a second process, and one SDK framework here launching 10,000 tasks. Measures tasks/s from the
// first ACCEPT to the last TASK_RUNNING, and the master's peak RSS.
import { readFileSync } from 'node:fs';
import { OfferResources, SchedulerDriver, buildTaskInfo } from '@tepui/sdk';
import type { TaskInfo } from '@tepui/protocol';
import { removeDir, tempDir } from '../support/processes';
import { startSimulatedCluster } from '../support/simulated-cluster';

const AGENTS = Number(process.env.BENCH_AGENTS ?? 1000);
const TASKS = Number(process.env.BENCH_TASKS ?? 10_000);
const GOAL_TASKS_PER_SEC = 5000;

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function main(): Promise<void> {
  const dir = tempDir('bench-launch');
  const cluster = await startSimulatedCluster(dir, AGENTS, (process.env.BENCH_MASTER_NODE_ARGS ?? '').split(' ').filter(Boolean));
  const { master, masterPort: port } = cluster;
  console.log(`${AGENTS} simulated agents registered; launching ${TASKS} tasks from one SDK framework`);

  let launched = 0;
  let firstAccept = 0;
  let lastRunning = 0;
  const running = new Set<string>();
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const driver = new SchedulerDriver({
    master: `http://127.0.0.1:${port}`,
    frameworkInfo: { user: 'root', name: 'launch-bench', failover_timeout: 0 },
    maxSockets: 32,
    handlers: {
      onOffers: async (offers, d) => {
        const launches: Array<Promise<void>> = [];
        for (const offer of offers) {
          const pool = new OfferResources(offer);
          const tasks: TaskInfo[] = [];
          for (let got = pool.take({ cpus: 0.1, mem: 32 }); got && launched < TASKS; got = pool.take({ cpus: 0.1, mem: 32 })) {
            const id = `bench-${launched++}`;
            tasks.push(buildTaskInfo({ name: id, taskId: id, agentId: offer.agent_id, resources: got.resources, shell: 'sleep 3600' }));
            if (tasks.length === Math.ceil(TASKS / AGENTS)) break;
          }
          if (tasks.length === 0) {
            launches.push(d.decline([offer.id], { refuse_seconds: 3600 }));
            continue;
          }
          if (firstAccept === 0) firstAccept = performance.now();
          launches.push(d.launch([offer.id], tasks, { refuse_seconds: 3600 }));
        }
        await Promise.all(launches);
      },
      onUpdate: (status) => {
        if (status.state === 'TASK_RUNNING' && !running.has(status.task_id.value)) {
          running.add(status.task_id.value);
          if (running.size === TASKS) {
            lastRunning = performance.now();
            done();
          }
        } else if (status.state !== 'TASK_RUNNING') {
          console.log(`unexpected ${status.state} for ${status.task_id.value}: ${status.message ?? ''}`);
        }
      },
    },
  });
  await driver.start();
  const timeout = setTimeout(() => {
    console.log(`timed out with ${running.size}/${TASKS} running`);
    done();
  }, 120_000);
  await finished;
  clearTimeout(timeout);
  const seconds = (lastRunning - firstAccept) / 1000;
  const rate = running.size / seconds;
  const rss = peakRssMb(master.pid);
  console.log('');
  console.log(`tasks RUNNING:            ${running.size} / ${TASKS}`);
  console.log(`first ACCEPT → last RUNNING: ${seconds.toFixed(3)} s`);
  console.log(`throughput:               ${Math.round(rate)} tasks/s`);
  console.log(`  vs goal (${GOAL_TASKS_PER_SEC}/s):        ${(rate / GOAL_TASKS_PER_SEC).toFixed(2)}×`);
  console.log(`  vs Nomad C1M (3,750/s): ${(rate / 3750).toFixed(2)}×`);
  console.log(`  vs Marathon (≈35/s):    ${(rate / 35).toFixed(0)}×`);
  console.log(`master peak RSS:          ${rss.toFixed(1)} MB`);
  await driver.stop();
  await cluster.stop();
  removeDir(dir);
  process.exit(running.size === TASKS ? 0 : 1);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
