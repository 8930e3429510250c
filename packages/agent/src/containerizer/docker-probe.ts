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

/** The labels Tepui's Docker executor puts on each container (packages/executor's container spec). */
export const CONTAINER_LABELS = {
  agent: 'tepui.agent_id',
  framework: 'tepui.framework_id',
  executor: 'tepui.executor_id',
  task: 'tepui.task_id',
} as const;

type Target = { socketPath: string } | { host: string; port: number };

function targetOf(host: string): Target | undefined {
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  const m = /^(?:tcp|http):\/\/([^:/]+):(\d+)/.exec(host);
  return m ? { host: m[1]!, port: Number(m[2]) } : undefined;
}

export function probeDocker(dockerHost: string | undefined, timeoutMs = 2000): Promise<DockerAvailability> {
  const host = dockerHost || 'unix:///var/run/docker.sock';
  const target = targetOf(host);
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

function call(target: Target, method: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ ...target, method, path, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

/**
 * After recovery: removes this agent's containers (by label) whose task the agent no longer
 * runs — left behind by an executor that died with the agent. Returns the task ids removed.
 */
export function removeOrphanContainers(dockerHost: string, agentId: string, liveTasks: ReadonlySet<string>): Promise<string[]> {
  return removeContainersOf(dockerHost, agentId, (task) => !liveTasks.has(task));
}

/** Removes this agent's containers (by label) of the given tasks: their executor is gone. */
export function removeTaskContainers(dockerHost: string, agentId: string, taskIds: ReadonlySet<string>): Promise<string[]> {
  return removeContainersOf(dockerHost, agentId, (task) => taskIds.has(task));
}

/** A GET to the engine at `dockerHost`; rejects when it cannot be reached. */
export function dockerGet(dockerHost: string, path: string): Promise<{ status: number; body: string }> {
  const target = targetOf(dockerHost);
  if (!target) return Promise.reject(new Error(`DOCKER_HOST '${dockerHost}' is not unix:// or tcp://`));
  return call(target, 'GET', path);
}

async function removeContainersOf(dockerHost: string, agentId: string, remove: (taskId: string) => boolean): Promise<string[]> {
  const target = targetOf(dockerHost);
  if (!target) return [];
  const filters = encodeURIComponent(JSON.stringify({ label: [`${CONTAINER_LABELS.agent}=${agentId}`] }));
  const listed = await call(target, 'GET', `/containers/json?all=1&filters=${filters}`);
  if (listed.status !== 200) return [];
  const containers = JSON.parse(listed.body) as Array<{ Id: string; Labels: Record<string, string> }>;
  const removed: string[] = [];
  for (const c of containers) {
    const task = c.Labels[CONTAINER_LABELS.task] ?? '';
    if (!remove(task)) continue;
    await call(target, 'DELETE', `/containers/${c.Id}?force=1`);
    removed.push(task);
  }
  return removed;
}
