// Clients that send whatever bytes a test wants (malformed ones included) over UDP or TCP and
// collect what comes back, waiting on conditions with deadlines, never for a fixed time.
import { until } from '@tepui/protocol';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { FrameReader, frameMessage } from '../tcp-frames';

export class RawUdpClient {
  readonly replies: Buffer[] = [];
  private readonly socket: UdpSocket = createSocket('udp4');

  constructor(private readonly port: number) {
    this.socket.on('message', (message) => this.replies.push(message));
  }

  send(bytes: Buffer): void {
    this.socket.send(bytes, this.port, '127.0.0.1');
  }

  /** The first reply whose id is `id`. */
  replyWithId(id: number, timeoutMs = 5_000): Promise<Buffer> {
    return until(() => this.replies.find((r) => r.length >= 2 && r.readUInt16BE(0) === id), `a UDP reply with id ${id}`, timeoutMs);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

export class RawTcpClient {
  readonly replies: Buffer[] = [];
  private readonly frames = new FrameReader();
  private closed = false;
  private readonly socket: Socket;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.replies.push(...this.frames.push(chunk)));
    socket.on('close', () => {
      this.closed = true;
    });
    socket.on('error', () => {
      // A reset is how some of the tests expect the server to answer garbage; 'close' follows.
    });
  }

  static open(port: number): Promise<RawTcpClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(new RawTcpClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Raw bytes, no framing added. */
  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** One framed message. */
  send(message: Buffer): void {
    this.socket.write(frameMessage(message));
  }

  replyWithId(id: number, timeoutMs = 5_000): Promise<Buffer> {
    return until(() => this.replies.find((r) => r.length >= 2 && r.readUInt16BE(0) === id), `a TCP reply with id ${id}`, timeoutMs);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Resolves when the server has closed the connection. */
  closedByServer(timeoutMs = 5_000): Promise<true> {
    return until(() => this.closed, 'the server to close the connection', timeoutMs);
  }

  end(): void {
    this.socket.end();
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.destroy();
    });
  }
}
