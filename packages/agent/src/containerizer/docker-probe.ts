// Whether this agent can run DOCKER tasks: the Docker Engine named by DOCKER_HOST (default
// /var/run/docker.sock) answers /_ping. Checked at start; the answer is in /state and in the
// TASK_FAILED a DOCKER task gets on an agent without an engine.
import { request } from 'node:http';

export interface DockerAvailability {
  readonly available: boolean;
  readonly host: string;
  /** Why not, when not. */
  readonly error?: string;
}

export function probeDocker(dockerHost: string | undefined, timeoutMs = 2000): Promise<DockerAvailability> {
  const host = dockerHost || 'unix:///var/run/docker.sock';
  const target = host.startsWith('unix://')
    ? { socketPath: host.slice('unix://'.length) }
    : (() => {
        const m = /^(?:tcp|http):\/\/([^:/]+):(\d+)/.exec(host);
        return m ? { host: m[1], port: Number(m[2]) } : undefined;
      })();
  if (!target) return Promise.resolve({ available: false, host, error: `DOCKER_HOST '${host}' is not unix:// or tcp://` });
  return new Promise((resolve) => {
    const req = request({ ...target, path: '/_ping', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? { available: true, host } : { available: false, host, error: `the Docker Engine at ${host} answered ${res.statusCode}` });
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err) => resolve({ available: false, host, error: `no Docker Engine at ${host}: ${err.message}` }));
    req.end();
  });
}
