// A process runner for tests: records what was started and the signals each process got, and
// lets the test decide when (and how) a process exits. SIGKILL always ends a process; other
// signals end it unless it was started as ignoring SIGTERM.
import type { ProcessRunner, ProcessSpec, RunningProcess } from './process-runner';

export class FakeProcess implements RunningProcess {
  readonly signals: NodeJS.Signals[] = [];
  private readonly listeners: Array<(code: number | null, signal: NodeJS.Signals | null) => void> = [];
  private exited?: { code: number | null; signal: NodeJS.Signals | null };

  constructor(
    readonly pid: number,
    readonly spec: ProcessSpec,
    private readonly ignoresTerm: boolean,
  ) {}

  get running(): boolean {
    return this.exited === undefined;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.exited) return;
    this.signals.push(signal);
    if (signal === 'SIGKILL' || !this.ignoresTerm) this.exit(null, signal);
  }

  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void {
    if (this.exited) listener(this.exited.code, this.exited.signal);
    else this.listeners.push(listener);
  }

  exit(code: number | null, signal: NodeJS.Signals | null = null): void {
    if (this.exited) return;
    this.exited = { code, signal };
    for (const l of this.listeners.splice(0)) l(code, signal);
  }
}

export class FakeRunner implements ProcessRunner {
  readonly started: FakeProcess[] = [];
  /** Started processes ignore SIGTERM. */
  ignoresTerm = false;
  /** The next start fails to spawn (pid -1, exits 127 right after), as a missing binary does. */
  failSpawn = false;

  start(spec: ProcessSpec): RunningProcess {
    const proc = new FakeProcess(this.failSpawn ? -1 : 1000 + this.started.length, spec, this.ignoresTerm);
    this.started.push(proc);
    if (this.failSpawn) queueMicrotask(() => proc.exit(127));
    return proc;
  }
}
