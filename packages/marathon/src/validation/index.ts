// App and group bodies as Marathon processes them (app-body.ts, group-body.ts), the JSON GET
// returns (app-json.ts) and the checks a whole root group needs (dependency cycles, service ports).
export { parseAppDefinition, parseAppUpdate, type AppParseOptions } from './app-body';
export { appDefinitionJson } from './app-json';
export { findDependencyCycle } from './dependency-cycle';
export { parseGroupUpdate, type GroupUpdate } from './group-body';
export { assignServicePorts } from './service-ports';
