// One request/answer exchange over a HAProxy CLI socket; the answer is everything read until the
// connection closes. The stats socket closes by itself after a non-interactive line or after `quit`
// in prompt mode. The master CLI (2.6) answers but keeps the connection open until the client
// closes its side, so for it the request is followed by a half-close (`halfClose`).
import { connect } from 'node:net';
import { RuntimeApiUnavailable } from './errors';

export interface ExchangeOptions {
  /** The whole exchange, connect to close. */
  readonly timeoutMs: number;
  /** End our side after the request: the master CLI closes only after seeing that. */
  readonly halfClose?: boolean;
}

export function exchangeOverUnixSocket(socketPath: string, payload: string, opts: ExchangeOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(socketPath);
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const timer = setTimeout(
      () => finish(new RuntimeApiUnavailable(socketPath, `no complete answer within ${opts.timeoutMs} ms`)),
      opts.timeoutMs,
    );
    socket.on('connect', () => (opts.halfClose ? socket.end(payload) : socket.write(payload)));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    socket.on('error', (err: NodeJS.ErrnoException) => finish(new RuntimeApiUnavailable(socketPath, err.code ?? err.message)));
  });
}
