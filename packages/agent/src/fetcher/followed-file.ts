// A file read while it is still being written, like `tail -f` that knows when the writer is done:
// the fetcher unpacks an archive from the file its download is writing, so unpacking overlaps the
// download without ever slowing it (a reader that falls behind reads from the page cache later,
// instead of holding back the socket).
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';

const CHUNK_BYTES = 1024 * 1024;

export class FollowedFile extends Readable {
  private position = 0;
  private complete = false;
  private wake: (() => void) | undefined;
  /** Set by the writer's news; a read that found nothing only waits if nothing came meanwhile. */
  private changed = false;

  private constructor(private readonly handle: FileHandle) {
    super({ highWaterMark: CHUNK_BYTES });
  }

  /** Opens `path` (which must exist) for following. */
  static async open(path: string): Promise<FollowedFile> {
    return new FollowedFile(await open(path, 'r'));
  }

  /** The writer wrote more. */
  grew(): void {
    this.changed = true;
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** The writer is done: everything it wrote is in the file, and the stream ends after it. */
  finish(): void {
    this.complete = true;
    this.grew();
  }

  override _read(): void {
    void this.readMore().catch((err: Error) => this.destroy(err));
  }

  private async readMore(): Promise<void> {
    for (;;) {
      // Read before looking at `complete`: bytes written before finish() are never missed.
      const wasComplete = this.complete;
      this.changed = false;
      const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
      const { bytesRead } = await this.handle.read(buffer, 0, buffer.length, this.position);
      if (this.destroyed) return;
      if (bytesRead > 0) {
        this.position += bytesRead;
        this.push(buffer.subarray(0, bytesRead));
        return;
      }
      if (wasComplete) {
        this.push(null);
        return;
      }
      if (this.changed) continue;
      await new Promise<void>((resolve) => (this.wake = resolve));
      if (this.destroyed) return;
    }
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    this.grew();
    this.handle.close().then(() => callback(err), () => callback(err));
  }
}
