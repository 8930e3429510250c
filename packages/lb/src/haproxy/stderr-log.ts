// HAProxy's stderr, kept and forwarded. The last lines explain a failed start or reload (its
// [ALERT]s name file and line), and every line goes to the logger at the level HAProxy gave it.
import type { Logger } from 'pino';

const KEPT_LINES = 500;

export class StderrLog {
  private readonly lines: string[] = [];
  /** Lines ever added; a mark is this count, so `since` survives the buffer dropping old lines. */
  private total = 0;

  constructor(private readonly log?: Logger) {}

  add(line: string): void {
    if (line.trim() === '') return;
    this.lines.push(line);
    this.total += 1;
    if (this.lines.length > KEPT_LINES) this.lines.shift();
    this.forward(line);
  }

  mark(): number {
    return this.total;
  }

  /** Lines added after `mark` (those still kept). */
  since(mark: number): string[] {
    const count = Math.min(this.total - mark, this.lines.length);
    return count <= 0 ? [] : this.lines.slice(-count);
  }

  recent(): readonly string[] {
    return [...this.lines];
  }

  private forward(line: string): void {
    if (!this.log) return;
    if (line.startsWith('[ALERT]')) this.log.error({ haproxy: line }, 'haproxy alert');
    else if (line.startsWith('[WARNING]')) this.log.warn({ haproxy: line }, 'haproxy warning');
    else if (line.startsWith('[NOTICE]')) this.log.info({ haproxy: line }, 'haproxy notice');
    // Anything else is HAProxy's own traffic log when `log stderr` is configured: too many for info.
    else this.log.debug({ haproxy: line }, 'haproxy log');
  }
}
