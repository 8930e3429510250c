// The canonical app JSON GET returns (the Marathon 1.6–1.8 shape): every canonical key, empty
// collections written, no deprecated fields. parseAppUpdate accepts it back unchanged.
import type { AppDefinition } from '@tepui/protocol';

export function appDefinitionJson(app: AppDefinition): Record<string, unknown> {
  const json: Record<string, unknown> = { id: app.id };
  if (app.cmd !== undefined) json.cmd = app.cmd;
  if (app.args !== undefined) json.args = app.args;
  if (app.user !== undefined) json.user = app.user;
  Object.assign(json, {
    env: app.env ?? {},
    instances: app.instances,
    cpus: app.cpus,
    mem: app.mem,
    disk: app.disk,
    gpus: app.gpus,
    executor: app.executor,
    constraints: app.constraints,
    fetch: app.fetch,
    backoffSeconds: app.backoffSeconds,
    backoffFactor: app.backoffFactor,
    maxLaunchDelaySeconds: app.maxLaunchDelaySeconds,
  });
  if (app.container !== undefined) json.container = app.container;
  Object.assign(json, {
    healthChecks: app.healthChecks,
    readinessChecks: app.readinessChecks,
    dependencies: app.dependencies,
    upgradeStrategy: app.upgradeStrategy,
    labels: app.labels,
  });
  if (app.acceptedResourceRoles !== undefined) json.acceptedResourceRoles = app.acceptedResourceRoles;
  Object.assign(json, {
    networks: app.networks,
    portDefinitions: app.portDefinitions,
    requirePorts: app.requirePorts,
    secrets: app.secrets ?? {},
    unreachableStrategy: app.unreachableStrategy,
    killSelection: app.killSelection,
    role: app.role ?? '*',
  });
  if (app.taskKillGracePeriodSeconds !== undefined) json.taskKillGracePeriodSeconds = app.taskKillGracePeriodSeconds;
  if (app.version !== undefined) json.version = app.version;
  if (app.versionInfo !== undefined) json.versionInfo = app.versionInfo;
  return json;
}
