// The agent's behaviour (Mesos' Slave): runs tasks through executors, relays their status
// updates reliably, kills and shuts down on the master's word. I/O goes through the injected
// link (master), containerizer (executors) and checkpoint store.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import {
  formatDuration, isTerminalState, newStatusUuid, taskSandboxDir, type AgentToMasterMessage, type Clock, type ExecutorInfo,
  type FrameworkInfo, type KillPolicy, type MasterToAgentMessage, type StatusUpdate, type TaskInfo, type TaskState,
  type TaskStatus, type TaskStatusReason,
} from '@tepui/protocol';
import { dirname } from 'node:path';
import type { CheckpointStore, RunPaths } from './checkpoint/checkpoint-store';
import type { Containerizer } from './containerizer/containerizer';
import { removeTaskContainers, type DockerAvailability } from './containerizer/docker-probe';
import { COMMAND_EXECUTOR_COMMAND, DOCKER_EXECUTOR_COMMAND, DOCKER_EXECUTOR_ID, ExecutorRun, FrameworkEntry, type ExecutorConnection, type TaskEntry } from './executors/executor-run';
import { StatusUpdateManager } from './status-updates/status-update-manager';
import { FetchFailure, type SandboxFetcher } from './fetcher/fetcher';
import { urisOf } from './fetcher/fetch-plan';

export interface AgentIdentity {
  agentId?: string;
  readonly ip: string;
  readonly port: number;
  readonly hostname: string;
}

export interface AgentCoreOptions {
  readonly executorRegistrationTimeoutMs: number;
  readonly executorShutdownGracePeriodMs: number;
  readonly recoveryTimeoutMs: number;
  readonly statusUpdateRetryIntervalMinMs: number;
}

export class AgentCore {
  readonly frameworks = new Map<string, FrameworkEntry>();
  readonly completedFrameworks: FrameworkEntry[] = [];
  readonly updates: StatusUpdateManager;
  private sendToMaster: (message: AgentToMasterMessage) => void = () => undefined;
  /** Set once the engine was probed; DOCKER tasks fail with its reason when it is not available. */
  docker: DockerAvailability = { available: false, host: '', error: 'the Docker Engine has not been probed yet' };
  /**
   * Removes the containers of tasks whose Docker executor is gone: Mesos' docker containerizer
   * destroys a task's container with its executor, so none runs on after its task was reported ended.
   */
  /** The garbage collector of the work_dir (set by the agent shell). */
  gc: DirectoryGc = { collect: () => undefined, keep: () => undefined };
  removeDockerContainers: (taskIds: ReadonlySet<string>) => Promise<unknown> = (taskIds) => removeTaskContainers(this.docker.host, this.agentId, taskIds);
  /** Brings CommandInfo.URIs into sandboxes before containers and tasks start (set by the agent shell). */
  fetcher: SandboxFetcher = { fetch: async (request) => { if (request.uris[0]) throw new FetchFailure(request.uris[0].value, 'this agent has no fetcher'); } };

  constructor(
    readonly identity: AgentIdentity,
    private readonly options: AgentCoreOptions,
    private readonly containerizer: Containerizer,
    private readonly checkpoint: CheckpointStore | undefined,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.updates = new StatusUpdateManager(options.statusUpdateRetryIntervalMinMs, clock, (update) =>
      this.sendToMaster({ type: 'STATUS_UPDATE', update }),
    );
  }

  attachMaster(send: (message: AgentToMasterMessage) => void): void {
    this.sendToMaster = send;
  }

  get agentId(): string {
    return this.identity.agentId ?? '';
  }

  // ---- messages from the master ----

