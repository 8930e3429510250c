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

async function main(): Promise<void> {
  const dir = tempDir('bench-docker');
  const docker = new TestDocker(dir);
  await docker.start();
  await docker.importBusybox();
  process.env.DOCKER_HOST = docker.host;
  const cluster = new TestCluster({ agents: 1, agentFlags: () => ['--hostname=127.0.0.2', '--log_level=warn'] });
  await cluster.start();
  const marathon = await new TestMarathon(cluster, ['--log_level=warn']).start();
  let ok = false;
  try {
    const floorSeconds = await floor(docker);
    const trace = process.env.BENCH_TRACE === '1' ? await followEvents(marathon.url, ['status_update_event', 'deployment_info']) : undefined;
    const start = performance.now();
    const startedAt = Date.now();
    const res = await marathon.json('POST', '/v2/apps', {
      id: '/bench/busybox', cmd: 'sleep 3600', cpus: 0.05, mem: 16, instances: INSTANCES,
      container: { type: 'DOCKER', docker: { image: BUSYBOX_IMAGE, network: 'HOST' } },
    });
    if (res.status !== 201) throw new Error(`POST answered ${res.status}: ${JSON.stringify(res.body)}`);
    let running = 0;
    while (running < INSTANCES && performance.now() - start < 120_000) {
      running = (await marathon.running('/bench/busybox')).length;
      if (running < INSTANCES) await new Promise((r) => setTimeout(r, 20));
    }
    const seconds = (performance.now() - start) / 1000;
    const ratio = seconds / floorSeconds;
    if (trace) {
      const at = (e: { timestamp: string }) => Date.parse(e.timestamp) - startedAt;
      const of = (state: string) => trace.events.filter((e) => e.taskStatus === state).map(at).sort((a, b) => a - b);
      const info = trace.events.find((e) => e.eventType === 'deployment_info');
      const starting = of('TASK_STARTING');
      const running = of('TASK_RUNNING');
      console.log(`trace (ms after POST): deployment ${info ? at(info) : '?'}, STARTING ${starting[0]}…${starting[starting.length - 1]}, RUNNING ${running[0]}…${running[running.length - 1]}`);
      trace.close();
    }
    console.log('');
    console.log(`floor: docker run -d × ${INSTANCES}, ${PARALLEL} at a time: ${floorSeconds.toFixed(2)} s`);
    console.log(`Tepui: Marathon app of ${INSTANCES} instances, POST → all RUNNING: ${seconds.toFixed(2)} s (${running}/${INSTANCES} running)`);
    console.log(`ratio to the floor:       ${ratio.toFixed(2)}×   (goal ≤ ${GOAL_RATIO}×; Docker Swarm ≈ 2.4×)`);
    ok = running === INSTANCES;
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
