#!/usr/bin/env node
// tepui default executor: runs task groups (LAUNCH_GROUP with a DEFAULT ExecutorInfo).
import { SystemClock } from '@tepui/protocol';
import { ExecutorDriver, readExecutorEnvironment } from '../executor-driver';
import { runHealthCheck } from '../health/checks';
import { SandboxProcessRunner } from '../command/process-runner';
import { DefaultExecutor } from './default-executor';

function log(message: string): void {
  process.stderr.write(`${new Date().toISOString()} default-executor: ${message}\n`);
}

function main(): void {
  const env = readExecutorEnvironment(process.env);
  const clock = new SystemClock();
  process.on('SIGPIPE', () => undefined);
  process.on('uncaughtException', (err) => log(`unexpected error: ${err.stack ?? err.message}`));
  let executor: DefaultExecutor | undefined;
  const driver = new ExecutorDriver(env, { event: (e) => executor?.handle(e), lost: (r) => executor?.agentLost(r) }, clock);
  executor = new DefaultExecutor({
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