  handleMasterMessage(msg: MasterToAgentMessage): void {
    switch (msg.type) {
      case 'RUN_TASK':
        this.runTasks(msg.framework_info, msg.task.executor ?? this.builtinExecutorInfo(msg.task, msg.framework_info.id.value), [msg.task], false);
        return;
      case 'RUN_TASK_GROUP':
        this.runTasks(msg.framework_info, msg.executor_info, msg.task_group.tasks, true);
        return;
      case 'KILL_TASK':
        this.killTask(msg.framework_id.value, msg.task_id.value, msg.kill_policy);
        return;
      case 'STATUS_UPDATE_ACK':
        this.updates.acknowledge(msg.framework_id.value, msg.task_id.value, msg.uuid, (closed) => this.onStreamAcknowledged(msg.framework_id.value, msg.task_id.value, closed));
        return;
      case 'SHUTDOWN_FRAMEWORK':
        this.shutdownFramework(msg.framework_id.value);
        return;
      case 'SHUTDOWN_EXECUTOR': {
        const run = this.frameworks.get(msg.framework_id.value)?.executors.get(msg.executor_id.value);
        if (run) this.shutdownExecutor(run);
        return;
      }
      case 'FRAMEWORK_TO_EXECUTOR': {
        const run = this.frameworks.get(msg.framework_id.value)?.executors.get(msg.executor_id.value);
        run?.connection?.send({ type: 'MESSAGE', message: { data: msg.data } });
        return;
      }
      case 'UPDATE_FRAMEWORK': {
        const fw = this.frameworks.get(msg.framework_info.id.value);
        if (fw) {
          fw.info = msg.framework_info;
          if (fw.checkpoint) this.checkpoint?.writeFramework(this.agentId, fw.info);
        }
        return;
      }
      case 'RECONCILE_TASKS':
        this.reconcileTasks(msg.framework_id.value, msg.tasks.map((t) => t.task_id.value));
        return;
      default:
        return;
    }
  }

  // ---- launching ----

  /** The executor the agent provides for a task that names none: Docker's for DOCKER tasks, else the command executor. */
  private builtinExecutorInfo(task: TaskInfo, frameworkId: string): ExecutorInfo {
    if (task.container?.type === 'DOCKER') {
      return {
        type: 'DEFAULT',
        executor_id: { value: DOCKER_EXECUTOR_ID },
        framework_id: { value: frameworkId },
        name: 'Tepui Docker Executor',
        source: DOCKER_EXECUTOR_ID,
        command: { value: DOCKER_EXECUTOR_COMMAND },
      };
    }
    return {
      type: 'DEFAULT',
      executor_id: { value: task.task_id.value },
      framework_id: { value: frameworkId },
      name: `Command Executor (Task: ${task.task_id.value}) (Command: ${task.command?.shell === false ? task.command.value ?? '' : `sh -c '${(task.command?.value ?? '').slice(0, 40)}'`})`,
      source: task.task_id.value,
      command: { value: COMMAND_EXECUTOR_COMMAND },
    };
  }

  private framework(info: FrameworkInfo & { id: { value: string } }): FrameworkEntry {
    let fw = this.frameworks.get(info.id.value);
    if (!fw) {
      fw = new FrameworkEntry(info);
      this.frameworks.set(fw.id, fw);
    } else {
      fw.info = info;
    }
    if (fw.checkpoint) this.checkpoint?.writeFramework(this.agentId, fw.info);
    return fw;
  }

  private runTasks(frameworkInfo: FrameworkInfo & { id: { value: string } }, executor: ExecutorInfo, tasks: TaskInfo[], group: boolean): void {
    const fw = this.framework(frameworkInfo);
    const isCommand = !group && !tasks[0]!.executor;
    let run = fw.executors.get(executor.executor_id.value);
    if (run?.state === 'terminating') {
      for (const task of tasks) {
        this.agentUpdate(fw, task.task_id.value, run.id, fw.partitionAware ? 'TASK_DROPPED' : 'TASK_LOST', 'REASON_EXECUTOR_TERMINATED', 'Executor is terminating');
      }
      return;
    }
    const dockerTask = isCommand && executor.executor_id.value === DOCKER_EXECUTOR_ID;
    if (dockerTask && !this.docker.available) {
      const why = `Docker is not available on this agent: ${this.docker.error ?? 'unknown reason'}`;
      for (const task of tasks) this.agentUpdate(fw, task.task_id.value, executor.executor_id.value, 'TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED', why);
      return;
    }
    if (run?.state === 'terminated') {
      // The shared Docker executor went away (its tasks were reported); a new one takes the new task.
      fw.executors.delete(run.id);
      fw.completedExecutors.push(run);
      run = undefined;
    }
    const builtin = dockerTask ? 'docker' : isCommand ? 'command' : group && executor.type === 'DEFAULT' ? 'default' : undefined;
    if (!run) run = this.launchExecutor(fw, executor, builtin, tasks[0]!);
    for (const task of tasks) {
      run.tasks.set(task.task_id.value, { info: task, state: 'TASK_STAGING', launched: false });
      if (fw.checkpoint && run.paths) this.checkpoint?.writeTask(run.paths, task);
    }
    if (group) run.queuedGroups.push(tasks);
    // Tepui's own executors that run several tasks each get every task's URIs in the task's sandbox
    // (Mesos fetches them for each nested or Docker container); a custom executor fetches its own.
    if (builtin === 'docker' || builtin === 'default') this.fetchTaskUris(fw, run, tasks);
    if (run.connection) this.flushQueued(run);
  }

