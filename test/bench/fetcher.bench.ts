// The fetcher cache under a crowd: 20 tasks on one agent all fetch one 50 MB archive (cache: true).
//   floor: one `curl -o` of the archive from the same local server, in the same run;
//   Tepui: the window from the first task's fetch starting to the last one's ending, read from
//          the fetcher's own lines in the sandboxes' stderr; and what the server saw: requests,
//          bytes, and how long it was busy (first request to last byte sent), against the same
//          for the curl. Goal: ≤ 1.3× one download, and 1 request — reported for both readings.
// Rows: the archive copied into each sandbox (extract: false) and extracted in each, through the
// cache; and without the cache (20 downloads) for comparison. Twice: a server at loopback speed,
// and one paced to 100 MB/s (a 1 Gbit/s link to the artifact store, shared by all its clients).
// As root, the agent mounts each sandbox over the cached files instead of copying them.
// BENCH_FETCH_PACING=none,100 picks the rounds; BENCH_TRACE=1 prints each sandbox's fetch span,
// and the fetcher's lines of those that took over 1.5 s.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TestCluster } from '../support/cluster';
import { RawScheduler, type Json } from '../support/raw-scheduler';

const TASKS = 20;
const ARCHIVE_MB = 50;
const GOAL_RATIO = 1.3;
const run = promisify(execFile);

/** What the artifact server saw: requests, bytes, and from the first request to the last byte sent. */
interface Served { requests: number; bytes: number; firstAt?: number; lastAt?: number }

const busyMs = (served: Served): number => (served.lastAt ?? 0) - (served.firstAt ?? 0);
const resetServed = (served: Served): void => {
  served.requests = 0;
  served.bytes = 0;
  delete served.firstAt;
  delete served.lastAt;
};

