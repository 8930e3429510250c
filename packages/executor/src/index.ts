export { ExecutorDriver, readExecutorEnvironment, type ExecutorEnvironment, type ExecutorHandlers } from './executor-driver';
export { decideHealth, healthCheckOptions, type HealthCheckOptions } from './health/health-policy';