  private launchExecutor(fw: FrameworkEntry, info: ExecutorInfo, builtin: 'command' | 'default' | 'docker' | undefined, firstTask: TaskInfo): ExecutorRun {
    const containerId = randomUUID();
    const paths = this.checkpoint?.writeExecutor(this.agentId, fw.id, info, containerId);
    const run = new ExecutorRun(fw.id, info, containerId, paths, builtin === 'command' || builtin === 'docker');
    fw.executors.set(run.id, run);
    this.reportSandbox(run);
    if (paths) {
      // A framework or executor coming back keeps the directories its earlier runs left.
      const dirs = runDirectories(paths);
      for (const dir of [...dirs.framework, ...dirs.executor]) this.gc.keep(dir);
    }
    // The command executor's container gets its task's URIs; any other executor its own.
    const uris = builtin === 'command' ? urisOf(firstTask.command) : builtin === 'docker' ? [] : urisOf(info.command);
    if (uris.length === 0 || !paths) {
      this.startContainer(fw, run, builtin);
      return run;
    }
    run.fetching = true;
    const user = (builtin === 'command' ? firstTask.command?.user : info.command?.user) ?? fw.info.user;
    this.fetcher.fetch({ uris, sandbox: paths.sandbox, ...(user ? { user } : {}) }).then(
      () => {
        run.fetching = false;
        if (run.state === 'launching') this.startContainer(fw, run, builtin);
      },
      (err: Error) => {
        run.fetching = false;
        this.containerLaunchFailed(fw, run, err);
      },
    );
    return run;
  }

  private startContainer(fw: FrameworkEntry, run: ExecutorRun, builtin: 'command' | 'default' | 'docker' | undefined): void {
    const { info, containerId, paths } = run;
    void this.containerizer.launch(
      { framework: fw.info, executor: info, containerId, sandbox: paths?.sandbox, builtin, env: this.executorEnv(fw, run) },
      (status) => this.executorExited(run, status),
    ).then((pid) => {
      if (pid === undefined) return;
      // Destroyed while it was being started: it is killed as soon as there is something to kill.
      if (run.state === 'terminated') return this.containerizer.destroy(pid, paths?.sandbox);
      run.pid = pid;
      if (paths) this.checkpoint?.writePid(paths, pid);
      this.log.info({ frameworkId: fw.id, executorId: run.id, containerId, pid }, 'executor launched');
    });
    run.registrationTimer = this.clock.setTimer(this.options.executorRegistrationTimeoutMs, () => {
      if (run.state !== 'launching') return;
      this.log.warn({ executorId: run.id, frameworkId: fw.id }, 'executor did not subscribe in time; destroying it');
      this.destroy(run, 'REASON_EXECUTOR_REGISTRATION_TIMEOUT');
    });
  }

  /** Mesos' answer to a container that could not be prepared: its tasks fail, the executor is gone. */
  private containerLaunchFailed(fw: FrameworkEntry, run: ExecutorRun, err: Error): void {
    if (run.state === 'terminated') return;
    const message = fetchFailedMessage(run, err);
    this.log.warn({ frameworkId: fw.id, executorId: run.id, containerId: run.containerId, err: err.message }, 'container launch failed');
    for (const entry of run.tasks.values()) {
      if (!isTerminalState(entry.state)) this.agentUpdate(fw, entry.info.task_id.value, run.id, 'TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED', message);
    }
    this.executorExited(run);
  }

