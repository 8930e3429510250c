// A real cluster for integration tests: one master process and N agent processes on free
// loopback ports, each with its own work dir, torn down afterwards.
import { join } from 'node:path';
import { eventually } from './eventually';
import { freePort, killProcessesWorkingIn, removeDir, startNodeProcess, tempDir, waitForHttp, type TepuiProcess } from './processes';

export interface ClusterOptions {
  readonly agents?: number;
  readonly masterFlags?: readonly string[];
  readonly agentFlags?: (index: number) => readonly string[];
  /** The address agent `index` listens on and advertises (default 127.0.0.1; any 127/8 address works). */
  readonly agentIp?: (index: number) => string;
}

export interface AgentHandle {
  process: TepuiProcess;
  readonly port: number;
  readonly workDir: string;
  readonly index: number;
  readonly ip: string;
}

export class TestCluster {
  readonly agents: AgentHandle[] = [];
  master!: TepuiProcess;
  masterPort = 0;
  readonly dir = tempDir('cluster');

  constructor(private readonly options: ClusterOptions = {}) {}

  get masterUrl(): string {
    return `http://127.0.0.1:${this.masterPort}`;
  }

  private masterStarts = 0;

  async start(): Promise<this> {
    this.masterPort = await freePort();
    await this.startMaster();
    for (let i = 0; i < (this.options.agents ?? 1); i++) await this.addAgent();
    await this.waitForAgents(this.agents.length);
    return this;
  }

  private async startMaster(): Promise<void> {
    this.master = startNodeProcess(`master${this.masterStarts++ === 0 ? '' : `-${this.masterStarts}`}`, 'packages/master/dist/main.js', [
      '--ip=127.0.0.1', `--port=${this.masterPort}`, '--log_level=debug', ...(this.options.masterFlags ?? []),
    ], this.dir);
    await waitForHttp(`${this.masterUrl}/health`);
  }

  /** Stops the master (SIGTERM, or kill -9) and starts it again on the same port. */
  /** Stops the master and starts it again; `whileDown` runs in between. */
  async restartMaster(how: 'SIGTERM' | 'kill -9' = 'SIGTERM', whileDown?: () => Promise<void>): Promise<void> {
    if (how === 'kill -9') await this.master.kill9();
    else await this.master.stop();
    await whileDown?.();
    await this.startMaster();
  }

  async addAgent(): Promise<AgentHandle> {
    const index = this.agents.length;
    const port = await freePort();
    const workDir = join(this.dir, `agent-${index}`);
    const ip = this.options.agentIp?.(index) ?? '127.0.0.1';
    const handle: AgentHandle = { process: this.spawnAgent(index, ip, port, workDir), port, workDir, index, ip };
    this.agents.push(handle);
    await waitForHttp(`http://${ip}:${port}/health`);
    return handle;
  }

  private spawnAgent(index: number, ip: string, port: number, workDir: string): TepuiProcess {
    // Below Linux's ephemeral range (32768+): a task binding its port must not find it taken by
    // some test's outgoing connection.
    const first = 20000 + index * 1000;
    return startNodeProcess(`agent-${index}`, 'packages/agent/dist/main.js', [
      `--master=127.0.0.1:${this.masterPort}`, `--ip=${ip}`, `--port=${port}`, `--work_dir=${workDir}`,
      `--resources=cpus:4;mem:4096;disk:10240;ports:[${first}-${first + 999}]`, `--attributes=rack:r${index}`,
      '--registration_backoff_factor=100ms', '--log_level=debug', ...(this.options.agentFlags?.(index) ?? []),
    ], this.dir);
  }

  /** Starts agent `index` again on its old port and work dir (after a kill -9). */
  async restartAgent(index: number): Promise<AgentHandle> {
    const handle = this.agents[index]!;
    handle.process = this.spawnAgent(index, handle.ip, handle.port, handle.workDir);
    await waitForHttp(`http://${handle.ip}:${handle.port}/health`);
    return handle;
  }

  async state(): Promise<MasterState> {
    return (await (await fetch(`${this.masterUrl}/master/state`)).json()) as MasterState;
  }

  async waitForAgents(count: number): Promise<void> {
    await eventually(async () => (await this.state()).slaves.filter((s) => s.active).length >= count, {
      message: `${count} agents did not register`,
    });
  }

  async stop(): Promise<void> {
    // SIGUSR1: the agent shuts down for good and kills its executors (Mesos' behaviour).
    for (const agent of this.agents) await agent.process.stop(10_000, 'SIGUSR1');
    await this.master?.stop();
    // Executors of agents killed with -9 and never restarted have no agent left to stop them.
    killProcessesWorkingIn(this.dir);
    if (process.env.TEPUI_KEEP_TEST_DIRS !== '1') removeDir(this.dir);
  }

  logs(): string {
    return [this.master, ...this.agents.map((a) => a.process)].map((p) => `==== ${p.name}\n${p.log().slice(-4000)}`).join('\n');
  }
}

export interface MasterState {
  leader?: string;
  slaves: Array<{ id: string; hostname: string; pid: string; active: boolean; resources: Record<string, unknown>; used_resources: Record<string, unknown> }>;
  frameworks: Array<{ id: string; name: string; active: boolean; tasks: Array<{ id: string; state: string; slave_id: string }>; unreachable_tasks: Array<{ id: string; state: string }>; completed_tasks: Array<{ id: string; state: string }> }>;
  completed_frameworks: Array<{ id: string }>;
}
