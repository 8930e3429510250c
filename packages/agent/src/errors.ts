// The agent's HTTP errors in one table; Mesos answers them with a plain-text body.
export abstract class AgentHttpError extends Error {
  abstract readonly code: string;
  abstract readonly status: number;
  readonly headers: Readonly<Record<string, string>> = {};
}

export class BadRequest extends AgentHttpError {
  readonly code = 'BAD_REQUEST';
  readonly status = 400;
}

export class Forbidden extends AgentHttpError {
  readonly code = 'FORBIDDEN';
  readonly status = 403;
}

export class NotFound extends AgentHttpError {
  readonly code = 'NOT_FOUND';
  readonly status = 404;
}

export class MethodNotAllowed extends AgentHttpError {
  readonly code = 'METHOD_NOT_ALLOWED';
  readonly status = 405;
  override readonly headers: Readonly<Record<string, string>>;
  constructor(allowed: readonly string[], method: string) {
    super(`Expecting one of { '${allowed.join("', '")}' }, but received '${method}'`);
    this.headers = { Allow: allowed.join(', ') };
  }
}

export class PayloadTooLarge extends AgentHttpError {
  readonly code = 'PAYLOAD_TOO_LARGE';
  readonly status = 413;
}

export class UnsupportedMediaType extends AgentHttpError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
  readonly status = 415;
}

export class ServiceUnavailable extends AgentHttpError {
  readonly code = 'SERVICE_UNAVAILABLE';
  readonly status = 503;
}

export class NotAcceptable extends AgentHttpError {
  readonly code = 'NOT_ACCEPTABLE';
  readonly status = 406;
}