  /**
   * Fetches each task's URIs into its own sandbox before the executor is sent the task. A failed
   * fetch fails the task, and the rest of its group, which is then never sent.
   */
  private fetchTaskUris(fw: FrameworkEntry, run: ExecutorRun, tasks: readonly TaskInfo[]): void {
    const fetching = tasks.filter((t) => urisOf(t.command).length > 0);
    if (fetching.length === 0 || !run.paths) return;
    const sandbox = run.paths.sandbox;
    for (const task of fetching) {
      const entry = run.tasks.get(task.task_id.value)!;
      entry.fetching = true;
      const user = task.command?.user ?? fw.info.user;
      this.fetcher.fetch({ uris: urisOf(task.command), sandbox: taskSandboxDir(sandbox, task.task_id.value), ...(user ? { user } : {}) }).then(
        () => {
          entry.fetching = false;
          if (run.connection && run.state === 'running') this.flushQueued(run);
        },
        (err: Error) => {
          entry.fetching = false;
          this.taskFetchFailed(fw, run, task.task_id.value, err);
        },
      );
    }
  }

  private taskFetchFailed(fw: FrameworkEntry, run: ExecutorRun, taskId: string, err: Error): void {
    this.log.warn({ frameworkId: fw.id, executorId: run.id, taskId, err: err.message }, 'task fetch failed');
    this.endQueued(fw, run, taskId, 'TASK_FAILED', 'REASON_CONTAINER_LAUNCH_FAILED', () => fetchFailedMessage(run, err));
  }

  executorEnv(fw: FrameworkEntry, run: ExecutorRun): Record<string, string> {
    const endpoint = `${this.identity.ip}:${this.identity.port}`;
    const env: Record<string, string> = {
      MESOS_FRAMEWORK_ID: fw.id,
      MESOS_EXECUTOR_ID: run.id,
      MESOS_AGENT_ENDPOINT: endpoint,
      MESOS_SLAVE_ID: this.agentId,
      MESOS_SLAVE_PID: `slave(1)@${endpoint}`,
      MESOS_DIRECTORY: run.paths?.sandbox ?? '',
      MESOS_SANDBOX: run.paths?.sandbox ?? '',
      MESOS_CHECKPOINT: fw.checkpoint ? '1' : '0',
      MESOS_HTTP_COMMAND_EXECUTOR: run.commandExecutor ? '1' : '0',
      MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD: formatDuration(shutdownGraceMs(run.info, this.options.executorShutdownGracePeriodMs)),
      LIBPROCESS_PORT: '0',
    };
    if (fw.checkpoint) {
      env.MESOS_RECOVERY_TIMEOUT = formatDuration(this.options.recoveryTimeoutMs);
      env.MESOS_SUBSCRIPTION_BACKOFF_MAX = '2secs';
    }
    return env;
  }

  // ---- executors ----

  findRun(frameworkId: string, executorId: string): ExecutorRun | undefined {
    return this.frameworks.get(frameworkId)?.executors.get(executorId);
  }

  /**
   * An executor (re-)subscribed, with the updates the agent has not acknowledged and the tasks it
   * was sent whose first update the agent has not acknowledged (Mesos' `unacknowledged_updates`
   * and `unacknowledged_tasks`; an executor subscribing for the first time has neither).
   */
  executorSubscribed(run: ExecutorRun, connection: ExecutorConnection, unackedUpdates: readonly TaskStatus[], unackedTasks: readonly TaskInfo[] = []): void {
    const fw = this.frameworks.get(run.frameworkId)!;
    run.connection?.close();
    run.connection = connection;
    if (run.state === 'launching') run.state = 'running';
    run.registrationTimer?.();
    connection.send({
      type: 'SUBSCRIBED',
      subscribed: {
        executor_info: run.info,
        framework_info: fw.info,
        agent_info: { hostname: this.identity.hostname, port: this.identity.port, id: { value: this.agentId } },
        container_id: { value: run.containerId },
      },
    });
    for (const status of unackedUpdates) this.executorUpdate(run, status);
    // A terminating executor is sent nothing to run, only its SHUTDOWN.
    if (run.state === 'terminating') {
      connection.send({ type: 'SHUTDOWN' });
      return;
    }
    this.dropUndelivered(fw, run, new Set(unackedTasks.map((t) => t.task_id.value)));
    this.flushQueued(run);
    this.resendKills(run);
  }

