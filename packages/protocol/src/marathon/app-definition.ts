// Marathon v2 app definition (types/app.raml), camelCase as Marathon spells it. This is the
// normalised form Marathon returns from GET /v2/apps/{id}: defaults filled, deprecated fields
// translated (ports → portDefinitions, docker.network → networks, uris → fetch).

export type PathId = string;

export interface PortDefinition {
  port: number;
  protocol?: 'tcp' | 'udp' | 'udp,tcp' | 'tcp,udp';
  name?: string;
  labels?: Record<string, string>;
}

export interface ContainerPortMapping {
  containerPort: number;
  hostPort?: number;
  servicePort?: number;
  protocol?: 'tcp' | 'udp' | 'udp,tcp' | 'tcp,udp';
  name?: string;
  labels?: Record<string, string>;
  networkNames?: string[];
}

export interface DockerContainer {
  image: string;
  forcePullImage?: boolean;
  privileged?: boolean;
  parameters?: Array<{ key: string; value: string }>;
  /** Deprecated (1.4) spellings, accepted on input. */
  network?: 'HOST' | 'BRIDGE' | 'USER';
  portMappings?: ContainerPortMapping[];
}

export interface AppVolume {
  containerPath: string;
  hostPath?: string;
  mode?: 'RO' | 'RW';
  persistent?: { size: number; type?: string };
  external?: Record<string, unknown>;
}

export interface AppContainer {
  type?: 'DOCKER' | 'MESOS';
  docker?: DockerContainer;
  volumes?: AppVolume[];
  portMappings?: ContainerPortMapping[];
}

export interface Network {
  mode: 'host' | 'container/bridge' | 'container';
  name?: string;
  labels?: Record<string, string>;
}

export type HealthCheckProtocol = 'HTTP' | 'HTTPS' | 'TCP' | 'COMMAND' | 'MESOS_HTTP' | 'MESOS_HTTPS' | 'MESOS_TCP';

export interface AppHealthCheck {
  protocol?: HealthCheckProtocol;
  path?: string;
  portIndex?: number;
  port?: number;
  command?: { value: string };
  gracePeriodSeconds?: number;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  maxConsecutiveFailures?: number;
  ignoreHttp1xx?: boolean;
  delaySeconds?: number;
  ipProtocol?: 'IPv4' | 'IPv6';
}

export interface ReadinessCheck {
  name?: string;
  protocol?: 'HTTP' | 'HTTPS';
  path?: string;
  portName: string;
  intervalSeconds?: number;
  timeoutSeconds?: number;
  httpStatusCodesForReady?: number[];
  preserveLastResponse?: boolean;
}

export interface UpgradeStrategy {
  minimumHealthCapacity: number;
  maximumOverCapacity: number;
}

export type UnreachableStrategy = 'disabled' | { inactiveAfterSeconds: number; expungeAfterSeconds: number };

export interface FetchUri {
  uri: string;
  extract?: boolean;
  executable?: boolean;
  cache?: boolean;
  destPath?: string;
}

/** `[field, operator]` or `[field, operator, value]`; operators as in Marathon docs/constraints.md. */
export type Constraint = [string, string] | [string, string, string];

export interface AppDefinition {
  id: PathId;
  cmd?: string;
  args?: string[];
  user?: string;
  env?: Record<string, string | { secret: string }>;
  secrets?: Record<string, { source: string }>;
  instances: number;
  cpus: number;
  mem: number;
  disk: number;
  gpus: number;
  executor: string;
  constraints: Constraint[];
  fetch: FetchUri[];
  storeUrls?: string[];
  backoffSeconds: number;
  backoffFactor: number;
  maxLaunchDelaySeconds: number;
  container?: AppContainer;
  healthChecks: AppHealthCheck[];
  readinessChecks: ReadinessCheck[];
  dependencies: PathId[];
  upgradeStrategy: UpgradeStrategy;
  labels: Record<string, string>;
  acceptedResourceRoles?: string[];
  role?: string;
  networks: Network[];
  portDefinitions: PortDefinition[];
  requirePorts: boolean;
  killSelection: 'YOUNGEST_FIRST' | 'OLDEST_FIRST';
  unreachableStrategy: UnreachableStrategy;
  taskKillGracePeriodSeconds?: number;
  version?: string;
  versionInfo?: { lastScalingAt: string; lastConfigChangeAt: string };
}
