// A tepui-lb process (and the HAProxy it runs) against a TestMarathon, with its own HAProxy
// directory and ports; plus a request loop through HAProxy that counts failures, and the command of
// the echo task the load balancer tests run.
import { request } from 'node:http';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { eventually } from './eventually';
import { freePort, REPO_ROOT, startNodeProcess, waitForHttp, type TepuiProcess } from './processes';

export interface LbBackendView {
  backend: string;
  appId: string;
  servicePort: number;
  slots: number;
  servers: Array<{ server: string; taskId: string; ip: string; port: number; draining: boolean }>;
}

export interface LbStatusView {
  generation: number;
  reloads: number;
  runtimeUpdates: number;
  lastError: { message: string } | null;
  excluded: Array<{ appId: string; portIndex?: number; reason: string }>;
  haproxyPid: number | null;
  marathon: { connected: boolean; stalls?: number; resyncs?: number };
}

export class TestLb {
  process!: TepuiProcess;
  httpPort = 0;
  appIdPort = 0;
  statsPort = 0;
  apiPort = 0;
  readonly haproxyDir: string;
  private starts = 0;

  constructor(
    private readonly dir: string,
    private readonly marathonUrls: () => readonly string[],
    private readonly flags: readonly string[] = [],
  ) {
    this.haproxyDir = join(dir, 'lb-haproxy');
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.apiPort}`;
  }

  async start(): Promise<this> {
    if (this.apiPort === 0) [this.httpPort, this.appIdPort, this.statsPort, this.apiPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    mkdirSync(this.haproxyDir, { recursive: true });
    this.process = startNodeProcess(`lb-${this.starts++}`, 'packages/lb/dist/main.js', [
      ...this.marathonUrls().flatMap((u) => ['--marathon', u]), '--group=external', `--haproxy-dir=${this.haproxyDir}`, '--bind-address=127.0.0.1',
      `--http-port=${this.httpPort}`, `--app-id-port=${this.appIdPort}`, `--stats-port=${this.statsPort}`, '--api-address=127.0.0.1',
      `--api-port=${this.apiPort}`, '--log-level=debug', ...this.flags,
    ], this.dir);
    try {
      await waitForHttp(`${this.apiUrl}/health`, 30_000);
    } catch (err) {
      console.log(this.process.log().slice(-6000));
      // The caller never gets this TestLb to stop: stop it here rather than leave it running.
      await this.process.stop();
      throw err;
    }
    return this;
  }

  async status(): Promise<LbStatusView> {
    return (await (await fetch(`${this.apiUrl}/v1/status`)).json()) as LbStatusView;
  }

  async backends(): Promise<LbBackendView[]> {
    return (await (await fetch(`${this.apiUrl}/v1/backends`)).json()) as LbBackendView[];
  }

  async config(): Promise<string> {
    return (await fetch(`${this.apiUrl}/v1/config`)).text();
  }

  /** Waits until the backend of `appId` has `count` servers taking traffic (not draining). */
  async waitForServers(appId: string, count: number, timeoutMs = 30_000): Promise<LbBackendView> {
    return eventually(async () => {
      const backend = (await this.backends()).find((b) => b.appId === appId);
      return backend && backend.servers.filter((s) => !s.draining).length === count ? backend : undefined;
    }, { timeoutMs, message: `${appId} never had ${count} servers in the load balancer` });
  }

  async stop(): Promise<void> {
    await this.process?.stop();
  }
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
  readonly killing: boolean;
  /** The echo task's X-Listening-Since: epoch ms since which it accepts connections. */
  readonly listeningSince?: number;
}

/** One GET on a new connection (as most load tests count), with a Host header if given. */
export function get(port: number, host?: string, path = '/', timeoutMs = 5000): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, headers: host ? { Host: host } : {}, timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        const since = res.headers['x-listening-since'];
        resolve({ status: res.statusCode ?? 0, body, killing: res.headers['x-killing'] === '1', ...(typeof since === 'string' ? { listeningSince: Number(since) } : {}) });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

export interface LoadLoop {
  readonly sent: number;
  readonly failures: string[];
  readonly answeredBy: Map<string, number>;
  stop(): Promise<void>;
}

/** `rate` requests per second through `port`, each on a new connection, until stopped. */
export function startLoadLoop(port: number, host: string | undefined, rate: number): LoadLoop {
  const failures: string[] = [];
  const answeredBy = new Map<string, number>();
  const pending = new Set<Promise<void>>();
  let sent = 0;
  const timer = setInterval(() => {
    sent++;
    const p = get(port, host).then(
      (a) => {
        if (a.status !== 200) failures.push(`HTTP ${a.status}: ${a.body.slice(0, 100)}`);
        else answeredBy.set(a.body, (answeredBy.get(a.body) ?? 0) + 1);
      },
      (err: Error) => void failures.push(err.message),
    ).finally(() => pending.delete(p));
    pending.add(p);
  }, 1000 / rate);
  return {
    get sent() {
      return sent;
    },
    failures,
    answeredBy,
    async stop() {
      clearInterval(timer);
      await Promise.all([...pending]);
    },
  };
}

/** The shell command of a Marathon task that answers its task id (test/fixtures/echo-task.js). */
export function echoTaskCommand(): string {
  return `exec ${process.execPath} ${join(REPO_ROOT, 'test', 'fixtures', 'echo-task.js')}`;
}
