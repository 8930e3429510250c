// Every error the master's HTTP APIs answer with, in one table. Mesos answers these with a
// plain-text body that states the problem; the status codes follow src/master/http.cpp.

export abstract class MasterError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  /** Extra response headers (e.g. Allow, Location). */
  readonly headers: Readonly<Record<string, string>> = {};
}

export class BadRequest extends MasterError {
  readonly code = 'BAD_REQUEST';
  readonly status = 400;
}

export class Forbidden extends MasterError {
  readonly code = 'FORBIDDEN';
  readonly status = 403;
}

export class NotFound extends MasterError {
  readonly code = 'NOT_FOUND';
  readonly status = 404;
}

export class MethodNotAllowed extends MasterError {
  readonly code = 'METHOD_NOT_ALLOWED';
  readonly status = 405;
  override readonly headers: Readonly<Record<string, string>>;
  constructor(readonly allowed: readonly string[], method: string) {
    super(`Expecting one of { '${allowed.join("', '")}' }, but received '${method}'`);
    this.headers = { Allow: allowed.join(', ') };
  }
}

export class NotAcceptable extends MasterError {
  readonly code = 'NOT_ACCEPTABLE';
  readonly status = 406;
}

export class PayloadTooLarge extends MasterError {
  readonly code = 'PAYLOAD_TOO_LARGE';
  readonly status = 413;
}

export class UnsupportedMediaType extends MasterError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
  readonly status = 415;
}

export class NotImplemented extends MasterError {
  readonly code = 'NOT_IMPLEMENTED';
  readonly status = 501;
}

export class ServiceUnavailable extends MasterError {
  readonly code = 'SERVICE_UNAVAILABLE';
  readonly status = 503;
}

export class TemporaryRedirect extends MasterError {
  readonly code = 'TEMPORARY_REDIRECT';
  readonly status = 307;
  override readonly headers: Readonly<Record<string, string>>;
  constructor(readonly location: string) {
    super('');
    this.headers = { Location: location };
  }
}

export const MASTER_ERROR_CLASSES = [
  BadRequest, Forbidden, NotFound, NotAcceptable, PayloadTooLarge, UnsupportedMediaType, NotImplemented,
  ServiceUnavailable,
] as const;
