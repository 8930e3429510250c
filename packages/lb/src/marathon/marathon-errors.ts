// What can go wrong talking to Marathon, as typed errors with their context. All of them mean the
// same to the follower (try the next Marathon, back off, keep serving the last view); the fields
// are for the log and the status page.

export abstract class MarathonApiError extends Error {
  abstract readonly code: string;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** One Marathon did not answer in time, refused the connection, or answered with an error status. */
export class MarathonRequestFailed extends MarathonApiError {
  readonly code = 'MARATHON_REQUEST_FAILED';
  constructor(readonly url: string, readonly reason: string, readonly status?: number) {
    super(`${url}: ${reason}`);
  }
}

/** A Marathon answered 200 with something that is not what the API promises. */
export class MarathonBadResponse extends MarathonApiError {
  readonly code = 'MARATHON_BAD_RESPONSE';
  constructor(readonly url: string, readonly reason: string) {
    super(`${url}: ${reason}`);
  }
}

/** Every configured Marathon failed; `failures` says how each did. */
export class NoMarathonAvailable extends MarathonApiError {
  readonly code = 'NO_MARATHON_AVAILABLE';
  constructor(readonly failures: readonly MarathonApiError[]) {
    super(failures.length > 0 ? `no Marathon answered (${failures.map((f) => f.message).join('; ')})` : 'no Marathon configured');
  }
}

/** Why an error happened, in one line. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // fetch hides the socket error (ECONNREFUSED…) in `cause`.
  const cause: unknown = err.cause;
  return cause instanceof Error && cause.message && !err.message.includes(cause.message) ? `${err.message}: ${cause.message}` : err.message;
}
