// How the files API describes a file: /files/browse's entries (src/common/http.cpp `model(FileInfo)`)
// and the v1 FileInfo of LIST_FILES (src/common/protobuf_utils.cpp `createFileInfo`). uid and gid
// are names when the host knows them, else the numbers, as getpwuid/getgrgid give them to Mesos.
import type { BrowseEntry, FileInfo } from '@tepui/protocol';

/** What of an fs.Stats the files API reports. */
export interface FileStat {
  readonly nlink: number;
  readonly size: number;
  readonly mtimeMs: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
}

export interface IdNames {
  readonly users: ReadonlyMap<number, string>;
  readonly groups: ReadonlyMap<number, string>;
}

const FILE_TYPES: ReadonlyArray<readonly [number, string]> = [
  [0o100000, '-'], [0o040000, 'd'], [0o020000, 'c'], [0o060000, 'b'], [0o010000, 'p'], [0o120000, 'l'], [0o140000, 's'],
];

/** `ls -l`'s ten characters: type, then rwx for owner, group and others (no setuid/sticky letters, like Mesos). */
export function modeString(mode: number): string {
  const type = FILE_TYPES.find(([bits]) => (mode & 0o170000) === bits)?.[1] ?? '-';
  let perms = '';
  for (let shift = 6; shift >= 0; shift -= 3) {
    const bits = (mode >> shift) & 0o7;
    perms += (bits & 4 ? 'r' : '-') + (bits & 2 ? 'w' : '-') + (bits & 1 ? 'x' : '-');
  }
  return type + perms;
}

/** id → name from /etc/passwd or /etc/group text (`name:x:id:...`). */
export function parseIdNames(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split('\n')) {
    const [name, , id] = line.split(':');
    if (!name || name.startsWith('#') || id === undefined || !/^\d+$/.test(id)) continue;
    if (!names.has(Number(id))) names.set(Number(id), name);
  }
  return names;
}

/** stout's path::join of the requested path and an entry: exactly one slash between them. */
export function joinListedPath(requested: string, entry: string): string {
  const base = requested.replace(/\/+$/, '');
  return `${base}/${entry.replace(/^\/+/, '')}`;
}

function owner(stat: FileStat, names: IdNames): { uid: string; gid: string } {
  return { uid: names.users.get(stat.uid) ?? String(stat.uid), gid: names.groups.get(stat.gid) ?? String(stat.gid) };
}

/** Whole seconds, as Mesos takes st_mtime. */
const mtimeSeconds = (stat: FileStat): number => Math.floor(stat.mtimeMs / 1000);

export function browseEntry(path: string, stat: FileStat, names: IdNames): BrowseEntry {
  return { path, nlink: stat.nlink, size: stat.size, mtime: mtimeSeconds(stat), mode: modeString(stat.mode), ...owner(stat, names) };
}

export function v1FileInfo(path: string, stat: FileStat, names: IdNames): FileInfo {
  return { path, nlink: stat.nlink, size: stat.size, mtime: { nanoseconds: mtimeSeconds(stat) * 1e9 }, mode: stat.mode, ...owner(stat, names) };
}

/** Entries sorted as Mesos sorts them: by their full path, byte-wise. */
export function sortEntries<T extends { path: string }>(entries: T[]): T[] {
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
