// The structure of an app definition as Marathon's RAML types accept it (types/app.raml and
// friends): JSON types, bounds, patterns, enums. Meaning (combinations, references, regexes) is
// checked after normalisation, in app-rules.ts. Unknown keys are ignored, as Marathon does.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { ValidationFailed } from '../errors';

const string = { type: 'string' } as const;
const bool = { type: 'boolean' } as const;
const port = { type: 'integer', minimum: 0, maximum: 65535 } as const;
/** Marathon reads integer fields as Java ints (RAML `format: int32`). */
export const MAX_INT32 = 2147483647;
const int = (minimum: number) => ({ type: 'integer', minimum, maximum: MAX_INT32 }) as const;
const seconds = int(0);
const stringMap = { type: 'object', additionalProperties: string } as const;
const protocol = { enum: ['tcp', 'udp', 'udp,tcp', 'tcp,udp'] } as const;

const portMapping = {
  type: 'object',
  properties: { containerPort: port, hostPort: port, servicePort: port, protocol, name: string, labels: stringMap, networkNames: { type: 'array', items: string } },
} as const;

const healthCheck = {
  type: 'object',
  properties: {
    protocol: { enum: ['HTTP', 'HTTPS', 'TCP', 'COMMAND', 'MESOS_HTTP', 'MESOS_HTTPS', 'MESOS_TCP'] },
    path: string, portIndex: int(0), port,
    command: { type: 'object', properties: { value: { type: 'string', minLength: 1 } }, required: ['value'] },
    gracePeriodSeconds: seconds, intervalSeconds: int(1), timeoutSeconds: int(1),
    maxConsecutiveFailures: seconds, ignoreHttp1xx: bool, delaySeconds: seconds, ipProtocol: { enum: ['IPv4', 'IPv6'] },
  },
} as const;

export const APP_SCHEMA = {
  type: 'object',
  properties: {
    id: string,
    cmd: { type: 'string', minLength: 1 },
    args: { type: 'array', items: string },
    user: string,
    env: { type: 'object', additionalProperties: { type: ['string', 'object'], properties: { secret: string } } },
    secrets: { type: 'object', additionalProperties: { type: 'object', properties: { source: string }, required: ['source'] } },
    instances: int(0),
    cpus: { type: 'number', minimum: 0.001 },
    mem: { type: 'number', minimum: 0 },
    disk: { type: 'number', minimum: 0 },
    gpus: int(0),
    executor: string,
    constraints: { type: 'array', items: { type: 'array', items: string } },
    fetch: {
      type: 'array',
      items: { type: 'object', properties: { uri: { type: 'string', minLength: 1, maxLength: 1024 }, extract: bool, executable: bool, cache: bool, destPath: string }, required: ['uri'] },
    },
    uris: { type: 'array', items: string },
    ports: { type: 'array', items: port },
    portDefinitions: { type: 'array', items: { type: 'object', properties: { port, protocol, name: string, labels: stringMap } } },
    requirePorts: bool,
    backoffSeconds: seconds,
    backoffFactor: { type: 'number', minimum: 1 },
    maxLaunchDelaySeconds: seconds,
    container: {
      type: 'object',
      properties: {
        type: { enum: ['DOCKER', 'MESOS'] },
        docker: {
          type: 'object',
          properties: {
            image: string, forcePullImage: bool, privileged: bool, network: { enum: ['HOST', 'BRIDGE', 'USER'] },
            parameters: { type: 'array', items: { type: 'object', properties: { key: string, value: string }, required: ['key', 'value'] } },
            portMappings: { type: 'array', items: portMapping },
          },
        },
        volumes: { type: 'array', items: { type: 'object', properties: { containerPath: string, hostPath: string, mode: { enum: ['RO', 'RW'] } }, required: ['containerPath'] } },
        portMappings: { type: 'array', items: portMapping },
      },
    },
    healthChecks: { type: 'array', items: healthCheck },
    readinessChecks: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: string, protocol: { enum: ['HTTP', 'HTTPS'] }, path: string, portName: string, intervalSeconds: int(1),
          timeoutSeconds: int(1), httpStatusCodesForReady: { type: 'array', items: { type: 'integer', minimum: 100, maximum: 999 } },
          preserveLastResponse: bool,
        },
        required: ['portName'],
      },
    },
    dependencies: { type: 'array', items: string },
    upgradeStrategy: {
      type: 'object',
      properties: { minimumHealthCapacity: { type: 'number', minimum: 0, maximum: 1 }, maximumOverCapacity: { type: 'number', minimum: 0, maximum: 1 } },
    },
    labels: stringMap,
    acceptedResourceRoles: { type: 'array', items: string, minItems: 1 },
    role: string,
    networks: { type: 'array', items: { type: 'object', properties: { mode: { enum: ['host', 'container/bridge', 'container'] }, name: string, labels: stringMap } } },
    ipAddress: { type: ['object', 'null'], properties: { networkName: string, labels: stringMap } },
    killSelection: { enum: ['YOUNGEST_FIRST', 'OLDEST_FIRST'] },
    unreachableStrategy: {
      anyOf: [{ const: 'disabled' }, { type: 'object', properties: { inactiveAfterSeconds: seconds, expungeAfterSeconds: seconds } }],
    },
    taskKillGracePeriodSeconds: seconds,
    version: string,
  },
} as const;

const ajv = new Ajv({ allErrors: true, strict: false });
const validateApp: ValidateFunction = ajv.compile(APP_SCHEMA);

/** `/healthChecks/0/protocol` → `/healthChecks(0)/protocol`, Marathon's path notation. */
export function marathonPath(pointer: string): string {
  const out = pointer.split('/').slice(1).reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}(${seg})` : `${acc}/${seg}`), '');
  return out === '' ? '/' : out;
}

function playCode(e: ErrorObject): { path: string; code: string } {
  const path = marathonPath(e.instancePath);
  switch (e.keyword) {
    case 'type': {
      const t = String((e.params as { type: string | string[] }).type).split(',')[0];
      return { path, code: `error.expected.js${t === 'integer' ? 'number' : t}` };
    }
    case 'required':
      return { path: marathonPath(`${e.instancePath}/${(e.params as { missingProperty: string }).missingProperty}`), code: 'error.path.missing' };
    case 'minimum':
    case 'exclusiveMinimum':
      return { path, code: 'error.min' };
    case 'maximum':
      return { path, code: 'error.max' };
    case 'minLength':
    case 'minItems':
      return { path, code: 'error.minLength' };
    case 'maxLength':
      return { path, code: 'error.maxLength' };
    case 'pattern':
      return { path, code: 'error.pattern' };
    case 'enum':
    case 'const':
      return { path, code: 'error.unknown.enum.literal' };
    default:
      return { path, code: `error.${e.keyword}` };
  }
}

/** Throws Marathon's 422 "Invalid JSON" naming every structurally bad field. */
export function assertAppStructure(body: unknown, prefix = ''): void {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationFailed('Invalid JSON', [{ path: prefix || '/', errors: ['error.expected.jsobject'] }]);
  }
  if (validateApp(body)) return;
  const details = new Map<string, Set<string>>();
  for (const e of validateApp.errors ?? []) {
    if (e.keyword === 'anyOf') continue; // its branches report the specifics
    const { path, code } = playCode(e);
    const full = prefix + (path === '/' && prefix ? '' : path);
    details.set(full, (details.get(full) ?? new Set()).add(code));
  }
  throw new ValidationFailed('Invalid JSON', [...details].map(([path, errors]) => ({ path, errors: [...errors] })));
}
