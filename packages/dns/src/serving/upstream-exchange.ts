// One query to one upstream resolver and its reply, over UDP or TCP, within a deadline: the
// exchangers Mesos-DNS' forwarder runs (dial, write and read under `timeout`). Each exchange has
// its own socket: a fresh source port per query, and an ICMP "port unreachable" fails a UDP
// exchange at once instead of at the deadline.
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import type { Transport } from './encode-response';
import type { ResolverAddress } from '../config/resolver-address';
import { FrameReader, frameMessage } from './tcp-frames';

export interface Exchange {
  readonly query: Buffer;
  readonly resolver: ResolverAddress;
  readonly transport: Transport;
  readonly timeoutMs: number;
  /** Whether a datagram is the reply (others, late or spoofed, are skipped over). */
  readonly isReply: (message: Buffer) => boolean;
  /** Aborted when the server stops. */
  readonly signal: AbortSignal;
}

export class ExchangeFailed extends Error {
  constructor(readonly resolver: string, readonly reason: string) {
    super(`${resolver}: ${reason}`);
  }
}

/** The reply, or an ExchangeFailed rejection (timeout, refused, closed, aborted, no valid reply). */
export function exchangeWithUpstream(exchange: Exchange): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const label = exchange.resolver.label;
    let finished = false;
    let cleanUp = (): void => undefined;
    const finish = (reply: Buffer | undefined, reason = ''): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      exchange.signal.removeEventListener('abort', onAbort);
      cleanUp();
      if (reply) resolve(reply);
      else reject(new ExchangeFailed(label, reason));
    };
    const onAbort = (): void => finish(undefined, 'aborted');
    const timer = setTimeout(() => finish(undefined, `no reply within ${exchange.timeoutMs} ms`), exchange.timeoutMs);
    exchange.signal.addEventListener('abort', onAbort);
    if (exchange.signal.aborted) return finish(undefined, 'aborted');
    cleanUp = exchange.transport === 'udp' ? exchangeOverUdp(exchange, finish) : exchangeOverTcp(exchange, finish);
  });
}

type Finish = (reply: Buffer | undefined, reason?: string) => void;

function exchangeOverUdp({ query, resolver, isReply }: Exchange, finish: Finish): () => void {
  const socket = createSocket(resolver.family === 6 ? 'udp6' : 'udp4');
  socket.on('error', (err) => finish(undefined, err.message));
  socket.on('message', (message) => {
    if (isReply(message)) finish(message);
  });
  socket.connect(resolver.port, resolver.host, () => socket.send(query));
  return () => socket.close();
}

function exchangeOverTcp({ query, resolver, isReply }: Exchange, finish: Finish): () => void {
  const frames = new FrameReader();
  const socket = connect({ host: resolver.host, port: resolver.port, noDelay: true }, () => socket.write(frameMessage(query)));
  socket.on('error', (err) => finish(undefined, err.message));
  socket.on('close', () => finish(undefined, 'closed before replying'));
  socket.on('data', (chunk: Buffer) => {
    for (const message of frames.push(chunk)) {
      if (isReply(message)) return finish(message);
    }
  });
  return () => socket.destroy();
}
