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

/** Where the container's network is reached from the host. */
export type ContainerNetwork = { readonly kind: 'host' } | { readonly kind: 'own'; readonly ip: string | undefined };

/**
 * One attempt of `check` against `container`, or undefined when it cannot be run: nothing to run,
 * or an HTTP/TCP check of a container with its own network but no address (network NONE).
 */
export function containerHealthCheck(check: HealthCheck, container: EngineContainer, network: ContainerNetwork): CheckAttempt | undefined {
  const target = healthCheckTarget(check);
  if (!target) return undefined;
  if (target.kind === 'COMMAND') return (timeoutMs) => execSucceeds(container, target.command, timeoutMs);
  const protocol = target.kind === 'HTTP' ? target.http.protocol : target.tcp.protocol;
  const host = network.kind === 'host' ? loopbackFor(protocol) : network.ip;
  if (host === undefined) return undefined;
  return target.kind === 'HTTP'
    ? (timeoutMs) => httpCheck(target.http, host, timeoutMs)
    : (timeoutMs) => tcpCheck(target.tcp, host, timeoutMs);
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
