// The logger the serving code writes to: a pino logger (main.ts passes a child with
// component 'dns-server'), or a silent one when none is given.
import pino, { type Logger } from 'pino';

export type ServingLog = Pick<Logger, 'debug' | 'warn' | 'error'>;

export const silentLog = (): ServingLog => pino({ level: 'silent' });
