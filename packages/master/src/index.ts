export { startMaster, type MasterDeps, type RunningMaster } from './app';
export { loadMasterConfig, masterHelp, type MasterConfig } from './config';
export type { LeaderView } from './election/leader-view';