  /**
   * Mesos' Slave::subscribe: a task sent to the executor that is still staging once the executor's
   * own updates are in, and that the executor does not list, never reached it (the LAUNCH was lost
   * with the agent or the stream). It ends TASK_DROPPED, or TASK_LOST for a framework that is not
   * partition-aware, instead of staging forever. A task the executor lists is not sent again: one
   * the agent recovered with no update yet may have gone out before the restart.
   */
  private dropUndelivered(fw: FrameworkEntry, run: ExecutorRun, known: ReadonlySet<string>): void {
    for (const entry of run.tasks.values()) {
      const id = entry.info.task_id.value;
      if (known.has(id)) entry.launched = true;
      else if (entry.launched && entry.state === 'TASK_STAGING') {
        this.log.info({ frameworkId: fw.id, executorId: run.id, taskId: id }, 'staging task unknown to the re-subscribed executor; dropped');
        this.agentUpdate(fw, id, run.id, fw.partitionAware ? 'TASK_DROPPED' : 'TASK_LOST', 'REASON_AGENT_RESTARTED', 'Task launched during agent restart');
      }
    }
  }

  executorMessage(run: ExecutorRun, data: string): void {
    this.sendToMaster({ type: 'EXECUTOR_TO_FRAMEWORK', agent_id: { value: this.agentId }, framework_id: { value: run.frameworkId }, executor_id: { value: run.id }, data });
  }

  executorDisconnected(run: ExecutorRun, connection: ExecutorConnection): void {
    if (run.connection === connection) run.connection = undefined;
  }

  /** Sends the executor the tasks queued for it, except those killed before delivery. */
  private flushQueued(run: ExecutorRun): void {
    const connection = run.connection!;
    const grouped = new Set(run.queuedGroups.flat().map((t) => t.task_id.value));
    const stillFetching = (taskId: string) => run.tasks.get(taskId)?.fetching === true;
    for (const group of [...run.queuedGroups]) {
      if (group.some((t) => stillFetching(t.task_id.value))) continue;
      run.queuedGroups.splice(run.queuedGroups.indexOf(group), 1);
      for (const t of group) run.tasks.get(t.task_id.value)!.launched = true;
      run.everSentTask = true;
      connection.send({ type: 'LAUNCH_GROUP', launch_group: { task_group: { tasks: group } } });
    }
    for (const entry of run.tasks.values()) {
      if (entry.launched || entry.fetching || grouped.has(entry.info.task_id.value) || isTerminalState(entry.state)) continue;
      entry.launched = true;
      run.everSentTask = true;
      connection.send({ type: 'LAUNCH', launch: { task: entry.info } });
    }
  }

  /** KILLs the executor missed while it was not connected go out once it is back. */
  private resendKills(run: ExecutorRun): void {
    for (const entry of run.tasks.values()) {
      if (!entry.kill || !entry.launched || isTerminalState(entry.state)) continue;
      run.connection!.send({ type: 'KILL', kill: { task_id: entry.info.task_id, ...(entry.kill.policy ? { kill_policy: entry.kill.policy } : {}) } });
    }
  }

  /** An UPDATE from an executor; the executor is acknowledged once the update is checkpointed. */
  executorUpdate(run: ExecutorRun, status: TaskStatus): void {
    const fw = this.frameworks.get(run.frameworkId)!;
    const entry = run.tasks.get(status.task_id.value);
    const update: StatusUpdate = {
      framework_id: { value: fw.id },
      executor_id: { value: run.id },
      agent_id: { value: this.agentId },
      status: { ...status, agent_id: { value: this.agentId }, executor_id: { value: run.id } },
    };
    const accepted = this.updates.push(update, fw.checkpoint ? run.paths : undefined, this.checkpoint);
    if (accepted && entry) {
      entry.state = status.state;
      entry.latestStatus = update.status;
    }
    run.connection?.send({ type: 'ACKNOWLEDGED', acknowledged: { task_id: status.task_id, uuid: status.uuid! } });
  }

