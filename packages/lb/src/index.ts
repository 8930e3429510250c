// marathon-lb for Tepui: Marathon's apps → HAProxy, changed without dropping a connection.
export * from './model/service';
export * from './model/layout';
export * from './config';
export { planSync, slotCount, DEFAULT_SLOT_POLICY, type RuntimeChange, type SlotPolicy, type SyncPlan } from './sync/sync-plan';
export { LbController, type AppSource, type HaproxyDriver, type LbControllerStatus } from './sync/lb-controller';
export { parseLbOptions, LbOptionsError, type LbOptions } from './lb-options';
export { startLbService, type LbService } from './lb-service';
export { RuntimeApi, HaproxyProcess, checkConfig, type StatRow } from './haproxy';
