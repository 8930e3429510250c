// A Marathon for tests: serves `GET /v2/apps?embed=apps.tasks` from `apps` and `GET /v2/events`
// as Tepui's Marathon writes it (CRLF framing, a keep-alive line every `keepAliveMs`, the
// `event_type` filter, 405 without Accept: text/event-stream), with controls to misbehave: stall
// the streams, close them, answer 503, redirect to another Marathon, hang, or go down and come back.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { MarathonAppWithTasks, MarathonEvent } from '@tepui/protocol';

/** An event as a test writes it: any Marathon event, its timestamp optional. */
export type FakeEvent = MarathonEvent extends infer E ? (E extends MarathonEvent ? Omit<E, 'timestamp'> & { timestamp?: string } : never) : never;

interface OpenStream {
  readonly res: ServerResponse;
  readonly types: ReadonlySet<string>;
  keepAlive: NodeJS.Timeout | undefined;
}

export interface FakeMarathonOptions {
  readonly keepAliveMs?: number;
  /** Listen on this port (to come back where a previous fake was). */
  readonly port?: number;
}

export class FakeMarathon {
  apps: MarathonAppWithTasks[] = [];
  /** Answer every request with this status (503: no leader known). */
  failStatus: number | undefined;
  /** Answer every request with a 307 to the same path on this base URL. */
  redirectTo: string | undefined;
  /** Accept app-list requests and never answer them. */
  hangLists = false;
  /** Serve this text as the app list instead of `apps`. */
  listBody: string | undefined;
  /** Runs as an app-list request arrives, before the answer (to push events "during" a listing). */
  onList: (() => void) | undefined;
  listRequests = 0;
  streamRequests = 0;
  keepAlivesSent = 0;
  lastEventsUrl: string | undefined;
  private readonly streams = new Set<OpenStream>();
  private readonly hung = new Set<ServerResponse>();
  private stalled = false;
  private server: Server | undefined;
  private port = 0;
  private readonly keepAliveMs: number;

  private constructor(options: FakeMarathonOptions) {
    this.keepAliveMs = options.keepAliveMs ?? 10_000;
    this.port = options.port ?? 0;
  }

  static async start(options: FakeMarathonOptions = {}): Promise<FakeMarathon> {
    const fake = new FakeMarathon(options);
    await fake.up();
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Event streams currently open. */
  get openStreams(): number {
    return this.streams.size;
  }

  /** Sends an event (timestamp added) to every open stream whose filter takes it. */
  push(event: FakeEvent): void {
    const json = JSON.stringify({ timestamp: new Date().toISOString(), ...event });
    for (const s of this.streams) {
      if (this.stalled || (s.types.size > 0 && !s.types.has(event.eventType))) continue;
      s.res.write(`event: ${event.eventType}\r\ndata: ${json}\r\n\r\n`);
    }
  }

  /** Writes raw text to every open stream. */
  pushRaw(text: string): void {
    for (const s of this.streams) s.res.write(text);
  }

  /** Sends nothing more, keep-alives included, while keeping the sockets open. */
  stall(): void {
    this.stalled = true;
  }

  resume(): void {
    this.stalled = false;
  }

  /** Ends every open event stream. */
  closeStreams(): void {
    for (const s of [...this.streams]) s.res.end();
  }

  /** Stops listening and drops every connection. */
  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const s of this.streams) clearInterval(s.keepAlive);
    this.streams.clear();
    this.hung.clear();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  /** Listens (again) on its port. */
  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (address && typeof address === 'object') this.port = address.port;
    this.server = server;
  }

  close(): Promise<void> {
    return this.down();
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (this.redirectTo) {
      res.writeHead(307, { Location: `${this.redirectTo}${url.pathname}${url.search}` }).end();
      return;
    }
    if (this.failStatus !== undefined) {
      res.writeHead(this.failStatus, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: 'Could not determine the current leader' }));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/v2/apps' && url.searchParams.getAll('embed').includes('apps.tasks')) {
      this.listRequests += 1;
      this.onList?.();
      if (this.hangLists) {
        this.hung.add(res);
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(this.listBody ?? JSON.stringify({ apps: this.apps }));
      return;
    }
    if (req.method === 'GET' && url.pathname === '/v2/events') {
      if (!(req.headers.accept ?? '').includes('text/event-stream')) {
        res.writeHead(405, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: 'GET /v2/events needs Accept: text/event-stream' }));
        return;
      }
      this.openStream(req, res, url);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: `Unknown path ${url.pathname}` }));
  }

  private openStream(req: IncomingMessage, res: ServerResponse, url: URL): void {
    this.streamRequests += 1;
    this.lastEventsUrl = req.url;
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    res.flushHeaders();
    const stream: OpenStream = { res, types: new Set(url.searchParams.getAll('event_type')), keepAlive: undefined };
    stream.keepAlive = setInterval(() => {
      if (this.stalled) return;
      res.write('\r\n');
      this.keepAlivesSent += 1;
    }, this.keepAliveMs);
    this.streams.add(stream);
    res.on('close', () => {
      clearInterval(stream.keepAlive);
      this.streams.delete(stream);
    });
    this.push({ eventType: 'event_stream_attached', remoteAddress: req.socket.remoteAddress ?? '' });
  }
}
