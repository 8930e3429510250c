// One request/answer exchange over a HAProxy CLI socket (master CLI or stats socket). HAProxy closes
// the connection itself once it has answered (after one line, or after `quit` in prompt mode), so
// the answer is everything read until the close. We never half-close first: the answer must not
// depend on how HAProxy treats an early FIN.
import { connect } from 'node:net';
import { RuntimeApiUnavailable } from './errors';

export interface ExchangeOptions {
  /** The whole exchange, connect to close. */
  readonly timeoutMs: number;
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
    socket.on('connect', () => socket.write(payload));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => finish());
    socket.on('close', () => finish());
    socket.on('error', (err: NodeJS.ErrnoException) => finish(new RuntimeApiUnavailable(socketPath, err.code ?? err.message)));
  });
}
