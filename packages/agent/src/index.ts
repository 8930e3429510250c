export { startAgent, registrationMessage, type AgentDeps, type RunningAgent } from './agent';
export { loadAgentConfig, agentHelp, type AgentConfig } from './config';
export { startSimulatedAgents, type SimulatedAgents, type SimulatedAgentsOptions } from './simulation/simulated-cluster';
export { FINISH_AFTER_LABEL } from './simulation/simulated-containerizer';
export { mountPointsAtOrBelow, parseMountInfo } from './fetcher/overlay-mounts';
export { overlayMountsSupported } from './fetcher/sandbox-layers';
