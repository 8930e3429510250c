// An in-memory Docker Engine for tests of the Docker executor: containers go created → running →
// exited and are removed, as the engine's do, and any call can be held until the test releases
// it, so a KILL can be delivered at each moment of a launch. Only what engine.ts names is here.
import { PassThrough } from 'node:stream';
import type { ContainerCreateOptions, ExecCreateOptions } from 'dockerode';
import type { DockerEngine, EngineContainer, EngineContainerInfo, EngineExec } from './engine';

export type EngineCall = 'image' | 'pull' | 'create' | 'inspect' | 'start' | 'stop' | 'kill' | 'remove' | 'wait' | 'exec';

class EngineError extends Error {
  constructor(readonly statusCode: number, message: string) {
    super(`(HTTP code ${statusCode}) ${message}`);
  }
}

interface ContainerRecord {
  readonly name: string;
  readonly spec: ContainerCreateOptions;
  state: 'created' | 'running' | 'exited';
  exitCode?: number;
  /** The process ignores the stop signal: only SIGKILL (kill, or remove with force) ends it. */
  ignoresStop: boolean;
  readonly waiters: Array<(code: number) => void>;
  readonly logs: PassThrough;
}

export class FakeEngine implements DockerEngine {
  readonly modem = { followProgress: (_s: NodeJS.ReadableStream, done: (err: Error | null) => void) => done(null) };
  readonly records = new Map<string, ContainerRecord>();
  readonly calls: Array<{ call: EngineCall; args?: unknown }> = [];
  /** Calls to hold next time they are made (one each). */
  private readonly toHold = new Set<EngineCall>();
  private readonly heldCalls: Array<{ call: EngineCall; release: () => void }> = [];
  images = new Set(['local/busybox']);
  /** New containers ignore the stop signal. */
  containersIgnoreStop = false;
  /** Exit code of `docker exec` commands (health checks). */
  execExitCode = 0;
  /** When set, creating a container fails with this message. */
  createError?: string;
  /** When set, starting a container fails with this message. */
  startError?: string;
  /** How many of the next kill calls the engine refuses. */
  refuseKills = 0;

  hold(call: EngineCall): void {
    this.toHold.add(call);
  }

  isHeld(call: EngineCall): boolean {
    return this.heldCalls.some((h) => h.call === call);
  }

  release(call: EngineCall): void {
    const i = this.heldCalls.findIndex((h) => h.call === call);
    if (i < 0) throw new Error(`no ${call} call is being held`);
    this.heldCalls.splice(i, 1)[0]!.release();
  }

  callsOf(call: EngineCall): unknown[] {
    return this.calls.filter((c) => c.call === call).map((c) => c.args);
  }

  /** Containers that exist (created, running or exited, not removed). */
  get containers(): Array<{ name: string; state: string }> {
    return [...this.records.values()].map((r) => ({ name: r.name, state: r.state }));
  }

  private async gate(call: EngineCall, args?: unknown): Promise<void> {
    this.calls.push({ call, args });
    if (this.toHold.delete(call)) await new Promise<void>((release) => this.heldCalls.push({ call, release }));
  }

  getImage(name: string): { inspect(): Promise<unknown> } {
    return {
      inspect: async () => {
        await this.gate('image', name);
        if (!this.images.has(name)) throw new EngineError(404, `No such image: ${name}`);
        return { Id: name };
      },
    };
  }

  async pull(image: string): Promise<NodeJS.ReadableStream> {
    await this.gate('pull', image);
    throw new EngineError(404, `pull access denied for ${image}`);
  }

  async createContainer(spec: ContainerCreateOptions): Promise<EngineContainer> {
    await this.gate('create', spec.name);
    if (this.createError) throw new EngineError(500, this.createError);
    const name = spec.name ?? `c${this.records.size}`;
    if (this.records.has(name)) throw new EngineError(409, `Conflict. The container name "/${name}" is already in use`);
    this.records.set(name, { name, spec, state: 'created', ignoresStop: this.containersIgnoreStop, waiters: [], logs: new PassThrough() });
    return this.getContainer(name);
  }

  getContainer(name: string): EngineContainer {
    const engine = this;
    const record = (): ContainerRecord => {
      const r = engine.records.get(name);
      if (!r) throw new EngineError(404, `No such container: ${name}`);
      return r;
    };
    return {
      id: name,
      modem: { demuxStream: () => undefined },
      async start() {
        await engine.gate('start', name);
        const r = record();
        if (engine.startError) throw new EngineError(500, engine.startError);
        if (r.state === 'exited') throw new EngineError(500, 'cannot restart an exited container here');
        r.state = 'running';
      },
      async stop(options: { t: number }) {
        await engine.gate('stop', { name, t: options.t });
        const r = record();
        if (r.state !== 'running') throw new EngineError(304, 'container already stopped');
        if (!r.ignoresStop) engine.exit(r, 143);
      },
      async kill(options: { signal: string }) {
        await engine.gate('kill', { name, signal: options.signal });
        if (engine.refuseKills > 0) {
          engine.refuseKills -= 1;
          throw new EngineError(500, 'Cannot kill container: engine busy');
        }
        const r = record();
        if (r.state !== 'running') throw new EngineError(409, `Container ${name} is not running`);
        engine.exit(r, 137);
      },
      async remove(options: { force: boolean }) {
        await engine.gate('remove', { name, force: options.force });
        const r = record();
        if (r.state === 'running' && !options.force) throw new EngineError(409, 'You cannot remove a running container');
        if (r.state === 'running') engine.exit(r, 137);
        engine.records.delete(name);
      },
      async inspect(): Promise<EngineContainerInfo> {
        await engine.gate('inspect', name);
        const r = record();
        const running = r.state === 'running';
        return { State: { Running: running, OOMKilled: false }, NetworkSettings: { Networks: running ? { bridge: { IPAddress: '172.17.0.2' } } : {} } };
      },
      async wait() {
        await engine.gate('wait', name);
        const r = record();
        const code = r.state === 'exited' ? r.exitCode! : await new Promise<number>((resolve) => r.waiters.push(resolve));
        return { StatusCode: code };
      },
      async logs() {
        return record().logs;
      },
      async exec(options: ExecCreateOptions): Promise<EngineExec> {
        await engine.gate('exec', options.Cmd);
        const code = engine.execExitCode;
        return {
          start: async () => {
            const stream = new PassThrough();
            stream.end();
            return stream;
          },
          inspect: async () => ({ Running: false, ExitCode: code }),
        };
      },
    };
  }

  /** The container's process ends by itself with `code`. */
  exitContainer(name: string, code: number): void {
    const r = this.records.get(name);
    if (r?.state === 'running') this.exit(r, code);
  }

  private exit(r: ContainerRecord, code: number): void {
    r.state = 'exited';
    r.exitCode = code;
    r.logs.end();
    for (const w of r.waiters.splice(0)) w(code);
  }
}
