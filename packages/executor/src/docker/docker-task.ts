// One task's container (Mesos' docker executor): make sure the image is there, create and start
// the container, copy its output to the sandbox's stdout/stderr, report the states, stop it with
// the kill grace period, and report how it ended. A container that is already there (the executor
// restarted under a recovering agent) is re-attached, not created again.
//
// A KILL can arrive while any engine call of the launch is under way. The launch looks at it after
// each call: before anything is created the task ends at once; a container created but not
// running is removed; one that started gets the normal stop. A terminal update goes out only once
// the task's container is gone, so TASK_KILLED means nothing of the task runs any more.
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { ContainerCreateOptions } from 'dockerode';
import type { Cancel, Clock, KillPolicy, TaskInfo, TaskState, TaskStatus } from '@tepui/protocol';
import { isTerminalState } from '@tepui/protocol';
import type { UpdateSink } from '../command/task-process';
import { HealthLoop } from '../health/health-loop';
import { escalateKill, killGraceMs, type KillEscalation } from '../kill-escalation';
import { containerSpec, ContainerSpecError, type ContainerContext } from './container-spec';
import { containerHealthCheck, type ContainerNetwork } from './container-checks';
import { engineStatus, type DockerEngine, type EngineContainer } from './engine';
import type { ImageCache } from './image-cache';

export const DEFAULT_DOCKER_STOP_GRACE_MS = 3000;
/** Mesos' docker executor KILL_RETRY_INTERVAL. */
export const KILL_RETRY_INTERVAL_MS = 5000;
const KILLED_BEFORE_START = 'Killed before the container started';

/** Where the launch is: the engine call under way (or, once `started`, none). */
type LaunchStep = 'image' | 'create' | 'start' | 'started';

export interface DockerTaskDeps {
  readonly docker: DockerEngine;
  readonly images: ImageCache;
  readonly driver: UpdateSink;
  readonly clock: Clock;
  readonly context: ContainerContext;
  readonly killingState: boolean;
  readonly onTerminal: (status: TaskStatus) => void;
  readonly log: (message: string) => void;
}

