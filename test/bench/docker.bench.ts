// Docker through Marathon against the engine's own floor, on a private dockerd:
//   floor: `docker run -d` of 20 busybox containers straight to the engine, 4 at a time;
//   Tepui: one Marathon app of 20 instances of the same image, POST → all RUNNING.
// Docker Swarm mode measured ≈ 2.4× the floor on this machine; the goal is ≤ 1.2×.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { TestCluster } from '../support/cluster';
import { BUSYBOX_IMAGE, TestDocker } from '../support/docker';
import { followEvents, TestMarathon } from '../support/marathon';
import { removeDir, tempDir } from '../support/processes';

const INSTANCES = 20;
const PARALLEL = 4;
const ROUNDS = 3;
const GOAL_RATIO = 1.2;
const run = promisify(execFile);

async function floor(docker: TestDocker): Promise<number> {
  const env = { ...process.env, DOCKER_HOST: docker.host };
  const start = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: PARALLEL }, async () => {
    while (next < INSTANCES) {
      next += 1;
      await run('docker', ['run', '-d', '--network', 'host', '--label', 'bench=floor', BUSYBOX_IMAGE, 'sleep', '3600'], { env });
    }
  }));
  const seconds = (performance.now() - start) / 1000;
  for (const c of await docker.client.listContainers({ all: true, filters: { label: ['bench=floor'] } })) {
    await docker.client.getContainer(c.Id).remove({ force: true });
  }
  return seconds;
}

async function viaMarathon(marathon: TestMarathon, round: number): Promise<{ seconds: number; running: number }> {
  const id = `/bench/busybox-${round}`;
  const trace = process.env.BENCH_TRACE === '1' ? await followEvents(marathon.url, ['status_update_event', 'deployment_info']) : undefined;
  const start = performance.now();
  const startedAt = Date.now();
  const res = await marathon.json('POST', '/v2/apps', {
    id, cmd: 'sleep 3600', cpus: 0.05, mem: 16, instances: INSTANCES,
    container: { type: 'DOCKER', docker: { image: BUSYBOX_IMAGE, network: 'HOST' } },
  });
  if (res.status !== 201) throw new Error(`POST answered ${res.status}: ${JSON.stringify(res.body)}`);
  let running = 0;
  while (running < INSTANCES && performance.now() - start < 120_000) {
    running = (await marathon.running(id)).length;
    if (running < INSTANCES) await new Promise((r) => setTimeout(r, 20));
  }
  const seconds = (performance.now() - start) / 1000;
  if (trace) {
    const at = (e: { timestamp: string }) => Date.parse(e.timestamp) - startedAt;
    const of = (state: string) => trace.events.filter((e) => e.taskStatus === state).map(at).sort((a, b) => a - b);
    const info = trace.events.find((e) => e.eventType === 'deployment_info');
    const starting = of('TASK_STARTING');
    const runningAt = of('TASK_RUNNING');
    console.log(`trace (ms after POST): deployment ${info ? at(info) : '?'}, STARTING ${starting[0]}…${starting[starting.length - 1]}, RUNNING ${runningAt[0]}…${runningAt[runningAt.length - 1]}`);
    trace.close();
  }
  // Clear the engine for the next round, as the floor does.
  await marathon.json('DELETE', `/v2/apps${id}`);
  await marathon.waitForDeployments('the benchmark app was not removed', 60_000);
  return { seconds, running };
}

async function main(): Promise<void> {
  const dir = tempDir('bench-docker');
  const docker = new TestDocker(dir);
  await docker.start();
  await docker.importBusybox();
  process.env.DOCKER_HOST = docker.host;
  const cluster = new TestCluster({ agents: 1, agentFlags: () => ['--hostname=127.0.0.2', '--log_level=warn'] });
  await cluster.start();
  const marathon = await new TestMarathon(cluster, ['--log_level=warn']).start();
  let ok = true;
  try {
    // Three of each, alternating; medians compared (one sample of either swings by 20 %).
    const floors: number[] = [];
    const tepui: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      floors.push(await floor(docker));
      const { seconds, running } = await viaMarathon(marathon, round);
      tepui.push(seconds);
      ok = ok && running === INSTANCES;
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const ratio = median(tepui) / median(floors);
    console.log('');
    console.log(`floor: docker run -d × ${INSTANCES}, ${PARALLEL} at a time: median ${median(floors).toFixed(2)} s (${floors.map((f) => f.toFixed(2)).join(', ')})`);
    console.log(`Tepui: Marathon app of ${INSTANCES} instances, POST → all RUNNING: median ${median(tepui).toFixed(2)} s (${tepui.map((f) => f.toFixed(2)).join(', ')})`);
    console.log(`ratio to the floor:       ${ratio.toFixed(2)}×   (goal ≤ ${GOAL_RATIO}×; Docker Swarm ≈ 2.4×)`);
  } finally {
    await marathon.stop();
    await cluster.stop();
    await docker.stop();
    removeDir(dir);
  }
  process.exit(ok ? 0 : 1);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
