// A Marathon process against a TestCluster, with its own state dir (kept across restarts), and
// small helpers for its REST API and event stream.
import { join } from 'node:path';
import { TestCluster, type ClusterOptions } from './cluster';
import { eventually } from './eventually';
import { freePort, startNodeProcess, waitForHttp, type TepuiProcess } from './processes';

export interface MarathonTask {
  id: string;
  appId: string;
  host: string;
  state: string;
  ports: number[];
  version: string;
  healthCheckResults: Array<{ alive: boolean }>;
  slaveId: string;
}

export class TestMarathon {
  process!: TepuiProcess;
  port = 0;
  readonly stateDir: string;
  private starts = 0;

  constructor(
    private readonly cluster: TestCluster,
    private readonly flags: readonly string[] = [],
  ) {
    this.stateDir = join(cluster.dir, 'marathon-state');
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    if (this.port === 0) this.port = await freePort();
    this.process = startNodeProcess(`marathon-${this.starts++}`, 'packages/marathon/dist/main.js', [
      `--master=${this.cluster.masterUrl}`, '--http_address=127.0.0.1', `--http_port=${this.port}`, `--state_dir=${this.stateDir}`,
      '--hostname=127.0.0.1', '--log_level=debug', '--min_revive_offers_interval=200', '--reconciliation_initial_delay=1000',
      '--decline_offer_duration=2000', ...this.flags,
    ], this.cluster.dir);
    await waitForHttp(`${this.url}/ping`);
    await eventually(async () => ((await this.json('GET', '/v2/info')).body as { frameworkId: string | null }).frameworkId !== null, { message: 'Marathon did not subscribe' });
    return this;
  }

  async json(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown; headers: Headers }> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON (text/plain endpoints)
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  async tasks(appId: string): Promise<MarathonTask[]> {
    const res = await this.json('GET', `/v2/apps${appId}/tasks`);
    return (res.body as { tasks?: MarathonTask[] }).tasks ?? [];
  }

  async running(appId: string): Promise<MarathonTask[]> {
    return (await this.tasks(appId)).filter((t) => t.state === 'TASK_RUNNING');
  }

  async waitForDeployments(message = 'deployments did not finish', timeoutMs = 60_000): Promise<void> {
    await eventually(async () => ((await this.json('GET', '/v2/deployments')).body as unknown[]).length === 0, { timeoutMs, message });
  }

  async stop(): Promise<void> {
    await this.process?.stop();
  }
}

export interface ReceivedEvent {
  readonly eventType: string;
  readonly timestamp: string;
  readonly [field: string]: unknown;
}

/** Follows /v2/events (SSE) and collects every event until closed. */
export async function followEvents(url: string, types: readonly string[] = []): Promise<{ events: ReceivedEvent[]; close(): void }> {
  const { request } = await import('node:http');
  const events: ReceivedEvent[] = [];
  const query = types.map((t) => `event_type=${t}`).join('&');
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v2/events${query ? `?${query}` : ''}`, { headers: { Accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`/v2/events answered ${res.statusCode}`));
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\r\n\r\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 4);
          const data = block.split('\r\n').find((l) => l.startsWith('data: '));
          if (data) events.push(JSON.parse(data.slice(6)) as ReceivedEvent);
        }
      });
      resolve({ events, close: () => req.destroy() });
    });
    req.on('error', () => undefined);
    req.end();
  });
}

/**
 * A cluster of `agents` agents on distinct loopback hostnames (127.0.0.2, .3, …, so hostname
 * constraints mean something) with Marathon, started before the suite and stopped after it;
 * Marathon's log is printed when the suite's last test failed.
 */
export function marathonSuite(agents: number, options: ClusterOptions = {}): { cluster: TestCluster; marathon: TestMarathon } {
  const cluster = new TestCluster({ agents, agentFlags: (i) => [`--hostname=127.0.0.${i + 2}`], ...options });
  const marathon = new TestMarathon(cluster);
  before(async () => {
    await cluster.start();
    await marathon.start();
  });
  after(async function () {
    if (this.currentTest?.state === 'failed') console.log(marathon.process.log().slice(-8000));
    await marathon.stop();
    await cluster.stop();
  });
  return { cluster, marathon };
}
