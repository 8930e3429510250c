// The part of the Docker Engine API (dockerode) the Docker executor uses. Naming it lets tests
// put a fake engine behind the executor that holds each call until the test lets it go.
import type { ContainerCreateOptions, ExecCreateOptions } from 'dockerode';

export interface EngineContainerInfo {
  readonly State: { readonly Running: boolean; readonly OOMKilled: boolean };
  readonly NetworkSettings: { readonly Networks?: Readonly<Record<string, { readonly IPAddress: string }>> };
}

export interface EngineExec {
  start(options: { hijack: boolean; stdin: boolean }): Promise<NodeJS.ReadableStream>;
  inspect(): Promise<{ readonly Running: boolean; readonly ExitCode: number | null }>;
}

export interface EngineContainer {
  readonly id: string;
  readonly modem: { demuxStream(stream: NodeJS.ReadableStream, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): void };
  start(): Promise<unknown>;
  /** `docker stop -t`: the stop signal, then SIGKILL after `t` seconds. */
  stop(options: { t: number }): Promise<unknown>;
  kill(options: { signal: string }): Promise<unknown>;
  remove(options: { force: boolean }): Promise<unknown>;
  inspect(): Promise<EngineContainerInfo>;
  /** Resolves once the container is not running, with `{ StatusCode }`. */
  wait(): Promise<unknown>;
  logs(options: { follow: true; stdout: boolean; stderr: boolean; since: number }): Promise<NodeJS.ReadableStream>;
  exec(options: ExecCreateOptions): Promise<EngineExec>;
}

export interface DockerEngine {
  readonly modem: { followProgress(stream: NodeJS.ReadableStream, onFinished: (err: Error | null) => void): void };
  createContainer(options: ContainerCreateOptions): Promise<EngineContainer>;
  getContainer(id: string): EngineContainer;
  getImage(name: string): { inspect(): Promise<unknown> };
  pull(image: string): Promise<NodeJS.ReadableStream>;
}

/** The HTTP status of a failed engine call (dockerode sets `statusCode`), if it has one. */
export function engineStatus(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null || !('statusCode' in err)) return undefined;
  return typeof err.statusCode === 'number' ? err.statusCode : undefined;
}
