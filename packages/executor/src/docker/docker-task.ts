// One task's container (Mesos' docker executor): make sure the image is there, create and start
// the container, copy its output to the sandbox's stdout/stderr, report the states, stop it with
// the kill grace period, and report how it ended. A container that is already there (the executor
// restarted under a recovering agent) is re-attached, not created again.
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import type { Clock, KillPolicy, TaskInfo, TaskState, TaskStatus } from '@tepui/protocol';
import { isTerminalState } from '@tepui/protocol';
import type { UpdateSink } from '../command/task-process';
import { HealthLoop } from '../health/health-loop';
import { containerSpec, ContainerSpecError, type ContainerContext } from './container-spec';
import type { ImageCache } from './image-cache';

export const DEFAULT_DOCKER_STOP_GRACE_MS = 3000;

export interface DockerTaskDeps {
  readonly docker: Docker;
  readonly images: ImageCache;
  readonly driver: UpdateSink;
  readonly clock: Clock;
  readonly context: ContainerContext;
  readonly killingState: boolean;
  readonly onTerminal: (status: TaskStatus) => void;
  readonly log: (message: string) => void;
}

export class DockerTask {
  private container?: Docker.Container;
  private health?: HealthLoop;
  private killedByHealth = false;
  private killing = false;
  private terminalStatus?: TaskStatus;

  constructor(
    readonly task: TaskInfo,
    private readonly deps: DockerTaskDeps,
  ) {}

  get id(): string {
    return this.task.task_id.value;
  }

  get terminal(): TaskStatus | undefined {
    return this.terminalStatus;
  }

  private send(state: TaskState, extra: Partial<TaskStatus> = {}): TaskStatus {
    const status = this.deps.driver.update({ task_id: this.task.task_id, state, ...extra });
    if (isTerminalState(state)) {
      this.terminalStatus = status;
      this.health?.stop();
      this.deps.onTerminal(status);
    }
    return status;
  }

  async start(): Promise<void> {
    this.send('TASK_STARTING');
    try {
      const spec = containerSpec(this.task, this.deps.context);
      await this.deps.images.ensure(spec.Image!, this.task.container?.docker?.force_pull_image ?? false);
      let created = true;
      this.container = await this.deps.docker.createContainer(spec).catch(async (err: Error & { statusCode?: number }) => {
        // 409: the container is already there — this executor restarted under a recovering agent.
        if (err.statusCode !== 409) throw err;
        created = false;
        return this.deps.docker.getContainer(spec.name!);
      });
      if (created || !(await this.container.inspect()).State.Running) await this.container.start();
      // Only a container with its own network namespace has an address worth reporting.
      const ownNetwork = spec.HostConfig?.NetworkMode !== 'host';
      const networks = ownNetwork ? (await this.container.inspect()).NetworkSettings.Networks ?? {} : {};
      const ip = Object.values(networks).map((n) => n.IPAddress).find((a) => a);
      if (this.killing) {
        // Killed while the container was being created: TASK_KILLED went out already; nothing may stay behind.
        if (this.terminalStatus) await this.container.remove({ force: true }).catch(() => undefined);
        else void this.wait(this.container);
        return;
      }
      this.send('TASK_RUNNING', {
        container_status: { ...(ip ? { network_infos: [{ ip_addresses: [{ protocol: 'IPv4', ip_address: ip }] }] } : {}) },
      });
      // Output is read from the start of the container's log, so attaching after RUNNING loses nothing.
      this.copyOutput(this.container);
      void this.wait(this.container);
      this.startHealthChecks(this.container);
    } catch (err) {
      const reason = err instanceof ContainerSpecError ? 'REASON_TASK_INVALID' : 'REASON_CONTAINER_LAUNCH_FAILED';
      this.send('TASK_FAILED', { message: `Failed to launch container: ${(err as Error).message}`, reason });
    }
  }

  private copyOutput(container: Docker.Container): void {
    const sandbox = this.deps.context.sandbox;
    void container.logs({ follow: true, stdout: true, stderr: true, since: 0 }).then((stream) => {
      const out = createWriteStream(join(sandbox, 'stdout'), { flags: 'a' });
      const err = createWriteStream(join(sandbox, 'stderr'), { flags: 'a' });
      container.modem.demuxStream(stream, out, err);
      stream.on('end', () => {
        out.end();
        err.end();
      });
    }, (e: Error) => this.deps.log(`cannot follow container output: ${e.message}`));
  }

  private async wait(container: Docker.Container): Promise<void> {
    let code: number | undefined;
    try {
      code = ((await container.wait()) as { StatusCode: number }).StatusCode;
    } catch (err) {
      this.deps.log(`waiting for the container failed: ${(err as Error).message}`);
    }
    if (this.terminalStatus) return;
    const state = await container.inspect().then((i) => i.State, () => undefined);
    const how = state?.OOMKilled ? 'Container was killed for exceeding its memory limit' : `Container exited with status ${code ?? 'unknown'}`;
    if (this.killing) this.send('TASK_KILLED', { message: this.killedByHealth ? `${how} (killed after failing health checks)` : how, ...(this.killedByHealth ? { healthy: false } : {}) });
    else if (code === 0) this.send('TASK_FINISHED', { message: how });
    else this.send('TASK_FAILED', { message: how, reason: state?.OOMKilled ? 'REASON_CONTAINER_LIMITATION_MEMORY' : 'REASON_COMMAND_EXECUTOR_FAILED' });
    await container.remove({ force: true }).catch(() => undefined);
  }

  /** COMMAND checks run inside the container (`docker exec`), as Mesos' docker executor runs them. */
  private startHealthChecks(container: Docker.Container): void {
    const check = this.task.health_check;
    if (!check || check.type !== 'COMMAND' || !check.command?.value) return;
    const command = check.command.value;
    this.health = new HealthLoop(check, {
      clock: this.deps.clock,
      check: (timeoutMs) => execSucceeds(container, command, timeoutMs),
      report: (healthy) => void this.send('TASK_RUNNING', { healthy, reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED' }),
      kill: () => {
        this.killedByHealth = true;
        this.kill();
      },
    });
    this.health.start();
  }

  kill(policy?: KillPolicy): void {
    if (this.killing || this.terminalStatus) return;
    this.killing = true;
    this.health?.stop();
    if (!this.container) {
      this.send('TASK_KILLED', { message: 'Killed before the container started' });
      return;
    }
    if (this.deps.killingState) this.send('TASK_KILLING');
    const graceNs = policy?.grace_period?.nanoseconds ?? this.task.kill_policy?.grace_period?.nanoseconds;
    const graceMs = graceNs === undefined ? DEFAULT_DOCKER_STOP_GRACE_MS : graceNs / 1e6;
    void this.container.stop({ t: Math.ceil(graceMs / 1000) }).catch((err: Error) => this.deps.log(`stopping the container: ${err.message}`));
  }

  /** The executor goes away without its agent: remove the container. */
  forceKill(): void {
    void this.container?.remove({ force: true }).catch(() => undefined);
  }
}

/** Runs `sh -c command` in the container; true when it exits 0 within the timeout. */
async function execSucceeds(container: Docker.Container, command: string, timeoutMs: number): Promise<boolean> {
  try {
    const exec = await container.exec({ Cmd: ['/bin/sh', '-c', command], AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: false });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve();
      };
      stream.on('end', done);
      stream.on('close', done);
      stream.on('error', done);
      stream.resume();
    });
    const info = await exec.inspect();
    return !info.Running && info.ExitCode === 0;
  } catch {
    return false;
  }
}
