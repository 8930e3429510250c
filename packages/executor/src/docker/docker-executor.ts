// The Docker executor: runs the DOCKER tasks of one framework on this agent, each in its own
// container on the engine named by DOCKER_HOST, with its output in `tasks/<task id>/` of the
// executor's sandbox. It stays until the agent shuts it down, so later tasks start at once.
import { mkdirSync } from 'node:fs';
import { taskSandboxDir, type KillPolicy, type TaskInfo } from '@tepui/protocol';
import { ExecutorLogicBase } from '../executor-logic';
import { hasKillingState, type ExecutorDeps } from '../command/command-executor';
import type { ContainerContext } from './container-spec';
import { DockerTask } from './docker-task';
import type { DockerEngine } from './engine';
import { ImageCache } from './image-cache';

/** How long an executor that lost its agent waits for its containers to be removed before it exits. */
export const AGENT_LOST_CLEANUP_MS = 10_000;

export interface DockerExecutorDeps extends ExecutorDeps {
  /** The engine client, made on first use (loading dockerode overlaps the executor's subscription). */
  readonly docker: () => DockerEngine;
  readonly context: ContainerContext;
}

export class DockerExecutor extends ExecutorLogicBase {
  private readonly tasks = new Map<string, DockerTask>();
  private shuttingDown = false;
  private images?: ImageCache;

  constructor(private readonly docker: DockerExecutorDeps) {
    super(docker);
  }

  protected kill(taskId: string, policy: KillPolicy | undefined): void {
    const task = this.tasks.get(taskId);
    if (task) task.kill(policy);
    else this.deps.log(`asked to kill task '${taskId}', which this executor does not run (any more)`);
  }

  protected acknowledged(taskId: string, uuid: string): void {
    const task = this.tasks.get(taskId);
    if (task?.terminal && uuid === task.terminal.uuid) this.tasks.delete(task.id);
    this.exitIfDone();
  }

  /** Removes every container before exiting (an exit at once would cut the engine calls off), for at most AGENT_LOST_CLEANUP_MS. */
  agentLost(reason: string): void {
    this.deps.log(`lost the agent (${reason}); removing the containers`);
    const removed = Promise.all([...this.tasks.values()].map((t) => t.forceKill()));
    const timeout = new Promise<void>((resolve) => this.deps.clock.setTimer(AGENT_LOST_CLEANUP_MS, resolve));
    void Promise.race([removed, timeout]).then(() => this.deps.exit(1));
  }

  protected shutdown(policy: KillPolicy): void {
    this.shuttingDown = true;
    for (const task of this.tasks.values()) task.kill(policy);
    this.exitIfDone();
  }

  /** After SHUTDOWN, once every task ended and its end was acknowledged. */
  private exitIfDone(): void {
    if (this.shuttingDown && [...this.tasks.values()].every((t) => t.terminal)) this.deps.exit(0);
  }

  protected launch(task: TaskInfo): void {
    const id = task.task_id.value;
    if (this.tasks.has(id)) {
      this.deps.log(`task '${id}' is already running here; ignoring the second LAUNCH`);
      return;
    }
    const sandbox = taskSandboxDir(this.docker.context.sandbox, id);
    mkdirSync(sandbox, { recursive: true });
    const client = this.docker.docker();
    this.images ??= new ImageCache(client);
    const docker = new DockerTask(task, {
      docker: client,
      images: this.images,
      driver: this.deps.driver,
      clock: this.deps.clock,
      context: { ...this.docker.context, sandbox },
      killingState: hasKillingState(this.framework),
      log: this.deps.log,
      onTerminal: () => this.exitIfDone(),
    });
    this.tasks.set(id, docker);
    void docker.start();
  }
}
