// Builders for scheduling tests: a normalised app and an offer in Mesos v1 JSON shape.
import { seededRandom, type AppDefinition, type Attribute, type Offer, type Resource } from '@tepui/protocol';
import type { PlacedInstance } from './constraints';

export function app(overrides: Partial<AppDefinition> = {}): AppDefinition {
  return {
    id: '/shop/web', cmd: 'sleep 1000', instances: 1, cpus: 1, mem: 128, disk: 0, gpus: 0, executor: '',
    constraints: [], fetch: [], backoffSeconds: 1, backoffFactor: 1.15, maxLaunchDelaySeconds: 300,
    healthChecks: [], readinessChecks: [], dependencies: [],
    upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 }, labels: {},
    networks: [{ mode: 'host' }], portDefinitions: [{ port: 0, protocol: 'tcp', name: 'default' }],
    requirePorts: false, killSelection: 'YOUNGEST_FIRST', unreachableStrategy: { inactiveAfterSeconds: 0, expungeAfterSeconds: 0 },
    version: '2024-05-01T10:00:00.000Z',
    ...overrides,
  };
}

export const scalar = (name: string, value: number, role = '*'): Resource => ({ name, type: 'SCALAR', scalar: { value }, role });
export const ports = (ranges: Array<[number, number]>, role = '*'): Resource => ({
  name: 'ports', type: 'RANGES', ranges: { range: ranges.map(([begin, end]) => ({ begin, end })) }, role,
});
export const text = (name: string, value: string): Attribute => ({ name, type: 'TEXT', text: { value } });

export interface OfferSpec {
  agent?: string;
  hostname?: string;
  resources?: Resource[];
  attributes?: Attribute[];
  region?: string;
  zone?: string;
}

export function offer(spec: OfferSpec = {}): Offer {
  const agent = spec.agent ?? 'S1';
  return {
    id: { value: `O-${agent}` }, framework_id: { value: 'F' }, agent_id: { value: agent },
    hostname: spec.hostname ?? `${agent.toLowerCase()}.example`,
    resources: spec.resources ?? [scalar('cpus', 4), scalar('mem', 4096), scalar('disk', 10000), ports([[31000, 31099]])],
    attributes: spec.attributes ?? [],
    ...(spec.region !== undefined ? { domain: { fault_domain: { region: { name: spec.region }, zone: { name: spec.zone ?? 'z' } } } } : {}),
  };
}

export function placed(hostname: string, attributes: Attribute[] = [], extra: Partial<PlacedInstance> = {}): PlacedInstance {
  return { agentId: `agent-${hostname}`, hostname, attributes, ...extra };
}

/** A deterministic random source so tests stay reproducible. */
export const seeded = seededRandom;
