// Marathon as the load balancer sees it, through Marathon's public HTTP API only: a view of the
// apps and their tasks, kept in step by a follower (event stream + listings), for the config and
// sync code to read.
export { MarathonView, GONE_TASK_STATES, RELIST_EVENT_TYPES, isTaskOfInstance, type ViewChange } from './marathon-view';
export {
  MarathonFollower, DEFAULT_RESYNC_SECONDS,
  type MarathonFollowerOptions, type MarathonFollowerStatus, type MarathonViewSink, type ViewSinkChange,
} from './marathon-follower';
export {
  MarathonClient, parseAppList, DEFAULT_REQUEST_TIMEOUT_MS, DEFAULT_RESPONSE_TIMEOUT_MS,
  type MarathonClientOptions, type RequestOptions,
} from './marathon-client';
export {
  openEventStream, eventsPath, DEFAULT_STALL_TIMEOUT_MS,
  type EventStreamOptions, type MarathonEventStream, type StreamEnd, type StreamEndKind,
} from './event-stream';
export { decodeMarathonEvent, LB_EVENT_TYPES, type DecodedEvent } from './event-decoder';
export { MarathonApiError, MarathonBadResponse, MarathonRequestFailed, NoMarathonAvailable, describeError } from './marathon-errors';