  /** An update the agent itself generates (launch failures, executor exits, kills of queued tasks). */
  agentUpdate(fw: FrameworkEntry, taskId: string, executorId: string | undefined, state: TaskState, reason: TaskStatusReason, message: string): void {
    const run = fw.runOf(taskId);
    const status: TaskStatus = {
      task_id: { value: taskId }, state, source: 'SOURCE_AGENT', reason, message, uuid: newStatusUuid(),
      agent_id: { value: this.agentId }, timestamp: this.clock.now() / 1000,
      ...(executorId ? { executor_id: { value: executorId } } : {}),
    };
    const update: StatusUpdate = { framework_id: { value: fw.id }, agent_id: { value: this.agentId }, status, ...(executorId ? { executor_id: { value: executorId } } : {}) };
    this.updates.push(update, fw.checkpoint ? run?.paths : undefined, this.checkpoint);
    const entry = run?.tasks.get(taskId);
    if (entry) {
      entry.state = state;
      entry.latestStatus = status;
    }
  }

  private onStreamAcknowledged(frameworkId: string, taskId: string, closed: boolean): void {
    if (!closed) return;
    const fw = this.frameworks.get(frameworkId);
    const run = fw?.runOf(taskId);
    if (!fw || !run) return;
    const entry = run.tasks.get(taskId)!;
    run.tasks.delete(taskId);
    run.completedTasks.push(entry);
    if (run.completedTasks.length > 200) run.completedTasks.shift();
    this.maybeRetire(fw, run);
  }

  /** A terminated executor whose tasks are all acknowledged leaves the books. */
  private maybeRetire(fw: FrameworkEntry, run: ExecutorRun): void {
    if (run.state !== 'terminated' || run.tasks.size > 0) return;
    fw.executors.delete(run.id);
    fw.completedExecutors.push(run);
    if (fw.completedExecutors.length > 100) fw.completedExecutors.shift();
    if (run.paths) this.checkpoint?.markCompleted(run.paths);
    const frameworkDone = fw.executors.size === 0 && !this.updates.hasFramework(fw.id);
    if (frameworkDone) {
      this.frameworks.delete(fw.id);
      this.completedFrameworks.push(fw);
      if (this.completedFrameworks.length > 50) this.completedFrameworks.shift();
    }
    this.collectDirectories(fw, run, frameworkDone);
  }

  /**
   * Mesos' Slave::removeExecutor and removeFramework: a finished run's sandbox and meta directory
   * are scheduled for removal; so are the executor's directories once no run of it is left, and
   * the framework's once the framework is gone. None is due before the run's own sandbox.
   */
  private collectDirectories(fw: FrameworkEntry, run: ExecutorRun, frameworkDone: boolean): void {
    if (!run.paths) return;
    const runs = (match: (r: ExecutorRun) => boolean) => () => {
      for (const r of [...fw.completedExecutors, run]) if (match(r)) r.sandboxCollected = true;
    };
    this.gc.collect(run.paths.sandbox, runs((r) => r === run));
    this.gc.collect(run.paths.meta);
    const dirs = runDirectories(run.paths);
    if (!fw.executors.has(run.id)) {
      for (const dir of dirs.executor) this.gc.collect(dir, runs((r) => r.id === run.id), run.paths.sandbox);
    }
    if (frameworkDone) for (const dir of dirs.framework) this.gc.collect(dir, runs(() => true), run.paths.sandbox);
  }

  executorExited(run: ExecutorRun, status?: number): void {
    if (run.state === 'terminated') return;
    const wasTerminating = run.state === 'terminating';
    run.state = 'terminated';
    run.registrationTimer?.();
    run.shutdownTimer?.();
    run.connection?.close();
    run.connection = undefined;
    this.containerizer.destroy(undefined, run.paths?.sandbox);
    if (run.id === DOCKER_EXECUTOR_ID && this.docker.available && run.tasks.size > 0) {
      const taskIds = new Set(run.tasks.keys());
      void this.removeDockerContainers(taskIds).catch((err: Error) => this.log.warn({ executorId: run.id, err: err.message }, 'removing the containers of an exited Docker executor failed'));
    }
    const fw = this.frameworks.get(run.frameworkId);
    if (!fw) return;
    for (const entry of run.tasks.values()) {
      if (isTerminalState(entry.state)) continue;
      const state: TaskState = wasTerminating ? 'TASK_KILLED' : run.commandExecutor ? 'TASK_FAILED' : fw.partitionAware ? 'TASK_GONE' : 'TASK_LOST';
      const message = wasTerminating ? 'Executor was shut down' : `Executor terminated${status !== undefined ? ` with status ${status}` : ''}`;
      this.agentUpdate(fw, entry.info.task_id.value, run.id, state, 'REASON_EXECUTOR_TERMINATED', message);
    }
    this.sendToMaster({
      type: 'EXITED_EXECUTOR', agent_id: { value: this.agentId }, framework_id: { value: fw.id }, executor_id: { value: run.id },
      ...(status !== undefined ? { status } : {}),
    });
    this.log.info({ frameworkId: fw.id, executorId: run.id, status }, 'executor exited');
    this.maybeRetire(fw, run);
  }

