export { ExecutorDriver, readExecutorEnvironment, type ExecutorEnvironment, type ExecutorHandlers } from './executor-driver';
export { TASK_PGID_FILE } from './command/process-runner';
export { decideHealth, healthCheckOptions, type HealthCheckOptions } from './health/health-policy';
