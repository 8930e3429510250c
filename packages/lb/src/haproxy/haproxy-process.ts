// HAProxy in master-worker mode (`-W`), the mode marathon-lb settled on for seamless reloads
// (discovery B.5 step 6). The master re-reads haproxy.cfg on `reload`, forks a worker of the new
// generation and tells the old ones to finish their sessions and leave. On 2.6 the master hands the
// listening sockets to the new worker through its own socketpair with the old worker, so neither
// `-x` nor `expose-fd listeners` is needed for a reload that refuses nothing (haproxy-process.test.ts
// checks that the listening socket survives a reload without them). If the new configuration fails,
// the master stays up, counts a failed reload and the old worker keeps serving. New ports are tried
// first (bind-preflight.ts): a taken one would make HAProxy pause every listener while it retries.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import { parseConfigAlerts } from './alerts';
import { findTakenNewPorts } from './bind-preflight';
import { DEFAULT_HAPROXY_BIN } from './config-check';
import { writeFileAtomically } from './config-file';
import { HaproxyNotRunning, HaproxyReloadFailed, HaproxyStartFailed, type ConfigProblem } from './errors';
import { PollTimeout, StopPolling, pollUntil } from './poll';
import { isProcessRunning, processProgram } from './process-liveness';
import { parseProcessList, type ProcessList } from './process-list';
import { StderrLog } from './stderr-log';
import { exchangeOverUnixSocket } from './unix-socket';

export interface HaproxyProcessOptions {
  /** Holds haproxy.cfg, master.sock and haproxy.pid. */
  readonly dir: string;
  readonly haproxyBin?: string;
  readonly log?: Logger;
  readonly startTimeoutMs?: number;
  readonly reloadTimeoutMs?: number;
  readonly stopTimeoutMs?: number;
}

export interface HaproxyExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last lines HAProxy wrote, for the log of whoever restarts it. */
  readonly stderr: readonly string[];
}

export interface ReloadOutcome {
  /** The worker of the new generation. */
  readonly workerPid: number;
  /** The master's reload count after this reload. */
  readonly reloads: number;
  readonly durationMs: number;
}

export const DEFAULT_START_TIMEOUT_MS = 10_000;
export const DEFAULT_RELOAD_TIMEOUT_MS = 10_000;
export const DEFAULT_STOP_TIMEOUT_MS = 10_000;
/** Master CLI commands are answered in milliseconds. */
const MASTER_CLI_TIMEOUT_MS = 2_000;
/**
 * While polling, a connection can be accepted by a master that is failing to load and never be
 * answered (seen on a reload whose new port was taken): give up on such a probe early and ask again.
 */
const MASTER_CLI_PROBE_TIMEOUT_MS = 500;

