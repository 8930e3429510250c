// DOCKER_HOST as the docker CLI reads it: unix:///path or tcp://host:port; default the local socket.
import Docker from 'dockerode';

export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

export function dockerFromHost(host: string | undefined): Docker | undefined {
  if (!host) return new Docker({ socketPath: DEFAULT_DOCKER_SOCKET });
  if (host.startsWith('unix://')) return new Docker({ socketPath: host.slice('unix://'.length) });
  const url = /^(?:tcp|http):\/\/([^:/]+):(\d+)/.exec(host);
  if (url) return new Docker({ host: url[1], port: Number(url[2]) });
  return undefined;
}
