export { startMaster, type MasterDeps, type RunningMaster } from './app';
export { loadMasterConfig, masterHelp, type MasterConfig } from './config';
export type { LeaderView } from './election/leader-view';
export { ZkMasterRegistry } from './registry/zk-registry';
export { FencedWriteRefused, type RegistryOperation, type RegistryState } from './registry/registry';
export { Registrar } from './registry/registrar';
