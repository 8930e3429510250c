// The `docker run` flags (DockerInfo.parameters keys) Tepui's Docker executor acts on. Mesos hands
// every key to `docker run`; Tepui builds the Engine's create request itself, so a key outside
// this list would be dropped. Marathon refuses an app that uses one (422), and the executor fails
// a task that still carries one (TASK_FAILED naming it), so no parameter is accepted and ignored.

export const SUPPORTED_DOCKER_PARAMETERS = [
  'env', 'label', 'volume', 'user', 'workdir', 'add-host', 'hostname', 'cap-add', 'cap-drop', 'entrypoint',
] as const;

export type DockerParameterKey = (typeof SUPPORTED_DOCKER_PARAMETERS)[number];

export function isSupportedDockerParameter(key: string): key is DockerParameterKey {
  return (SUPPORTED_DOCKER_PARAMETERS as readonly string[]).includes(key);
}
