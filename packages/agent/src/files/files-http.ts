// The agent's files API over HTTP (Mesos' FilesProcess, src/files/files.cpp): /files/browse,
// /files/read, /files/download and /files/debug, and the file reads behind the operator calls
// LIST_FILES and READ_FILE. Each request resolves its path afresh against what is attached now,
// follows symlinks with realpath, checks the result is still under its root, and opens the file
// anew, so a task's growing stdout is read as it is at that moment.
import { constants, type Stats } from 'node:fs';
import { open, readFile, readdir, readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename } from 'node:path';
import type { BrowseEntry, FileInfo } from '@tepui/protocol';
import { BadRequest, NotFound } from '../errors';
import { browseEntry, joinListedPath, parseIdNames, sortEntries, v1FileInfo, type IdNames } from './file-info';
import { parsePathQuery, parseReadQuery, readReplyBody, readWindow, replyOffset, type Parsed } from './read-window';
import { isWithin, resolveSandboxPath } from './resolve';

/** The attached names (virtual or real paths) and the directory each stands for, as of now. */
export type Attachments = () => ReadonlyMap<string, string>;

const inaccessible = (path: string) => new BadRequest(`'${path}' is inaccessible.\n`);

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ELOOP' || code === 'ENAMETOOLONG';
}

async function idNames(): Promise<IdNames> {
  const text = (file: string) => readFile(file, 'utf8').catch(() => '');
  const [passwd, group] = await Promise.all([text('/etc/passwd'), text('/etc/group')]);
  return { users: parseIdNames(passwd), groups: parseIdNames(group) };
}

function unwrap<T>(parsed: Parsed<T>): T {
  if (!parsed.ok) throw new BadRequest(parsed.error);
  return parsed.value;
}

export class SandboxFiles {
  constructor(private readonly attachments: Attachments) {}

  /** The real path a request names, free of symlinks and inside its root; NotFound/BadRequest otherwise. */
  async locate(requested: string): Promise<{ root: string; real: string }> {
    const resolution = resolveSandboxPath(requested, this.attachments());
    if (resolution.kind === 'not-found') throw new NotFound('');
    if (resolution.kind === 'inaccessible') throw inaccessible(resolution.path);
    let root: string;
    let real: string;
    try {
      root = await realpath(resolution.root);
      real = await realpath(resolution.candidate);
    } catch (err) {
      if (isMissing(err)) throw new NotFound('');
      throw err;
    }
    if (!isWithin(root, real)) throw inaccessible(resolution.candidate);
    return { root, real };
  }

