// Wires the load balancer: the Marathon follower feeds the view, each change marks apps dirty in
// the controller, the controller drives HAProxy (validated reloads, Runtime API updates), and the
// HTTP endpoint reports it all. HAProxy starts with the first listing of Marathon's apps; should it
// die, a new one starts with the current configuration.
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { Registry } from 'prom-client';
import { checkConfig, HaproxyProcess, RuntimeApi } from './haproxy';
import { createLbHttpApi } from './http/lb-http-api';
import { LbMetrics } from './http/lb-metrics';
import type { LbOptions } from './lb-options';
import { MarathonClient, MarathonFollower, MarathonView } from './marathon';
import { CachingHostResolver } from './sync/host-resolver';
import { LbController, type AppSource, type ConfigCheck, type HaproxyDriver } from './sync/lb-controller';

export interface LbService {
  readonly controller: LbController;
  readonly follower: MarathonFollower;
  readonly apiPort: number;
  stop(): Promise<void>;
}

/** HAProxy as the controller drives it: `haproxy -c`, start-or-reload, the Runtime API. */
class HaproxyShell implements HaproxyDriver {
  private process: HaproxyProcess;
  private readonly runtimeApi: RuntimeApi;
  private stopped = false;
  private startAttempted = false;
  /** A HAProxy started and served: its exit is a loss to recover from, not a failed start. */
  private serving = false;

  constructor(private readonly options: LbOptions, private readonly log: Logger, private readonly onLost: () => void) {
    this.process = this.newProcess();
    this.runtimeApi = new RuntimeApi({ socketPath: options.settings.adminSocket, log });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  check(text: string): Promise<ConfigCheck> {
    return checkConfig(text, { dir: this.options.haproxyDir, haproxyBin: this.options.haproxyBin });
  }

  async apply(text: string): Promise<void> {
    if (this.process.running) {
      await this.process.reload(text);
      return;
    }
    // One HaproxyProcess runs HAProxy once: a failed start leaves a fresh one for the retry.
    if (this.process.pid === undefined && this.startAttempted) this.process = this.newProcess();
    this.startAttempted = true;
    await this.process.start(text);
    this.serving = true;
  }

  async runtime(commands: readonly string[]): Promise<void> {
    await this.runtimeApi.execute(commands);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.process.stop();
  }

  private newProcess(): HaproxyProcess {
    const process = new HaproxyProcess({ dir: this.options.haproxyDir, haproxyBin: this.options.haproxyBin, log: this.log });
    process.onExit((exit) => {
      if (this.stopped || !this.serving) return;
      this.serving = false;
      this.startAttempted = false;
      this.log.error({ code: exit.code, signal: exit.signal, stderr: exit.stderr.slice(-5) }, 'HAProxy exited; starting it again');
      this.process = this.newProcess();
      this.onLost();
    });
    return process;
  }
}

export async function startLbService(options: LbOptions, log: Logger): Promise<LbService> {
  await mkdir(options.haproxyDir, { recursive: true });
  const view = new MarathonView();
  const source: AppSource = {
    app: (id) => {
      const app = view.app(id);
      return app ? { app, tasks: app.tasks ?? [] } : undefined;
    },
    appIds: () => view.appIds(),
  };
  const registry = new Registry();
  let controller: LbController | undefined;
  let follower: MarathonFollower | undefined;
  const haproxy = new HaproxyShell(options, log.child({ component: 'haproxy' }), () => void controller?.haproxyLost());
  const metrics = new LbMetrics(registry, () => controller!.status(), () => follower!.status());
  controller = new LbController(source, haproxy, options.settings, new CachingHostResolver(), metrics, log.child({ component: 'sync' }));
  const client = new MarathonClient({ urls: options.marathon });
  follower = new MarathonFollower({
    client, view, log: log.child({ component: 'marathon' }), resyncSeconds: options.resyncSeconds, stallTimeoutMs: options.stallTimeoutSeconds * 1000,
    // A listing names the apps whose JSON changed (added and removed ones included): only those.
    sink: { onChange: (change) => void controller!.changed(change.changedApps) },
  });
  const api = createLbHttpApi({ controller, marathon: () => follower!.status(), haproxyPid: () => haproxy.pid, registry });
  await new Promise<void>((resolve, reject) => {
    api.once('error', reject);
    api.listen(options.apiPort, options.apiAddress, () => resolve());
  });
  follower.start();
  log.info({ marathon: options.marathon, groups: options.settings.groups, api: `${options.apiAddress}:${options.apiPort}` }, 'tepui-lb started');
  return {
    controller,
    follower,
    apiPort: (api.address() as { port: number }).port,
    async stop() {
      controller!.stop();
      await follower!.stop();
      await closeServer(api);
      await haproxy.stop();
    },
  };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
