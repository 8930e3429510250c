export { EventBus, type EventSubscriber, type EventInput } from './events/event-bus';
export { serveEventStream } from './api/events-sse';
export { FileStateStore } from './storage/file-state-store';
export { MemoryStateStore } from './storage/memory-state-store';
export { MarathonRepository } from './storage/repository';
export type { StateStore } from './storage/state-store';
export { createMarathonApp, type MarathonAppDeps } from './api/app';
export * from './errors';
export { LaunchDelays, delayKey, type BackoffSpec } from './queue/launch-delay';
