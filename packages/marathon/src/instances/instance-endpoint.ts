// Where Marathon itself reaches an instance's port (its HTTP/TCP health checks and readiness
// checks): the agent's address and the host port for host networking and for container ports
// mapped to the host; the task's own address and the container port for a container port without
// a host port (IP-per-task), as Marathon's HealthCheck.effectivePort/effectiveIpAddress do. Pure.
import type { AppDefinition } from '@tepui/protocol';
import type { Instance } from './instance';

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

type Addressed = Pick<Instance, 'host' | 'ports' | 'ipAddresses'>;

/** The endpoint of the app's port at `portIndex` (port definitions on the host network, port mappings otherwise). */
export function endpointOf(app: AppDefinition, instance: Addressed, portIndex: number): Endpoint | undefined {
  if (app.networks.every((n) => n.mode === 'host')) {
    const port = instance.ports[portIndex];
    return port === undefined ? undefined : { host: instance.host, port };
  }
  const mappings = app.container?.portMappings ?? [];
  const mapping = mappings[portIndex];
  if (!mapping) return undefined;
  if (mapping.hostPort !== undefined) {
    // instance.ports holds the host ports of the mappings that have one, in order.
    const port = instance.ports[mappings.slice(0, portIndex).filter((m) => m.hostPort !== undefined).length];
    return port === undefined ? undefined : { host: instance.host, port };
  }
  const address = instance.ipAddresses.find((a) => a.protocol === 'IPv4') ?? instance.ipAddresses[0];
  return address && mapping.containerPort > 0 ? { host: address.ipAddress, port: mapping.containerPort } : undefined;
}

/** The index of the port named `name`, or -1. */
export function portIndexOf(app: AppDefinition, name: string): number {
  const host = app.networks.every((n) => n.mode === 'host');
  return (host ? app.portDefinitions : app.container?.portMappings ?? []).findIndex((p) => p.name === name);
}
