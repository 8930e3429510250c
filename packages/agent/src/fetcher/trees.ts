// Placing a file, or every entry of a directory tree, at a target path: the fetcher copies
// (a sandbox that gets its own files) or hard-links (a sandbox's read-only layers) the cache's
// files this way.
import { constants, copyFile, link, lstat, mkdir, readdir, readlink, rm, symlink } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';

export type PlaceFile = (source: string, target: string) => Promise<void>;

/** Copies a regular file (a copy-on-write clone where the file system has them) and recreates a symlink verbatim, replacing what is at `target`. */
export const copyEntry: PlaceFile = async (source, target) => {
  if ((await lstat(source)).isSymbolicLink()) {
    await rm(target, { force: true });
    await symlink(await readlink(source), target);
  } else {
    await copyFile(source, target, constants.COPYFILE_FICLONE);
  }
};

/** Hard-links an entry; link(2) does not follow symlinks, so a symlink is linked as the symlink it is. */
export const linkEntry: PlaceFile = (source, target) => link(source, target);

/**
 * Places `source` at `target` with `place`: a file as that file, a directory as its tree (the
 * directories made first, then every other entry at once). File by file: fs.cp is several times
 * slower for large files.
 */
export async function placeTree(source: string, target: string, place: PlaceFile): Promise<void> {
  if (!(await lstat(source)).isDirectory()) {
    await mkdir(dirname(target), { recursive: true });
    await place(source, target);
    return;
  }
  const entries = await readdir(source, { withFileTypes: true, recursive: true });
  const pathOf = (e: (typeof entries)[number]) => join(e.parentPath ?? e.path, e.name);
  await mkdir(target, { recursive: true });
  for (const dir of entries.filter((e) => e.isDirectory())) await mkdir(join(target, relative(source, pathOf(dir))), { recursive: true });
  await Promise.all(entries.filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => place(pathOf(e), join(target, relative(source, pathOf(e))))));
}

/** Bytes of the regular files below `dir`: what an unpacked tree costs the cache. */
export async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await lstat(join(entry.parentPath ?? entry.path, entry.name))).size;
  }
  return total;
}