export class HaproxyProcess {
  readonly configPath: string;
  readonly masterSocketPath: string;
  readonly pidFilePath: string;
  private readonly bin: string;
  private readonly stderr: StderrLog;
  private readonly exitListeners = new Set<(exit: HaproxyExit) => void>();
  /** Every worker pid seen in `show proc`: stop() makes sure none of them outlives the master. */
  private readonly workerPids = new Set<number>();
  private child?: ChildProcess;
  private exited?: Promise<HaproxyExit>;
  private exitInfo?: HaproxyExit;
  private stopping = false;
  private currentConfig?: string;
  private reloadQueue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: HaproxyProcessOptions) {
    this.configPath = join(opts.dir, 'haproxy.cfg');
    this.masterSocketPath = join(opts.dir, 'master.sock');
    this.pidFilePath = join(opts.dir, 'haproxy.pid');
    this.bin = opts.haproxyBin ?? DEFAULT_HAPROXY_BIN;
    this.stderr = new StderrLog(opts.log);
  }

  /** The master's pid while it runs. */
  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  get running(): boolean {
    return this.child !== undefined && this.exitInfo === undefined;
  }

  /** HAProxy's latest stderr lines (alerts, warnings, and its logs when `log stderr` is set). */
  recentStderr(): readonly string[] {
    return this.stderr.recent();
  }

  /** Called when the master exits without stop() having asked it to. Returns an unsubscribe. */
  onExit(listener: (exit: HaproxyExit) => void): () => void {
    this.exitListeners.add(listener);
    return () => this.exitListeners.delete(listener);
  }

  /** Writes the configuration, starts the master, and resolves once a worker is up. */
  async start(configText: string): Promise<void> {
    if (this.child !== undefined) throw new HaproxyStartFailed('this HaproxyProcess was already started', [], []);
    await mkdir(this.opts.dir, { recursive: true });
    await rm(this.masterSocketPath, { force: true });
    await writeFileAtomically(this.configPath, configText);
    const mark = this.stderr.mark();
    this.spawnMaster();
    try {
      await pollUntil(
        async () => {
          if (this.exitInfo) throw new StopPolling(this.startFailure(`exited with code ${this.exitInfo.code}`, mark));
          const list = await this.showProc(MASTER_CLI_PROBE_TIMEOUT_MS);
          return list.workers.length > 0 ? list : undefined;
        },
        { timeoutMs: this.opts.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS, what: 'a worker listed by the master CLI' },
      );
    } catch (err) {
      await this.stop();
      throw err instanceof HaproxyStartFailed ? err : this.startFailure(err instanceof Error ? err.message : String(err), mark);
    }
    this.currentConfig = configText;
    this.opts.log?.info({ pid: this.pid, workers: [...this.workerPids] }, 'haproxy started');
  }

  /**
   * Replaces the configuration and waits for a worker of the new generation. When HAProxy refuses
   * the configuration, rejects with HaproxyReloadFailed; the old worker keeps serving and the old
   * file is put back, so a later restart or reload does not pick up the refused text. Reloads run
   * one at a time, in call order.
   */
  reload(configText: string): Promise<ReloadOutcome> {
    const next = this.reloadQueue.then(() => this.reloadNow(configText));
    this.reloadQueue = next.catch(() => undefined);
    return next;
  }

  /** Stops master and workers (SIGTERM, then SIGKILL after the deadline); leaves no process behind. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    this.stopping = true;
    if (this.running) {
      await this.showProc().catch(() => undefined); // learn the newest workers before the master goes
      child.kill('SIGTERM');
      const timeoutMs = this.opts.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
      if (!(await settlesWithin(this.exited, timeoutMs))) {
        this.opts.log?.warn({ pid: child.pid }, 'haproxy master ignored SIGTERM; killing it');
        child.kill('SIGKILL');
        await this.exited;
      }
    }
    await this.killLeftoverWorkers();
    await rm(this.masterSocketPath, { force: true });
  }

  /** The master's process list; also records worker pids for stop(). */
  async showProc(timeoutMs = MASTER_CLI_TIMEOUT_MS): Promise<ProcessList> {
    const text = await exchangeOverUnixSocket(this.masterSocketPath, 'show proc\n', { timeoutMs, halfClose: true });
    const list = parseProcessList(text);
    if (list === undefined) throw new Error(`unexpected 'show proc' answer: ${text.slice(0, 200)}`);
    for (const worker of list.workers) this.workerPids.add(worker.pid);
    return list;
  }

  private spawnMaster(): void {
    const args = ['-W', '-S', this.masterSocketPath, '-f', this.configPath, '-p', this.pidFilePath];
    const child = spawn(this.bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream }).on('line', (line) => this.stderr.add(line));
    this.exited = new Promise((resolve) => {
      const onEnd = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (this.exitInfo) return;
        this.exitInfo = { code, signal, stderr: this.stderr.recent() };
        resolve(this.exitInfo);
        if (!this.stopping) this.reportUnexpectedExit(this.exitInfo);
      };
      child.once('exit', onEnd);
      child.once('error', (err) => {
        this.stderr.add(`spawning ${this.bin} failed: ${err.message}`);
        onEnd(null, null);
      });
    });
  }

  private reportUnexpectedExit(exit: HaproxyExit): void {
    this.opts.log?.error({ code: exit.code, signal: exit.signal, stderr: exit.stderr.slice(-10) }, 'haproxy master exited unexpectedly');
    // Workers whose master died can serve nothing we control; a restart needs their ports free.
    void this.killLeftoverWorkers();
    for (const listener of this.exitListeners) listener(exit);
  }

  private async reloadNow(configText: string): Promise<ReloadOutcome> {
    if (!this.running || this.currentConfig === undefined) throw new HaproxyNotRunning('reload');
    const previous = this.currentConfig;
    const started = performance.now();
    const taken = await findTakenNewPorts(previous, configText);
    if (taken.length > 0) {
      const problems = taken.map((a) => ({ message: `port ${a.host}:${a.port} is already in use by another process` }));
      this.opts.log?.error({ problems }, 'haproxy reload skipped: a new port is taken');
      throw new HaproxyReloadFailed('a new bind address is taken; reloading would pause every listener for ~2 s', problems);
    }
    const before = await this.showProc();
    const oldWorkers = new Set(before.workers.map((w) => w.pid));
    const mark = this.stderr.mark();
    await writeFileAtomically(this.configPath, configText);
    try {
      await exchangeOverUnixSocket(this.masterSocketPath, 'reload\n', { timeoutMs: MASTER_CLI_TIMEOUT_MS, halfClose: true });
      const outcome = await pollUntil(
        async () => {
          if (!this.running) throw new StopPolling(new HaproxyReloadFailed('haproxy exited during the reload', this.problemsSince(mark)));
          const list = await this.showProc(MASTER_CLI_PROBE_TIMEOUT_MS);
          // The master answers again only after its re-exec; until its count moves, it is still loading.
          if (list.master.reloads <= before.master.reloads) return undefined;
          const fresh = list.workers.find((w) => w.reloads === 0 && !oldWorkers.has(w.pid));
          if (fresh) return { workerPid: fresh.pid, reloads: list.master.reloads };
          if (list.master.failedReloads > 0) throw new StopPolling(await this.refusal(mark));
          return undefined;
        },
        { timeoutMs: this.opts.reloadTimeoutMs ?? DEFAULT_RELOAD_TIMEOUT_MS, what: 'a worker of the new generation' },
      );
      this.currentConfig = configText;
      const durationMs = Math.round(performance.now() - started);
      this.opts.log?.info({ workerPid: outcome.workerPid, reloads: outcome.reloads, durationMs }, 'haproxy reloaded');
      return { ...outcome, durationMs };
    } catch (err) {
      await writeFileAtomically(this.configPath, previous);
      const failure =
        err instanceof HaproxyReloadFailed
          ? err
          : new HaproxyReloadFailed(err instanceof PollTimeout ? err.message : String(err), this.problemsSince(mark));
      this.opts.log?.error({ err: failure, problems: failure.problems }, 'haproxy reload failed; the previous worker keeps serving');
      throw failure;
    }
  }

  /** The master logs its alerts before "Loading failure!"; wait for that line so none is missed. */
  private async refusal(mark: number): Promise<HaproxyReloadFailed> {
    await pollUntil(() => (this.stderr.since(mark).some((l) => l.includes('Loading failure')) ? true : undefined), {
      timeoutMs: 1_000,
      what: "haproxy's 'Loading failure' line",
    }).catch(() => undefined);
    return new HaproxyReloadFailed('haproxy refused the new configuration', this.problemsSince(mark));
  }

  private problemsSince(mark: number): ConfigProblem[] {
    return parseConfigAlerts(this.stderr.since(mark));
  }

  private startFailure(reason: string, mark: number): HaproxyStartFailed {
    return new HaproxyStartFailed(reason, this.stderr.since(mark), this.problemsSince(mark));
  }

  private async killLeftoverWorkers(): Promise<void> {
    const pids = [...this.workerPids];
    const alive = (): number[] => pids.filter(isProcessRunning);
    const timeoutMs = this.opts.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    // The master's SIGTERM reaches its workers; give them the same deadline to leave on their own.
    const gone = await pollUntil(() => (alive().length === 0 ? true : undefined), { timeoutMs, what: 'workers gone' }).catch(() => false);
    if (!gone) {
      // A pid can be reused once its process is gone: kill only what still runs our binary.
      for (const pid of alive().filter((p) => processProgram(p) === this.bin)) {
        this.opts.log?.warn({ pid }, 'haproxy worker outlived its master; killing it');
        process.kill(pid, 'SIGKILL');
      }
      await pollUntil(() => (alive().every((p) => processProgram(p) !== this.bin) ? true : undefined), {
        timeoutMs,
        what: 'killed workers gone',
      });
    }
    for (const pid of pids) this.workerPids.delete(pid);
  }
}

function settlesWithin(promise: Promise<unknown> | undefined, ms: number): Promise<boolean> {
  if (promise === undefined) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