  private destroy(run: ExecutorRun, reason: TaskStatusReason): void {
    this.containerizer.destroy(run.pid, run.paths?.sandbox);
    const fw = this.frameworks.get(run.frameworkId);
    if (fw) {
      for (const entry of run.tasks.values()) {
        if (!isTerminalState(entry.state)) this.agentUpdate(fw, entry.info.task_id.value, run.id, run.commandExecutor ? 'TASK_FAILED' : 'TASK_LOST', reason, 'Executor was destroyed');
      }
    }
    this.executorExited(run);
  }

  // ---- killing ----

  /**
   * KILL_TASK, answered as Mesos' agent answers it (src/slave/slave.cpp, killTask, killPendingTask
   * and kill): a task with no executor here ends TASK_LOST, or TASK_DROPPED for a partition-aware
   * framework; one not yet delivered to its executor ends TASK_KILLED, with the rest of its group,
   * and is never launched; a launched one gets the KILL, every time it is asked (the executor
   * decides what a repeat means). A task that already ended, or whose executor is shutting down,
   * is left to its terminal update, which is retried until acknowledged.
   */
  private killTask(frameworkId: string, taskId: string, policy?: KillPolicy): void {
    const fw = this.frameworks.get(frameworkId);
    const run = fw?.runOf(taskId);
    const entry = run?.tasks.get(taskId);
    if (!fw || !run || !entry) {
      if (this.updates.hasStream(frameworkId, taskId)) return;
      this.log.warn({ frameworkId, taskId }, 'asked to kill a task with no executor here');
      // Mesos ignores a KILL for a framework it has no books for (its source notes it should send
      // TASK_LOST);
      // an answer ends the scheduler's wait, so Tepui answers as for any task it cannot find.
      const books = fw ?? new FrameworkEntry({ user: '', name: '', id: { value: frameworkId } });
      this.agentUpdate(books, taskId, undefined, books.partitionAware ? 'TASK_DROPPED' : 'TASK_LOST', 'REASON_EXECUTOR_TERMINATED', 'Cannot find executor');
      return;
    }
    if (isTerminalState(entry.state) || run.state === 'terminating' || run.state === 'terminated') return;
    if (!entry.launched) {
      this.killQueued(fw, run, taskId);
      return;
    }
    entry.kill = { policy: policy ?? entry.kill?.policy };
    if (run.connection) run.connection.send({ type: 'KILL', kill: { task_id: { value: taskId }, ...(policy ? { kill_policy: policy } : {}) } });
    else this.log.warn({ frameworkId, taskId, executorId: run.id }, 'executor not connected; the KILL goes out when it subscribes again');
  }

  /** A task (and the rest of its group) killed before delivery: TASK_KILLED, and out of the queue. */
  private killQueued(fw: FrameworkEntry, run: ExecutorRun, taskId: string): void {
    this.endQueued(fw, run, taskId, 'TASK_KILLED', 'REASON_TASK_KILLED_DURING_LAUNCH', (grouped) => (grouped
      ? 'A task within the task group was killed before delivery to the executor'
      : 'Killed before delivery to the executor'));
  }

  /**
   * Ends a task the executor was never sent, with the rest of its group (Mesos ends a task group
   * as one), takes them out of the queue, and shuts an executor down that is left with nothing.
   */
  private endQueued(fw: FrameworkEntry, run: ExecutorRun, taskId: string, state: TaskState, reason: TaskStatusReason, messageFor: (grouped: boolean) => string): void {
    const group = run.queuedGroups.find((g) => g.some((t) => t.task_id.value === taskId));
    if (group) run.queuedGroups.splice(run.queuedGroups.indexOf(group), 1);
    const message = messageFor(group !== undefined);
    for (const id of group ? group.map((t) => t.task_id.value) : [taskId]) {
      const entry = run.tasks.get(id);
      if (entry && !entry.launched && !isTerminalState(entry.state)) this.agentUpdate(fw, id, run.id, state, reason, message);
    }
    this.shutdownIfIdle(run);
  }

