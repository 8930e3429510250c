// Images an executor has made sure of: concurrent launches of one image share a single inspect
// (and pull, when the image is missing or a pull is forced), instead of one each.
import type { DockerEngine } from './engine';

export class ImageCache {
  private readonly present = new Map<string, Promise<void>>();

  constructor(private readonly docker: DockerEngine) {}

  ensure(image: string, forcePull: boolean): Promise<void> {
    const known = forcePull ? undefined : this.present.get(image);
    if (known) return known;
    const ready = (forcePull ? this.pull(image) : this.docker.getImage(image).inspect().then(() => undefined, () => this.pull(image)));
    this.present.set(image, ready);
    ready.catch(() => this.present.delete(image)); // a later launch tries again
    return ready;
  }

  private async pull(image: string): Promise<void> {
    try {
      const stream = await this.docker.pull(image);
      await new Promise<void>((resolve, reject) => this.docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve())));
    } catch (err) {
      throw new Error(`Failed to pull image '${image}': ${(err as Error).message}`);
    }
  }
}
