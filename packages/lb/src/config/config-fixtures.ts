// Test data: Marathon apps and tasks as /v2/apps?embed=apps.tasks serves them, and LB settings.
import type { AppDefinition, MarathonTaskJson } from '@tepui/protocol';
import type { BackendLayout } from '../model/layout';
import type { Endpoint, LbSettings, Service } from '../model/service';

export function marathonApp(id: string, fields: Partial<AppDefinition> = {}): AppDefinition {
  return {
    id, instances: 1, cpus: 0.1, mem: 32, disk: 0, gpus: 0, executor: '', constraints: [], fetch: [],
    backoffSeconds: 1, backoffFactor: 1.15, maxLaunchDelaySeconds: 300, healthChecks: [], readinessChecks: [],
    dependencies: [], upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 }, labels: {},
    networks: [{ mode: 'host' }], portDefinitions: [{ port: 10000 }], requirePorts: false,
    killSelection: 'YOUNGEST_FIRST', unreachableStrategy: 'disabled',
    ...fields,
  };
}

export function marathonTask(id: string, host: string, ports: number[], fields: Partial<MarathonTaskJson> = {}): MarathonTaskJson {
  return {
    id, appId: '/app', host, slaveId: `agent-of-${host}`, state: 'TASK_RUNNING', ports, servicePorts: [],
    ipAddresses: [], healthCheckResults: [], localVolumes: [], role: '*',
    ...fields,
  };
}

export const aliveResult = { alive: true, consecutiveFailures: 0, firstSuccess: null, lastSuccess: null, lastFailure: null, lastFailureCause: null, instanceId: 'i' };

export function lbSettings(fields: Partial<LbSettings> = {}): LbSettings {
  return {
    groups: ['external'], strictMode: false, httpPort: 80, httpsPort: 443, appIdPort: 9091, statsPort: 9090,
    bindAddress: '*', sslCerts: [], adminSocket: '/var/run/haproxy/admin.sock', maxconn: 50000,
    hardStopAfterSeconds: 300, logTarget: '',
    ...fields,
  };
}

/** Agent host names as the tests' DNS knows them. */
export const resolveAgent = (host: string): string | undefined =>
  ({ 'agent-1': '10.0.2.6', 'agent-2': '10.0.2.7', 'agent-3': '10.0.2.8' } as Record<string, string>)[host];

/** A plain service for rendering tests; fields as services.ts would fill them. */
export function service(appId: string, servicePort: number, fields: Partial<Service> = {}): Service {
  return {
    appId, portIndex: 0, servicePort, backend: `${appId.slice(1).replace(/\//g, '_')}_${servicePort}`, mode: 'tcp',
    balance: 'roundrobin', bindAddress: '*', bindOptions: '', vhosts: [], backendWeight: 0, sticky: false,
    redirectToHttps: false, useHsts: false, endpoints: [],
    ...fields,
  };
}

export function endpoint(taskId: string, ip: string, port: number, draining = false): Endpoint {
  return { taskId, host: ip, ip, port, draining };
}

/** The service's endpoints in slots 1..n, followed by `free` free slots. */
export function layout(svc: Service, free = 0): BackendLayout {
  return { service: svc, slots: [...svc.endpoints, ...Array<undefined>(free).fill(undefined)] };
}
