// One task's container (Mesos' docker executor): pull the image when asked or missing, create
// and start the container, copy its output to the sandbox's stdout/stderr, report the states,
// stop it with the kill grace period, and report how it ended. A container that is already
// there (the executor restarted under a recovering agent) is re-attached, not created again.
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import type { Clock, KillPolicy, TaskInfo, TaskState, TaskStatus } from '@tepui/protocol';
import { isTerminalState } from '@tepui/protocol';
import type { UpdateSink } from '../command/task-process';
import { containerName, containerSpec, ContainerSpecError, type ContainerContext } from './container-spec';

export const DEFAULT_DOCKER_STOP_GRACE_MS = 3000;

export interface DockerTaskDeps {
  readonly docker: Docker;
  readonly driver: UpdateSink;
  readonly clock: Clock;
  readonly context: ContainerContext;
  readonly killingState: boolean;
  readonly onTerminal: (status: TaskStatus) => void;
  readonly log: (message: string) => void;
}

export class DockerTask {
  private container?: Docker.Container;
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
      this.deps.onTerminal(status);
    }
    return status;
  }

  async start(): Promise<void> {
    this.send('TASK_STARTING');
    try {
      const spec = containerSpec(this.task, this.deps.context);
      this.container = await this.existing() ?? await this.create(spec);
      const info = await this.container.inspect();
      if (!info.State.Running) await this.container.start();
      this.copyOutput(this.container);
      const networks = (await this.container.inspect()).NetworkSettings.Networks ?? {};
      const ip = Object.values(networks).map((n) => n.IPAddress).find((a) => a);
      if (this.killing) return; // a kill raced the start: wait() reports the end
      this.send('TASK_RUNNING', {
        container_status: { ...(ip ? { network_infos: [{ ip_addresses: [{ protocol: 'IPv4', ip_address: ip }] }] } : {}) },
      });
      void this.wait(this.container);
    } catch (err) {
      const reason = err instanceof ContainerSpecError ? 'REASON_TASK_INVALID' : 'REASON_CONTAINER_LAUNCH_FAILED';
      this.send('TASK_FAILED', { message: `Failed to launch container: ${(err as Error).message}`, reason });
    }
  }

  private async existing(): Promise<Docker.Container | undefined> {
    const name = containerName(this.deps.context, this.id);
    const found = await this.deps.docker.listContainers({ all: true, filters: { name: [name] } });
    const match = found.find((c) => c.Names.includes(`/${name}`));
    return match ? this.deps.docker.getContainer(match.Id) : undefined;
  }

  private async create(spec: Docker.ContainerCreateOptions): Promise<Docker.Container> {
    const image = spec.Image!;
    const force = this.task.container?.docker?.force_pull_image ?? false;
    const present = await this.deps.docker.getImage(image).inspect().then(() => true, () => false);
    if (force || !present) await this.pull(image);
    return this.deps.docker.createContainer(spec);
  }

  private async pull(image: string): Promise<void> {
    try {
      const stream = await this.deps.docker.pull(image);
      await new Promise<void>((resolve, reject) => this.deps.docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())));
    } catch (err) {
      throw new Error(`Failed to pull image '${image}': ${(err as Error).message}`);
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
    if (this.killing) this.send('TASK_KILLED', { message: how });
    else if (code === 0) this.send('TASK_FINISHED', { message: how });
    else this.send('TASK_FAILED', { message: how, reason: state?.OOMKilled ? 'REASON_CONTAINER_LIMITATION_MEMORY' : 'REASON_COMMAND_EXECUTOR_FAILED' });
    await container.remove({ force: true }).catch(() => undefined);
  }

  kill(policy?: KillPolicy): void {
    if (this.killing || this.terminalStatus) return;
    this.killing = true;
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
