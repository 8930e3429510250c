// Which real file a files-API path names (Mesos' FilesProcess::resolve, src/files/files.cpp), as a
// pure decision: the longest attached prefix of the requested path wins and the rest is looked up
// under the directory attached there. A rest that climbs out of that directory with `..` is refused
// here; the shell refuses what only the disk can tell (a symlink leading out), after realpath.
export type Resolution =
  /** `root` is the attached directory, `candidate` the path under it, before symlinks are followed. */
  | { readonly kind: 'found'; readonly root: string; readonly candidate: string }
  /** Nothing attached names it: Mesos' 404. */
  | { readonly kind: 'not-found' }
  /** It names something outside its root: Mesos' "'<path>' is inaccessible" (400). */
  | { readonly kind: 'inaccessible'; readonly path: string };

/** Mesos' path::from_uri: a `file://` URI names the same path. */
function fromUri(path: string): string {
  return path.startsWith('file://') ? path.slice('file://'.length) : path;
}

/** The requested path as attached names are kept: single slashes, none trailing. */
export function normalizeAttachedName(path: string): string {
  const collapsed = path.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 ? collapsed.replace(/\/+$/, '') : collapsed;
}

export function resolveSandboxPath(requested: string, attached: ReadonlyMap<string, string>): Resolution {
  if (requested.includes('\0')) return { kind: 'not-found' };
  const tokens = normalizeAttachedName(fromUri(requested)).split('/');
  const rest: string[] = [];
  while (tokens.length > 0) {
    const root = attached.get(tokens.join('/'));
    if (root === undefined) {
      rest.unshift(tokens.pop()!);
      continue;
    }
    const kept: string[] = [];
    for (const segment of rest) {
      if (segment === '' || segment === '.') continue;
      if (segment === '..') {
        if (kept.length === 0) return { kind: 'inaccessible', path: `${root.replace(/\/+$/, '')}/${rest.join('/')}` };
        kept.pop();
        continue;
      }
      kept.push(segment);
    }
    return { kind: 'found', root, candidate: kept.length === 0 ? root : `${root.replace(/\/+$/, '')}/${kept.join('/')}` };
  }
  return { kind: 'not-found' };
}

/** Whether `path` (already free of symlinks) is `root` or lies under it, segment-wise (not a mere string prefix). */
export function isWithin(root: string, path: string): boolean {
  const base = root.length > 1 ? root.replace(/\/+$/, '') : root;
  return path === base || path.startsWith(base === '/' ? '/' : `${base}/`);
}
