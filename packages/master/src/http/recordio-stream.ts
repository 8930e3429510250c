// A streaming response of RecordIO-framed JSON events (scheduler and operator SUBSCRIBE).
// Each event is one write, so it leaves as one HTTP chunk: several client libraries read one
// socket `data` event as one record (reference §9.15).
import type { ServerResponse } from 'node:http';
import { encodeRecord, type Cancel, type Clock } from '@tepui/protocol';

export class RecordIOStream {
  private closed = false;
  private heartbeat?: Cancel;
  private readonly closeListeners: Array<() => void> = [];

  constructor(
    private readonly res: ServerResponse,
    private readonly clock: Clock,
    private readonly heartbeatIntervalMs: number,
    private readonly heartbeatEvent: string,
  ) {
    res.socket?.setNoDelay(true);
    res.on('close', () => this.onClosed());
  }

  /** Writes the 200 header and starts heartbeats. */
  open(headers: Record<string, string>): void {
    this.res.writeHead(200, { 'Content-Type': 'application/json', ...headers });
    this.scheduleHeartbeat();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  send(event: unknown): void {
    this.sendRaw(JSON.stringify(event));
  }

  /** Sends an already-encoded JSON event (used to share one encoding among many subscribers). */
  sendRaw(json: string): void {
    if (this.closed) return;
    this.res.write(encodeRecord(json));
  }

  onClose(listener: () => void): void {
    if (this.closed) listener();
    else this.closeListeners.push(listener);
  }

  close(): void {
    if (this.closed) return;
    this.res.end();
    this.onClosed();
  }

  private scheduleHeartbeat(): void {
    this.heartbeat = this.clock.setTimer(this.heartbeatIntervalMs, () => {
      this.sendRaw(this.heartbeatEvent);
      if (!this.closed) this.scheduleHeartbeat();
    });
  }

  private onClosed(): void {
    if (this.closed && this.closeListeners.length === 0) return;
    this.closed = true;
    this.heartbeat?.();
    const listeners = this.closeListeners.splice(0);
    for (const l of listeners) l();
  }
}
