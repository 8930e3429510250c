// The Docker Engine's figures for an executor's running containers, found by the labels the
// Docker executor puts on them: their processes live under the engine's shim, not the executor.
import { CONTAINER_LABELS, dockerGet } from '../containerizer/docker-probe';
import { parseDockerStats } from './docker-stats';
import { addUsage, type Usage } from './resource-statistics';

export interface ContainerOwner {
  readonly agentId: string;
  readonly frameworkId: string;
  readonly executorId: string;
}

const isIdList = (value: unknown): value is Array<{ Id: string }> =>
  Array.isArray(value) && value.every((c: unknown) => typeof c === 'object' && c !== null && typeof (c as { Id?: unknown }).Id === 'string');

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/**
 * The summed usage of the executor's running containers. `one-shot` (engine API 1.41+) answers
 * at once instead of waiting a second to fill in the previous CPU reading, which Tepui does not use.
 */
export async function dockerContainersUsage(dockerHost: string, owner: ContainerOwner): Promise<Usage> {
  const labels = [
    `${CONTAINER_LABELS.agent}=${owner.agentId}`,
    `${CONTAINER_LABELS.framework}=${owner.frameworkId}`,
    `${CONTAINER_LABELS.executor}=${owner.executorId}`,
  ];
  const listed = await dockerGet(dockerHost, `/containers/json?filters=${encodeURIComponent(JSON.stringify({ label: labels }))}`);
  if (listed.status !== 200) throw new Error(`the Docker Engine answered ${listed.status} listing containers`);
  const containers = parseJson(listed.body);
  if (!isIdList(containers)) throw new Error('the Docker Engine listed containers in an unknown shape');
  const usages = await Promise.all(containers.map(async ({ Id }) => {
    const stats = await dockerGet(dockerHost, `/containers/${encodeURIComponent(Id)}/stats?stream=false&one-shot=true`);
    // A container that stopped since it was listed has nothing to add.
    return stats.status === 200 ? parseDockerStats(parseJson(stats.body)) : undefined;
  }));
  const none: Usage = { userSecs: 0, systemSecs: 0, rssBytes: 0, threads: 0 };
  return usages.reduce<Usage>((sum, usage) => (usage ? addUsage(sum, usage) : sum), none);
}
