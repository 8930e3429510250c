// A highly available cluster for integration tests: a private ZooKeeper ensemble, N masters
// electing a leader through it, and agents following the leader (`--master=zk://…`).
import { join } from 'node:path';
import { eventually } from './eventually';
import { freePort, killProcessesWorkingIn, removeDir, startNodeProcess, tempDir, waitForHttp, type TepuiProcess } from './processes';
import { ZkEnsemble } from './zookeeper';
import type { MasterState } from './cluster';

export interface HaMaster {
  process: TepuiProcess;
  readonly port: number;
  readonly index: number;
}

/** A Marathon of the cluster: `--master=zk://…/mesos --zk=zk://…/marathon`. */
export interface HaMarathon {
  process: TepuiProcess;
  readonly port: number;
  readonly index: number;
  readonly url: string;
}

/** What a Marathon's /health (answered by itself, never proxied) says. */
export interface MarathonHealth {
  healthy: boolean;
  elected: boolean;
  leader: string | null;
  reason?: string;
}

export interface HaClusterOptions {
  readonly masters?: number;
  readonly agents?: number;
  readonly marathons?: number;
  readonly marathonFlags?: readonly string[];
  readonly sessionTimeout?: string;
  readonly masterFlags?: readonly string[];
}

export interface HaMasterState extends MasterState {
  hostname?: string;
  pid: string;
  leader?: string;
  elected_time?: number;
  leader_info?: { id: string; port: number; address?: { ip?: string; port?: number } };
}

export class HaCluster {
  readonly dir = tempDir('ha');
  zk!: ZkEnsemble;
  readonly masters: HaMaster[] = [];
  readonly agents: TepuiProcess[] = [];
  readonly marathons: HaMarathon[] = [];

  constructor(private readonly options: HaClusterOptions = {}) {}

  get zkUrl(): string {
    return this.zk.url('/mesos');
  }

  async start(): Promise<this> {
    this.zk = await ZkEnsemble.start(join(this.dir, 'zk'));
    const count = this.options.masters ?? 3;
    for (let i = 0; i < count; i++) this.masters.push({ process: undefined as unknown as TepuiProcess, port: await freePort(), index: i });
    for (const m of this.masters) this.startMaster(m);
    for (const m of this.masters) await waitForHttp(`http://127.0.0.1:${m.port}/health`, 30_000).catch(() => undefined);
    await this.leader();
    for (let i = 0; i < (this.options.agents ?? 2); i++) await this.addAgent();
    await this.waitForAgents(this.agents.length);
    for (let i = 0; i < (this.options.marathons ?? 0); i++) {
      const port = await freePort();
      this.marathons.push({ process: undefined as unknown as TepuiProcess, port, index: i, url: `http://127.0.0.1:${port}` });
    }
    for (const m of this.marathons) this.startMarathon(m);
    if (this.marathons.length > 0) await this.marathonLeader();
    return this;
  }

  startMarathon(m: HaMarathon): void {
    m.process = startNodeProcess(`marathon-${m.index}`, 'packages/marathon/dist/main.js', [
      `--master=${this.zkUrl}`, `--zk=${this.zk.url('/marathon')}`, `--zk_session_timeout=${durationMs(this.options.sessionTimeout ?? '2secs')}`,
      '--http_address=127.0.0.1', `--http_port=${m.port}`, '--hostname=127.0.0.1', '--log_level=debug',
      '--min_revive_offers_interval=200', '--reconciliation_initial_delay=1000', '--decline_offer_duration=2000', ...(this.options.marathonFlags ?? []),
    ], this.dir);
  }

  async marathonHealth(m: HaMarathon): Promise<MarathonHealth> {
    return (await (await fetch(`${m.url}/health`, { signal: AbortSignal.timeout(2000) })).json()) as MarathonHealth;
  }

  /** The Marathon that says it leads and has subscribed to Mesos, waiting for one. */
  async marathonLeader(timeoutMs = 60_000): Promise<HaMarathon> {
    return eventually(async () => {
      for (const m of this.marathons) {
        if (m.process.exited) continue;
        const health = await this.marathonHealth(m).catch(() => undefined);
        if (!health?.elected) continue;
        const info = await (await fetch(`${m.url}/v2/info`, { signal: AbortSignal.timeout(2000) })).json() as { frameworkId: string | null };
        if (info.frameworkId) return m;
      }
      return undefined;
    }, { timeoutMs, message: 'no Marathon leads with a framework id' });
  }

  startMaster(m: HaMaster): void {
    m.process = startNodeProcess(`master-${m.index}`, 'packages/master/dist/main.js', [
      '--ip=127.0.0.1', `--port=${m.port}`, `--zk=${this.zkUrl}`, `--quorum=${Math.floor(this.masters.length / 2) + 1}`,
      `--zk_session_timeout=${this.options.sessionTimeout ?? '2secs'}`, '--log_level=debug', ...(this.options.masterFlags ?? []),
    ], this.dir);
  }

  async addAgent(): Promise<TepuiProcess> {
    const index = this.agents.length;
    const port = await freePort();
    const first = 31000 + index * 1000;
    const agent = startNodeProcess(`agent-${index}`, 'packages/agent/dist/main.js', [
      `--master=${this.zkUrl}`, '--ip=127.0.0.1', `--port=${port}`, `--work_dir=${join(this.dir, `agent-${index}`)}`,
      `--resources=cpus:4;mem:4096;disk:10240;ports:[${first}-${first + 999}]`, '--registration_backoff_factor=100ms',
      '--zk_session_timeout=2secs', '--log_level=debug',
    ], this.dir);
    this.agents.push(agent);
    await waitForHttp(`http://127.0.0.1:${port}/health`);
    return agent;
  }

  async state(m: HaMaster): Promise<HaMasterState> {
    return (await (await fetch(`http://127.0.0.1:${m.port}/master/state`, { redirect: 'manual', signal: AbortSignal.timeout(2000) })).json()) as HaMasterState;
  }

  /** The master that says it leads (its state names itself as leader), waiting for one. */
  async leader(timeoutMs = 30_000): Promise<HaMaster> {
    return eventually(async () => {
      for (const m of this.masters) {
        if (m.process.exited) continue;
        const state = await this.state(m).catch(() => undefined);
        if (state && state.leader === state.pid && state.elected_time !== undefined) return m;
      }
      return undefined;
    }, { timeoutMs, message: 'no master leads' });
  }

  async waitForAgents(count: number, timeoutMs = 30_000): Promise<void> {
    await eventually(async () => {
      const state = await this.state(await this.leader());
      return state.slaves.filter((s) => s.active).length >= count;
    }, { timeoutMs, message: `${count} agents did not register with the leader` });
  }

  async stop(): Promise<void> {
    for (const m of this.marathons) await m.process?.stop();
    for (const agent of this.agents) await agent.stop(10_000, 'SIGUSR1');
    for (const m of this.masters) await m.process?.stop();
    await this.zk?.stop();
    killProcessesWorkingIn(this.dir);
    if (process.env.TEPUI_KEEP_TEST_DIRS !== '1') removeDir(this.dir);
  }

  logs(): string {
    return [...this.masters.map((m) => m.process), ...this.agents, ...this.marathons.map((m) => m.process)].map((p) => `==== ${p.name}\n${p.log().slice(-3000)}`).join('\n');
  }
}

/** Mesos durations the tests use (`2secs`, `500ms`) in milliseconds, for Marathon's millisecond flags. */
function durationMs(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|secs)$/.exec(text);
  if (!match) throw new Error(`unsupported duration '${text}'`);
  return Number(match[1]) * (match[2] === 'secs' ? 1000 : 1);
}