  /**
   * MESOS-8411: an executor that was never sent a task and has nothing left to run is shut down.
   * The shared Docker executor stays: the framework's next DOCKER task goes to it.
   */
  private shutdownIfIdle(run: ExecutorRun): void {
    const waiting = [...run.tasks.values()].some((t) => !t.launched && !isTerminalState(t.state));
    if (!run.everSentTask && !waiting && run.id !== DOCKER_EXECUTOR_ID) this.shutdownExecutor(run);
  }

  shutdownFramework(frameworkId: string): void {
    const fw = this.frameworks.get(frameworkId);
    if (!fw) return;
    for (const run of fw.executors.values()) this.shutdownExecutor(run);
  }

  private shutdownExecutor(run: ExecutorRun): void {
    if (run.state === 'terminated' || run.state === 'terminating') return;
    run.state = 'terminating';
    if (run.fetching) {
      // No process yet: nothing to wait for. The fetch finishes into a sandbox no one starts.
      this.executorExited(run);
      return;
    }
    run.connection?.send({ type: 'SHUTDOWN' });
    run.shutdownTimer = this.clock.setTimer(shutdownGraceMs(run.info, this.options.executorShutdownGracePeriodMs), () => {
      this.containerizer.destroy(run.pid, run.paths?.sandbox);
      this.executorExited(run);
    });
  }

  private reconcileTasks(frameworkId: string, taskIds: readonly string[]): void {
    const fw = this.frameworks.get(frameworkId);
    for (const taskId of taskIds) {
      if (fw?.runOf(taskId) || this.updates.hasStream(frameworkId, taskId)) continue;
      const entry = fw ?? new FrameworkEntry({ user: '', name: '', id: { value: frameworkId } });
      this.agentUpdate(entry, taskId, undefined, entry.partitionAware ? 'TASK_DROPPED' : 'TASK_LOST', 'REASON_TASK_UNKNOWN', 'Task is unknown to the agent');
    }
  }

  /**
   * Tells the master where a new executor keeps its sandbox (before its URIs are fetched), so the master's state can
   * show it (Mesos' master never learns it). Command and Docker executors are left out: the master
   * does not track them, as Mesos' does not. Re-registration reports the rest again.
   */
  private reportSandbox(run: ExecutorRun): void {
    if (run.commandExecutor || !run.paths) return;
    this.sendToMaster({
      type: 'EXECUTOR_LAUNCHED', agent_id: { value: this.agentId }, framework_id: { value: run.frameworkId }, executor_id: { value: run.id },
      container_id: { value: run.containerId }, directory: run.paths.sandbox,
    });
  }

  /** Every task to report on re-registration, with its latest state. */
  reportedTasks(): Array<{ fw: FrameworkEntry; run: ExecutorRun; entry: TaskEntry }> {
    const out = [];
    for (const fw of this.frameworks.values()) {
      for (const run of fw.executors.values()) for (const entry of run.tasks.values()) out.push({ fw, run, entry });
    }
    return out;
  }
}

/** Mesos' message for a container whose URIs could not be fetched, with the URI and the error. */
function fetchFailedMessage(run: ExecutorRun, err: Error): string {
  return `Failed to launch container: Failed to fetch all URIs for container '${run.containerId}': ${err.message}`;
}

/** Where the agent shell schedules directories for garbage collection. */
export interface DirectoryGc {
  /** Removes `path` gc_delay after it, or `ageOf` if later, was last modified; `removed` runs then. */
  collect(path: string, removed?: () => void, ageOf?: string): void;
  /** Takes `path` off the schedule. */
  keep(path: string): void;
}

/** The executor and framework directories (work and meta) around a run's (src/slave/paths.hpp). */
function runDirectories(paths: RunPaths): { executor: string[]; framework: string[] } {
  const executor = [dirname(dirname(paths.sandbox)), dirname(dirname(paths.meta))];
  return { executor, framework: executor.map((dir) => dirname(dirname(dir))) };
}

function shutdownGraceMs(info: ExecutorInfo, fallbackMs: number): number {
  const ns = info.shutdown_grace_period?.nanoseconds;
  return ns === undefined ? fallbackMs : ns / 1e6;
}
