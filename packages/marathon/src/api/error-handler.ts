// The one place Marathon API errors become responses.
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { InvalidJson, MarathonError } from '../errors';

export function marathonErrorHandler(log: Logger) {
  return (err: unknown, _req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(err);
      return;
    }
    // express.json() reports unparsable bodies as SyntaxError with type 'entity.parse.failed'.
    const parseError = err instanceof SyntaxError && (err as SyntaxError & { type?: string }).type === 'entity.parse.failed';
    const error = parseError ? new InvalidJson(err.message) : err;
    if (error instanceof MarathonError) {
      res.status(error.status).json(error.body());
      return;
    }
    const tooLarge = (err as { type?: string; length?: number; limit?: number }).type === 'entity.too.large';
    if (tooLarge) {
      const { length, limit } = err as { length?: number; limit?: number };
      res.status(422).json({ message: 'Object is not valid', details: [{ path: '/', errors: [`Request body of ${length ?? 'unknown'} bytes exceeds the limit of ${limit ?? 'unknown'} bytes`] }] });
      return;
    }
    log.error({ err }, 'request failed with an unexpected error');
    res.status(500).json({ message: 'An unexpected server error occurred.' });
  };
}
