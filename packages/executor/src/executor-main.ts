// The shared entry point of Tepui's executors: read Mesos' executor environment, connect to the
// agent, and hand events to the executor logic.
import { SystemClock, type ExecutorEvent } from '@tepui/protocol';
import { ExecutorDriver, readExecutorEnvironment } from './executor-driver';
import { runHealthCheck } from './health/checks';
import { SandboxProcessRunner } from './command/process-runner';
import type { ExecutorDeps } from './command/command-executor';

export interface ExecutorLogic {
  handle(event: ExecutorEvent): void;
  agentLost(reason: string): void;
}

export function runExecutor(name: string, create: (deps: ExecutorDeps) => ExecutorLogic): void {
  const log = (message: string) => process.stderr.write(`${new Date().toISOString()} ${name}: ${message}\n`);
  const env = readExecutorEnvironment(process.env);
  const clock = new SystemClock();
  // Writes to a vanished agent socket must never kill the executor (and with it the tasks).
  process.on('SIGPIPE', () => undefined);
  process.on('uncaughtException', (err) => log(`unexpected error: ${err.stack ?? err.message}`));
  let logic: ExecutorLogic | undefined;
  const driver = new ExecutorDriver(env, { event: (e) => logic?.handle(e), lost: (r) => logic?.agentLost(r) }, clock);
  logic = create({
    driver,
    runner: new SandboxProcessRunner(env.sandbox),
    clock,
    runCheck: (target, ctx) => runHealthCheck(target, { ...ctx, env: process.env }),
    baseEnv: process.env,
    sandbox: env.sandbox,
    executorPid: process.pid,
    shutdownGracePeriodMs: env.shutdownGracePeriodMs,
    exit: (code) => {
      log(`exiting with ${code}`);
      driver.stop();
      process.exit(code);
    },
    log,
  });
  log(`starting executor ${env.executorId} of framework ${env.frameworkId}, agent at ${env.agentEndpoint}`);
  driver.start();
}