export class DockerTask {
  private step: LaunchStep = 'image';
  private container?: EngineContainer;
  private health?: HealthLoop;
  private killing = false;
  private killedByHealth = false;
  /** The shortest grace asked for by KILLs that came before the container was running. */
  private pendingGraceMs?: number;
  private escalation?: KillEscalation;
  private cancelEscalation?: Cancel;
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
      this.cancelEscalation?.();
      this.deps.onTerminal(status);
    }
    return status;
  }

  /** Settles once the launch has run its course (started, failed, or cleaned up after a kill). */
  private launchDone: Promise<void> = Promise.resolve();

  start(): Promise<void> {
    this.launchDone = this.runLaunch();
    return this.launchDone;
  }

  private async runLaunch(): Promise<void> {
    this.send('TASK_STARTING');
    try {
      await this.launch();
    } catch (err) {
      if (this.terminalStatus) return;
      // A container that was created stays behind on no path: killed or failed, it is removed.
      if (this.container) await this.removeContainer(this.container);
      if (this.killing) {
        this.send('TASK_KILLED', { message: KILLED_BEFORE_START });
        return;
      }
      const reason = err instanceof ContainerSpecError ? 'REASON_TASK_INVALID' : 'REASON_CONTAINER_LAUNCH_FAILED';
      this.send('TASK_FAILED', { message: `Failed to launch container: ${(err as Error).message}`, reason });
    }
  }

  private async launch(): Promise<void> {
    const spec = containerSpec(this.task, this.deps.context);
    await this.deps.images.ensure(spec.Image!, this.task.container?.docker?.force_pull_image ?? false);
    if (this.killing) return; // kill() ended the task: nothing was created
    this.step = 'create';
    const { container, created } = await this.createOrAttach(spec);
    this.container = container;
    this.step = 'start';
    // A container found running (re-attached) is stopped as any running one; one not running yet is never started.
    const running = !created && (await container.inspect()).State.Running;
    if (!running) {
      if (this.killing) return this.removeKilledBeforeStart(container);
      await container.start();
    }
    this.step = 'started';
    void this.watch(container);
    if (this.killing) {
      // Killed while it was starting: stopped as a running container is, with the grace asked for.
      this.stopContainer(container, this.pendingGraceMs ?? killGraceMs(undefined, this.task, DEFAULT_DOCKER_STOP_GRACE_MS));
      return;
    }
    // Only a container with its own network namespace has an address worth reporting.
    const ownNetwork = spec.HostConfig?.NetworkMode !== 'host';
    const ip = ownNetwork ? await this.containerIp(container) : undefined;
    if (this.killing || this.terminalStatus) return; // kill() stopped it meanwhile; no RUNNING after KILLING
    this.send('TASK_RUNNING', {
      container_status: { ...(ip ? { network_infos: [{ ip_addresses: [{ protocol: 'IPv4', ip_address: ip }] }] } : {}) },
    });
    // Output is read from the start of the container's log, so attaching after RUNNING loses nothing.
    this.copyOutput(container);
    this.startHealthChecks(container, ownNetwork ? { kind: 'own', ip } : { kind: 'host' });
  }

  private async createOrAttach(spec: ContainerCreateOptions): Promise<{ container: EngineContainer; created: boolean }> {
    try {
      return { container: await this.deps.docker.createContainer(spec), created: true };
    } catch (err) {
      // 409: the container is already there — this executor restarted under a recovering agent.
      if (engineStatus(err) !== 409) throw err;
      return { container: this.deps.docker.getContainer(spec.name!), created: false };
    }
  }

  private async containerIp(container: EngineContainer): Promise<string | undefined> {
    try {
      const networks = (await container.inspect()).NetworkSettings.Networks ?? {};
      return Object.values(networks).map((n) => n.IPAddress).find((a) => a);
    } catch (err) {
      this.deps.log(`inspecting the container of '${this.id}' failed: ${(err as Error).message}`);
      return undefined;
    }
  }

  private async removeKilledBeforeStart(container: EngineContainer): Promise<void> {
    await this.removeContainer(container);
    if (!this.terminalStatus) this.send('TASK_KILLED', { message: KILLED_BEFORE_START });
  }

  private removeContainer(container: EngineContainer): Promise<void> {
    return container.remove({ force: true }).then(
      () => undefined,
      (err: Error) => this.deps.log(`removing the container of '${this.id}' failed: ${err.message}`),
    );
  }

  private copyOutput(container: EngineContainer): void {
    const sandbox = this.deps.context.sandbox;
    void container.logs({ follow: true, stdout: true, stderr: true, since: 0 }).then((stream) => {
      const out = createWriteStream(join(sandbox, 'stdout'), { flags: 'a' });
      const err = createWriteStream(join(sandbox, 'stderr'), { flags: 'a' });
      for (const file of [out, err]) file.on('error', (e: Error) => this.deps.log(`cannot write container output: ${e.message}`));
      container.modem.demuxStream(stream, out, err);
      stream.on('end', () => {
        out.end();
        err.end();
      });
    }, (e: Error) => this.deps.log(`cannot follow container output: ${e.message}`));
  }

  /** Waits for the container to stop, removes it, then reports how the task ended. */
  private async watch(container: EngineContainer): Promise<void> {
    let code: number | undefined;
    try {
      code = statusCodeOf(await container.wait());
    } catch (err) {
      this.deps.log(`waiting for the container failed: ${(err as Error).message}`);
    }
    if (this.terminalStatus) return;
    const state = await container.inspect().then((i) => i.State, () => undefined);
    await this.removeContainer(container);
    if (this.terminalStatus) return;
    const how = state?.OOMKilled ? 'Container was killed for exceeding its memory limit' : `Container exited with status ${code ?? 'unknown'}`;
    if (this.killing) this.send('TASK_KILLED', { message: this.killedByHealth ? `${how} (killed after failing health checks)` : how, ...(this.killedByHealth ? { healthy: false } : {}) });
    else if (code === 0) this.send('TASK_FINISHED', { message: how });
    else this.send('TASK_FAILED', { message: how, reason: state?.OOMKilled ? 'REASON_CONTAINER_LIMITATION_MEMORY' : 'REASON_COMMAND_EXECUTOR_FAILED' });
  }

  /** Health checks run against the container, as Mesos' docker executor runs them (container-checks.ts). */
  private startHealthChecks(container: EngineContainer, network: ContainerNetwork): void {
    const check = this.task.health_check;
    if (!check) return;
    const attempt = containerHealthCheck(check, container, network);
    if (!attempt) {
      this.deps.log(`task '${this.id}' has a ${check.type ?? 'typeless'} health check that cannot run (nothing to run, or no address to check); it is not checked`);
      return;
    }
    this.health = new HealthLoop(check, {
      clock: this.deps.clock,
      check: attempt,
      report: (healthy) => void this.send('TASK_RUNNING', { healthy, reason: 'REASON_TASK_HEALTH_CHECK_STATUS_UPDATED' }),
      kill: () => {
        this.killedByHealth = true;
        this.kill();
      },
    });
    this.health.start();
  }

  /**
   * Ends the task wherever its launch is (see the top of the file). Every KILL is acted on until
   * the task has ended; one after that changes nothing, its terminal update being on its way.
   */
  kill(policy?: KillPolicy): void {
    if (this.terminalStatus) return;
    const graceMs = killGraceMs(policy, this.task, DEFAULT_DOCKER_STOP_GRACE_MS);
    this.killing = true;
    this.health?.stop();
    if (this.step === 'image') {
      this.send('TASK_KILLED', { message: KILLED_BEFORE_START });
      return;
    }
    if (this.step !== 'started' || !this.container) {
      this.pendingGraceMs = Math.min(this.pendingGraceMs ?? graceMs, graceMs);
      return;
    }
    this.stopContainer(this.container, graceMs);
  }

  /**
   * `docker stop` with what is left of the grace period. Mesos' docker executor issues the stop
   * again on every KILL (a stop that failed or got lost gets another go); the SIGKILL deadline can
   * only come closer (kill-escalation.ts) and is enforced here too, in case the engine's stop failed.
   */
  private stopContainer(container: EngineContainer, graceMs: number): void {
    const now = this.deps.clock.now();
    const first = this.escalation === undefined;
    const { escalation, rescheduled } = escalateKill(this.escalation, graceMs, now);
    this.escalation = escalation;
    if (first && this.deps.killingState) this.send('TASK_KILLING');
    const leftMs = escalation.deadline - now;
    void container.stop({ t: Math.ceil(leftMs / 1000) }).catch((err: Error) => this.deps.log(`stopping the container of '${this.id}' failed: ${err.message}`));
    if (!rescheduled) return;
    this.cancelEscalation?.();
    // As Mesos' docker executor retries a kill that failed, a SIGKILL the engine refused is sent again.
    const sigkill = (): void => {
      if (this.terminalStatus) return;
      void container.kill({ signal: 'SIGKILL' }).catch((err: Error) => {
        this.deps.log(`killing the container of '${this.id}' failed: ${err.message}`);
        if (!this.terminalStatus) this.cancelEscalation = this.deps.clock.setTimer(KILL_RETRY_INTERVAL_MS, sigkill);
      });
    };
    if (leftMs <= 0) sigkill();
    else this.cancelEscalation = this.deps.clock.setTimer(leftMs, sigkill);
  }

  /**
   * The executor goes away without its agent: no container may outlive it. Resolves once the
   * launch under way (which now creates nothing more, and removes what it created) is over and
   * the container is removed.
   */
  async forceKill(): Promise<void> {
    this.killing = true;
    this.health?.stop();
    await this.launchDone;
    if (this.container) await this.removeContainer(this.container);
  }
}

function statusCodeOf(result: unknown): number | undefined {
  if (typeof result !== 'object' || result === null || !('StatusCode' in result)) return undefined;
  return typeof result.StatusCode === 'number' ? result.StatusCode : undefined;
}
