// The one place Marathon API errors become responses.
import { STATUS_CODES } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { MarathonError } from '../errors';

/** What express and its body reader throw for a bad request (http-errors): a 4xx status and a type. */
interface HttpError {
  readonly status?: unknown;
  readonly type?: unknown;
  readonly length?: unknown;
  readonly limit?: unknown;
}

function clientErrorStatus(err: HttpError): number | undefined {
  const status = err.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

export function marathonErrorHandler(log: Logger) {
  return (err: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(err);
      return;
    }
    if (err instanceof MarathonError) {
      res.status(err.status).json(err.body());
      return;
    }
    const httpError = (typeof err === 'object' && err !== null ? err : {}) as HttpError;
    if (httpError.type === 'entity.too.large') {
      const bytes = (n: unknown): string => (typeof n === 'number' ? String(n) : 'unknown');
      res.status(422).json({ message: 'Object is not valid', details: [{ path: '/', errors: [`Request body of ${bytes(httpError.length)} bytes exceeds the limit of ${bytes(httpError.limit)} bytes`] }] });
      return;
    }
    // Unsupported Content-Encoding, an aborted upload, an undecodable path: Marathon (Jersey)
    // answers these WebApplicationExceptions with the status and its reason phrase.
    const status = clientErrorStatus(httpError);
    if (status !== undefined) {
      res.status(status).json({ message: STATUS_CODES[status] ?? 'Bad Request' });
      return;
    }
    log.error({ err }, 'request failed with an unexpected error');
    res.status(500).json({ message: 'An unexpected server error occurred.' });
  };
}
