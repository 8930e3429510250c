#!/usr/bin/env node
// tepui command executor: launched by the agent with Mesos' executor environment.
import { SystemClock } from '@tepui/protocol';
import { ExecutorDriver, readExecutorEnvironment } from '../executor-driver';
import { runHealthCheck } from '../health/checks';
import { CommandExecutor } from './command-executor';
import { SandboxProcessRunner } from './process-runner';

function log(message: string): void {
  process.stderr.write(`${new Date().toISOString()} command-executor: ${message}\n`);
}

function main(): void {
  const env = readExecutorEnvironment(process.env);
  const clock = new SystemClock();
  // Writes to a vanished agent socket must never kill the executor (and with it the task).
  process.on('SIGPIPE', () => undefined);
  process.on('uncaughtException', (err) => log(`unexpected error: ${err.stack ?? err.message}`));
  let executor: CommandExecutor | undefined;
  const driver = new ExecutorDriver(env, {
    event: (event) => executor?.handle(event),
    lost: (reason) => executor?.agentLost(reason),
  }, clock);
  executor = new CommandExecutor({
    driver,
    runner: new SandboxProcessRunner(env.sandbox),
    clock,
    runCheck: (task, timeoutMs) => runHealthCheck(task.health_check!, { cwd: env.sandbox, env: process.env, timeoutMs }),
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

main();
