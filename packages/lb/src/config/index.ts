// The pure core of the load balancer: Marathon apps → Services → haproxy.cfg text.
export { servicesForApp, type AppServices, type ResolveIp } from './services';
export { renderHaproxyConfig } from './render-haproxy';
export type { ConfigOwner, RenderedConfig } from './config-lines';
export { configShapeKey } from './config-shape';
export { freeSlotArguments, slotsGrowAtRuntime } from './render-backend';
export { appIdAclName, backendName, pathAclName, slotCookie, vhostAclName } from './names';
export { appLabelErrors, groupsForPort, parsePortLabels, type LabelResult, type PortLabels } from './labels';
export { excludePortConflicts, type PortClaims } from './port-conflicts';
