// What the rest of the LB uses from the HAProxy shell: validation, the master-worker process, and the
// Runtime API (client, command builders, parsed answers).
export * from './errors';
export { checkConfig, DEFAULT_HAPROXY_BIN, CONFIG_CHECK_TIMEOUT_MS, type ConfigCheckOptions, type ConfigCheckResult } from './config-check';
export { parseConfigAlerts } from './alerts';
export {
  HaproxyProcess,
  DEFAULT_START_TIMEOUT_MS,
  DEFAULT_RELOAD_TIMEOUT_MS,
  DEFAULT_STOP_TIMEOUT_MS,
  type HaproxyProcessOptions,
  type HaproxyExit,
  type ReloadOutcome,
} from './haproxy-process';
export { parseProcessList, type ProcessList, type MasterProcessInfo, type WorkerProcessInfo } from './process-list';
export { RuntimeApi, DEFAULT_RUNTIME_API_TIMEOUT_MS, type RuntimeApiOptions, type CommandAnswer } from './runtime-api';
export * from './runtime-commands';
export * from './servers-state';
export * from './stat-csv';
