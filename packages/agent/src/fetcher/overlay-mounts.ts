// The pure half of sharing fetched files between sandboxes with overlayfs: the mount options for
// a sandbox laid over read-only layers, where a sandbox's private layers live, and which mounts
// sit at or below a directory (read from /proc/self/mountinfo) so that removing it unmounts them
// first.
import { createHash } from 'node:crypto';
import { isAbsolute, relative, resolve } from 'node:path';

/**
 * `-o` for `mount -t overlay`: `lowers` from the bottom layer up (overlayfs lists the top one
 * first). The sandbox itself is the upper directory and the mount point, so files written before
 * the mount (the fetcher's own stderr lines) stay where they are and show through. Undefined when
 * a path cannot be named in the option string: overlayfs splits it on ',' and lowerdir on ':'.
 */
export function overlayMountOptions(lowers: readonly string[], upper: string, work: string): string | undefined {
  const paths = [...lowers, upper, work];
  if (lowers.length === 0 || paths.some((p) => /[,:\\\n]/.test(p))) return undefined;
  return `lowerdir=${[...lowers].reverse().join(':')},upperdir=${upper},workdir=${work}`;
}

/** The directory below the layers root that holds one sandbox's layers and overlay work dir. */
export function layersDirName(sandbox: string): string {
  return createHash('sha256').update(resolve(sandbox)).digest('hex').slice(0, 32);
}

export interface MountEntry {
  readonly mountPoint: string;
  readonly fsType: string;
}

/** mountinfo escapes space, tab, newline and backslash as octal. */
function unescapeMountField(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** /proc/self/mountinfo: `id parent dev root mount-point options [optional…] - fstype source super-options`. */
export function parseMountInfo(text: string): MountEntry[] {
  const mounts: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const separator = fields.indexOf('-', 6);
    if (fields.length < 7 || separator < 0 || fields[separator + 1] === undefined) continue;
    mounts.push({ mountPoint: unescapeMountField(fields[4]!), fsType: fields[separator + 1]! });
  }
  return mounts;
}

/** Mount points at `dir` or below it, deepest first: the order they can be unmounted in. */
export function mountPointsAtOrBelow(mounts: readonly MountEntry[], dir: string, fsType?: string): string[] {
  const root = resolve(dir);
  const below = mounts
    .filter((m) => fsType === undefined || m.fsType === fsType)
    .map((m) => m.mountPoint)
    .filter((p) => {
      const rel = relative(root, p);
      return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
    });
  return [...new Set(below)].sort((a, b) => b.length - a.length);
}