  /**
   * Opens a regular file the request names. The path the descriptor really has (/proc/self/fd)
   * is checked against the root once more, so swapping in a symlink after realpath gains nothing.
   */
  private async openFile(requested: string, directoryError: string): Promise<{ handle: FileHandle; stats: Stats; real: string }> {
    const { root, real } = await this.locate(requested);
    let handle: FileHandle;
    try {
      handle = await open(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (err) {
      if (isMissing(err)) throw new NotFound('');
      throw err;
    }
    try {
      const opened = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => real);
      if (!isWithin(root, opened)) throw inaccessible(real);
      const stats = await handle.stat();
      if (stats.isDirectory()) throw new BadRequest(directoryError);
      if (!stats.isFile()) throw new BadRequest("Tepui's agent reads only regular files.\n");
      return { handle, stats, real };
    } catch (err) {
      await handle.close();
      throw err;
    }
  }

  private async entries(requested: string): Promise<Array<{ path: string; stats: Stats }>> {
    const { real } = await this.locate(requested);
    // Mesos lists nothing for a path that is not a directory (os::ls fails) and skips entries stat cannot read.
    const names = await readdir(real).catch(() => [] as string[]);
    const listed = await Promise.all(names.map(async (name) => {
      const stats = await stat(`${real}/${name}`).catch(() => undefined);
      return stats ? { path: joinListedPath(requested, name), stats } : undefined;
    }));
    return listed.filter((entry) => entry !== undefined);
  }

  async browse(requested: string): Promise<BrowseEntry[]> {
    const names = await idNames();
    return sortEntries((await this.entries(requested)).map(({ path, stats }) => browseEntry(path, stats, names)));
  }

  async listFiles(requested: string): Promise<FileInfo[]> {
    const names = await idNames();
    return sortEntries((await this.entries(requested)).map(({ path, stats }) => v1FileInfo(path, stats, names)));
  }

  /** The file's size and the bytes of the window Mesos reads for `offset` (≥ 0) and `length`. */
  async read(requested: string, offset: number, length: number | undefined): Promise<{ size: number; data: Buffer }> {
    const { handle, stats } = await this.openFile(requested, 'Cannot read a directory.\n');
    try {
      const size = stats.size;
      const window = readWindow(offset, length, size);
      const data = Buffer.alloc(window.count);
      let filled = 0;
      while (filled < window.count) {
        const { bytesRead } = await handle.read(data, filled, window.count - filled, window.start + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return { size, data: data.subarray(0, filled) };
    } finally {
      await handle.close();
    }
  }

  async download(requested: string, res: ServerResponse): Promise<void> {
    const { handle, stats, real } = await this.openFile(requested, 'Cannot download a directory.\n');
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': `attachment; filename=${basename(real)}`,
      'Content-Length': stats.size,
    });
    if (stats.size === 0) {
      await handle.close();
      res.end();
      return;
    }
    // Exactly the bytes there were when it was opened, though the task may still be writing.
    const stream = handle.createReadStream({ start: 0, end: stats.size - 1, autoClose: true });
    await new Promise<void>((resolve) => {
      stream.on('error', () => res.destroy());
      res.on('close', () => {
        stream.destroy();
        resolve();
      });
      stream.pipe(res);
    });
  }
}

const JSONP_CALLBACK = /^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/;

/** JSON, or `callback(json);` as text/javascript when the query asks for jsonp (as libprocess' OK(json, jsonp)). */
export function sendJson(res: ServerResponse, query: URLSearchParams, body: Buffer | string): void {
  const jsonp = query.get('jsonp');
  if (jsonp === null) {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
    return;
  }
  if (!JSONP_CALLBACK.test(jsonp)) throw new BadRequest("Tepui's agent takes only a JavaScript name as 'jsonp'");
  res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(Buffer.concat([Buffer.from(`${jsonp}(`), Buffer.from(body), Buffer.from(');')]));
}

export const FILES_ENDPOINTS = ['browse', 'read', 'download', 'debug'] as const;
export type FilesEndpoint = (typeof FILES_ENDPOINTS)[number];

/** The endpoint a request path names: /files/<e>, /files/<e>.json or /slave(1)/files/<e>; undefined for others. */
export function filesEndpoint(path: string): FilesEndpoint | undefined {
  const match = /^(?:\/slave\(1\))?\/files\/([a-z]+)(?:\.json)?$/.exec(path);
  return FILES_ENDPOINTS.find((endpoint) => endpoint === match?.[1]);
}

export function createFilesHttp(files: SandboxFiles, attachments: Attachments) {
  return async (endpoint: FilesEndpoint, req: IncomingMessage, res: ServerResponse): Promise<void> => {
    req.resume();
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    switch (endpoint) {
      case 'debug':
        return sendJson(res, query, JSON.stringify(Object.fromEntries([...attachments()].sort(([a], [b]) => (a < b ? -1 : 1)))));
      case 'browse':
        return sendJson(res, query, JSON.stringify(await files.browse(unwrap(parsePathQuery(query)))));
      case 'read': {
        const { path, offset, length } = unwrap(parseReadQuery(query));
        // offset=-1 (the pailer's first call) reads nothing and answers the size as the offset.
        const { size, data } = await files.read(path, offset === -1 ? 0 : offset, offset === -1 ? 0 : length);
        return sendJson(res, query, readReplyBody(data, replyOffset(offset, size)));
      }
      case 'download':
        return files.download(unwrap(parsePathQuery(query)), res);
    }
  };
}