async function main(): Promise<void> {
  const cluster = new TestCluster({ agents: 1, agentFlags: () => ['--resources=cpus:8;mem:8192;disk:100000;ports:[31000-32000]'] });
  await cluster.start();
  const src = join(cluster.dir, 'artifact');
  mkdirSync(src);
  // Random bytes: gzip cannot shrink them, so the archive is as large as its content.
  writeFileSync(join(src, 'payload.bin'), randomBytes(ARCHIVE_MB * 1024 * 1024));
  const archivePath = join(cluster.dir, 'archive.tar.gz');
  await run('tar', ['-czf', archivePath, '-C', src, 'payload.bin']);
  const archive = readFileSync(archivePath);
  const served: Served = { requests: 0, bytes: 0 };
  let pacer: Pacer | undefined;
  const server = createServer((_req, res) => {
    served.requests++;
    served.bytes += archive.length;
    served.firstAt ??= performance.now();
    res.on('finish', () => (served.lastAt = performance.now()));
    res.writeHead(200, { 'Content-Length': archive.length });
    if (!pacer) return void res.end(archive);
    void pacer.send(archive, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let round = 0;
  try {
    for (const mbPerSecond of (process.env.BENCH_FETCH_PACING ?? 'none,100').split(',').map((v) => (v === 'none' ? undefined : Number(v)))) {
      pacer = mbPerSecond ? new Pacer(mbPerSecond * 1024 * 1024) : undefined;
      const curls: number[] = [];
      const curlServed: number[] = [];
      for (let i = 0; i < 3; i++) {
        resetServed(served);
        const start = performance.now();
        await run('curl', ['-s', '-o', join(cluster.dir, `curl-${i}.tar.gz`), `${base}/archive.tar.gz`]);
        curls.push(performance.now() - start);
        curlServed.push(busyMs(served));
      }
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[1]!;
      const floorMs = median(curls);
      const floorServedMs = median(curlServed);
      console.log(`server ${mbPerSecond ? `paced to ${mbPerSecond} MB/s` : 'at loopback speed'}: archive ${(archive.length / 1048576).toFixed(1)} MB; one curl -o (median of 3): ${floorMs.toFixed(0)} ms, the server busy ${floorServedMs.toFixed(0)} ms`);
      for (const [cache, extract] of [[true, false], [true, true], [false, false]] as const) {
        resetServed(served);
        const { windowMs, launchMs } = await crowd(cluster, `${base}/archive.tar.gz?round=${++round}`, cache, extract);
        const ratio = windowMs / floorMs;
        const serverRatio = busyMs(served) / floorServedMs;
        console.log(
          `  ${TASKS} tasks, cache: ${cache}, extract: ${extract}: fetch window ${windowMs.toFixed(0)} ms (ACCEPT → all RUNNING ${launchMs.toFixed(0)} ms), ` +
          `${ratio.toFixed(2)}× one curl` + (cache ? ` (goal ≤ ${GOAL_RATIO}×: ${ratio <= GOAL_RATIO ? 'met' : 'NOT met'})` : '') + '; ' +
          `server: ${served.requests} request(s), ${(served.bytes / 1048576).toFixed(0)} MB, busy ${busyMs(served).toFixed(0)} ms, ${serverRatio.toFixed(2)}× one curl's` +
          (cache ? ` (goal ≤ ${GOAL_RATIO}× and 1 request: ${serverRatio <= GOAL_RATIO && served.requests === 1 ? 'met' : 'NOT met'})` : ''),
        );
      }
    }
  } finally {
    server.closeAllConnections();
    server.close();
    await cluster.stop();
  }
}

/** Shares one link's bandwidth among every response, in 64 KiB slices. */
class Pacer {
  private nextFreeAt = performance.now();
  constructor(private readonly bytesPerSecond: number) {}

  async send(body: Buffer, res: import('node:http').ServerResponse): Promise<void> {
    const slice = 64 * 1024;
    for (let at = 0; at < body.length && !res.destroyed; at += slice) {
      const chunk = body.subarray(at, at + slice);
      const now = performance.now();
      this.nextFreeAt = Math.max(this.nextFreeAt, now) + (chunk.length / this.bytesPerSecond) * 1000;
      const wait = this.nextFreeAt - now;
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
    }
    res.end();
  }
}

/** Launches TASKS tasks fetching `uri` through the cache; returns the fetch window and the launch time. */
async function crowd(cluster: TestCluster, uri: string, cache: boolean, extract: boolean): Promise<{ windowMs: number; launchMs: number }> {
  const scheduler = new RawScheduler(cluster.masterUrl, true);
  await scheduler.subscribe({ user: 'root', name: 'fetch-bench' });
  const offers = await scheduler.next((e) => e.type === 'OFFERS', 'no OFFERS');
  const offer = offers.offers.offers[0] as Json;
  const scalar = (name: string, value: number) => ({ name, type: 'SCALAR', scalar: { value } });
  const taskInfos = Array.from({ length: TASKS }, (_, i) => ({
    name: `fetch-${i}`, task_id: { value: `fetch-${cache}-${extract}-${i}` }, agent_id: offer.agent_id,
    resources: [scalar('cpus', 0.1), scalar('mem', 32)],
    command: { value: 'exec sleep 3600', uris: [{ value: uri, cache, extract }] },
  }));
  const start = performance.now();
  const accepted = await scheduler.call({ type: 'ACCEPT', accept: { offer_ids: [offer.id], operations: [{ type: 'LAUNCH', launch: { task_infos: taskInfos } }] } });
  if (accepted.status !== 202) throw new Error(`ACCEPT answered ${accepted.status}`);
  const running = new Set<string>();
  while (running.size < TASKS) {
    for (const e of scheduler.all((ev) => ev.type === 'UPDATE')) {
      const state = e.update.status.state as string;
      if (state === 'TASK_RUNNING') running.add(e.update.status.task_id.value);
      else if (state !== 'TASK_STARTING') throw new Error(`task ${e.update.status.task_id.value}: ${state} ${e.update.status.message ?? ''}`);
    }
    if (performance.now() - start > 180_000) throw new Error(`only ${running.size} of ${TASKS} tasks ran`);
    await new Promise((r) => setTimeout(r, 10));
  }
  const launchMs = performance.now() - start;
  const state = (await (await fetch(`http://127.0.0.1:${cluster.agents[0]!.port}/state`)).json()) as { frameworks: Array<{ id: string; executors: Array<{ directory: string }> }> };
  let first = Infinity;
  let last = 0;
  const spans: Array<[number, number]> = [];
  for (const executor of state.frameworks.filter((f) => f.id === scheduler.frameworkId).flatMap((f) => f.executors)) {
    const lines = readFileSync(join(executor.directory, 'stderr'), 'utf8').split('\n').filter((l) => l.includes(' fetcher: '));
    const times = lines.map((line) => Date.parse(line.slice(0, line.indexOf(' '))));
    spans.push([Math.min(...times), Math.max(...times)]);
    if (process.env.BENCH_TRACE === '1' && Math.max(...times) - Math.min(...times) > 1500) console.log(lines.join('\n'));
    first = Math.min(first, ...times);
    last = Math.max(last, ...times);
  }
  if (process.env.BENCH_TRACE === '1') console.log(spans.sort((a, b) => a[0] - b[0]).map(([s, e]) => `${s - first}…${e - first}`).join(' '));
  await scheduler.call({ type: 'TEARDOWN' });
  scheduler.disconnect();
  return { windowMs: last - first, launchMs };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
