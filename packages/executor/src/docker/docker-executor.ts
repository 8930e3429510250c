// The Docker executor: runs one task whose ContainerInfo is DOCKER in a container on the Docker
// Engine named by DOCKER_HOST, then exits once its terminal update is acknowledged.
import type Docker from 'dockerode';
import type { ExecutorEvent, FrameworkInfo, TaskInfo } from '@tepui/protocol';
import { hasKillingState, TERMINAL_ACK_WAIT_MS, type ExecutorDeps } from '../command/command-executor';
import type { ContainerContext } from './container-spec';
import { DockerTask } from './docker-task';

export interface DockerExecutorDeps extends ExecutorDeps {
  readonly docker: Docker;
  readonly context: ContainerContext;
}

export class DockerExecutor {
  private framework?: FrameworkInfo;
  private task?: DockerTask;

  constructor(private readonly deps: DockerExecutorDeps) {}

  handle(event: ExecutorEvent): void {
    switch (event.type) {
      case 'SUBSCRIBED':
        this.framework = event.subscribed?.framework_info;
        return;
      case 'LAUNCH':
        if (event.launch) this.launch(event.launch.task);
        return;
      case 'KILL':
        if (event.kill && event.kill.task_id.value === this.task?.id) this.task.kill(event.kill.kill_policy);
        return;
      case 'SHUTDOWN':
        if (!this.task) this.deps.exit(0);
        else this.task.kill({ grace_period: { nanoseconds: this.deps.shutdownGracePeriodMs * 1e6 } });
        return;
      case 'ACKNOWLEDGED':
        if (this.task?.terminal && event.acknowledged?.uuid === this.task.terminal.uuid) this.deps.exit(0);
        return;
      case 'ERROR':
        this.deps.log(`agent sent ERROR: ${event.error?.message ?? ''}`);
        return;
      default:
        return;
    }
  }

  agentLost(reason: string): void {
    this.deps.log(`lost the agent (${reason}); removing the container`);
    this.task?.forceKill();
    this.deps.exit(1);
  }

  private launch(task: TaskInfo): void {
    if (this.task) {
      this.deps.log(`ignoring task '${task.task_id.value}': the Docker executor runs one task`);
      return;
    }
    this.task = new DockerTask(task, {
      docker: this.deps.docker,
      driver: this.deps.driver,
      clock: this.deps.clock,
      context: this.deps.context,
      killingState: hasKillingState(this.framework),
      log: this.deps.log,
      onTerminal: () => this.deps.clock.setTimer(TERMINAL_ACK_WAIT_MS, () => this.deps.exit(0)),
    });
    void this.task.start();
  }
}
