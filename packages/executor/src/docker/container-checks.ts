// Health checks of a Docker task, run where Mesos' docker executor runs them: inside the
// container. A COMMAND check is a `docker exec` in it. HTTP and TCP checks go to the task's port
// in the container's network: Mesos enters the container's network namespace and uses its
// loopback; Tepui reaches the same port at the container's address on the bridge (from the host,
// no tool needed in the image), and at the host's loopback for a container on the host network.
// The one difference: a server that listens on the container's 127.0.0.1 only is healthy in Mesos
// and unreachable here.
import type { CommandInfo, HealthCheck } from '@tepui/protocol';
import { healthCheckTarget, httpCheck, loopbackFor, tcpCheck } from '../health/checks';
import type { EngineContainer } from './engine';

export type CheckAttempt = (timeoutMs: number) => Promise<boolean>;

/** One attempt of `check` against `container` (whose bridge address is `ip`, if it has one). */
export function containerHealthCheck(check: HealthCheck, container: EngineContainer, ip: string | undefined): CheckAttempt | undefined {
  const target = healthCheckTarget(check);
  switch (target?.kind) {
    case 'COMMAND':
      return (timeoutMs) => execSucceeds(container, target.command, timeoutMs);
    case 'HTTP':
      return (timeoutMs) => httpCheck(target.http, ip ?? loopbackFor(target.http.protocol), timeoutMs);
    case 'TCP':
      return (timeoutMs) => tcpCheck(target.tcp, ip ?? loopbackFor(target.tcp.protocol), timeoutMs);
    default:
      return undefined;
  }
}

/** Runs the command in the container; true when it exits 0 within the timeout. */
async function execSucceeds(container: EngineContainer, command: CommandInfo, timeoutMs: number): Promise<boolean> {
  const cmd = command.shell === false ? [command.value ?? '', ...(command.arguments ?? []).slice(1)] : ['/bin/sh', '-c', command.value ?? ''];
  try {
    const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
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
    return false; // the exec could not run: the check failed
  }
}
