// One client's TCP connection (RFC 7766): several queries, pipelined, each answered as soon as it
// is ready (forwarded ones may overtake). Closed when idle, on a message too short to hold a
// header, and after the client's end once every pending reply is written. A client that stops
// reading its replies stops being read from, so it cannot pile up memory.
import type { Socket } from 'node:net';
import { HEADER_BYTES } from './dns-codes';
import type { Reply } from './query-handler';
import type { ServingLog } from './serving-log';
import { FrameReader, frameMessage } from './tcp-frames';

export interface TcpConnectionOptions {
  readonly answer: (message: Buffer) => Reply;
  /** Closes a connection this long without traffic (miekg/dns under Mesos-DNS: 8 s). */
  readonly idleTimeoutMs: number;
  readonly log: ServingLog;
}

/** Unsent reply bytes past which the connection stops reading queries until the client catches up. */
const WRITE_BACKLOG_BYTES = 256 * 1024;

export class TcpConnection {
  private readonly frames = new FrameReader();
  private pending = 0;
  private clientEnded = false;

  constructor(private readonly socket: Socket, private readonly options: TcpConnectionOptions) {
    socket.setTimeout(options.idleTimeoutMs, () => {
      // Not while a forwarded query is out: the client is waiting on us, not idle.
      if (this.pending === 0) socket.destroy();
    });
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('end', () => {
      this.clientEnded = true;
      this.endIfDone();
    });
    socket.on('drain', () => socket.resume());
    socket.on('error', (err) => options.log.debug({ err, remote: socket.remoteAddress }, 'DNS TCP connection failed'));
  }

  private receive(chunk: Buffer): void {
    for (const message of this.frames.push(chunk)) {
      if (this.socket.destroyed) return;
      if (message.length < HEADER_BYTES) {
        // Nothing to answer to, and whatever follows cannot be trusted to be framed.
        this.socket.destroy();
        return;
      }
      this.dispatch(this.options.answer(message));
    }
  }

  private dispatch(reply: Reply): void {
    if (reply === undefined) return;
    if (Buffer.isBuffer(reply)) {
      this.write(reply);
      return;
    }
    this.pending++;
    void reply.then((later) => {
      if (later) this.write(later);
    }, (err: unknown) => this.options.log.error({ err }, 'a forwarded DNS query failed past its SERVFAIL')).finally(() => {
      this.pending--;
      this.endIfDone();
    });
  }

  private write(reply: Buffer): void {
    if (!this.socket.writable) return;
    this.socket.write(frameMessage(reply));
    if (this.socket.writableLength > WRITE_BACKLOG_BYTES) this.socket.pause();
  }

  /** After the client's end: close once nothing more is coming from us. */
  private endIfDone(): void {
    if (this.clientEnded && this.pending === 0 && !this.socket.destroyed) this.socket.end();
  }
}
