// Every error the SDK raises, in one place (fastify's lib/errors.js is the model). Each has a
// stable `code` and readonly context, so callers branch on data rather than on message text.

export abstract class SdkError extends Error {
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The master answered a call with something other than the status the call promises. */
export class SchedulerCallError extends SdkError {
  readonly code = 'SCHEDULER_CALL_FAILED';

  constructor(
    readonly callType: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${callType} failed with HTTP ${status}${body ? `: ${body.trim()}` : ''}`);
  }
}

/** A call was made while the driver has no subscription (before SUBSCRIBED, while reconnecting, or after stop). */
export class NotSubscribedError extends SdkError {
  readonly code = 'NOT_SUBSCRIBED';

  constructor(readonly callType: string) {
    super(`${callType} needs a subscribed framework; the driver is not subscribed right now`);
  }
}

/** The master removed the framework (teardown or failover timeout); the driver has stopped for good. */
export class FrameworkRemovedError extends SdkError {
  readonly code = 'FRAMEWORK_REMOVED';

  constructor(
    readonly frameworkId: string | undefined,
    readonly masterMessage: string,
  ) {
    super(`Framework ${frameworkId ?? '(unsubscribed)'} was removed by the master: ${masterMessage}`);
  }
}

/** `stop()` was called before the first SUBSCRIBED arrived. */
export class DriverStoppedError extends SdkError {
  readonly code = 'DRIVER_STOPPED';

  constructor() {
    super('The scheduler driver was stopped');
  }
}

/** A record on the event stream was not a scheduler event the SDK understands. */
export class InvalidEventError extends SdkError {
  readonly code = 'INVALID_EVENT';

  constructor(readonly reason: string) {
    super(`Invalid scheduler event: ${reason}`);
  }
}

/** A master URL (from the options or a redirect's Location) that the driver cannot use. */
export class InvalidMasterUrlError extends SdkError {
  readonly code = 'INVALID_MASTER_URL';

  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`Invalid master URL '${url}': ${reason}`);
  }
}
