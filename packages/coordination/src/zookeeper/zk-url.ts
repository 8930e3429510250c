// ZooKeeper URLs as Mesos and Marathon take them: `zk://[user:pass@]host:port[,host:port…]/path`,
// or `file:///path/to/file` whose content is such a URL (so credentials stay out of `ps`). The path
// is everything from the first `/` after the host list; credentials mean digest authentication.

export interface ZkUrl {
  /** `host:port,host:port`, the connect string of the C client. */
  readonly servers: string;
  /** The znode under which everything lives; `/` when the URL has no path. */
  readonly path: string;
  /** `user:password` for the `digest` scheme, when the URL carries credentials. */
  readonly digest?: string;
}

export class ZkUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZkUrlError';
  }
}

const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;
const PATH_SEGMENT = /^[^\u0000-\u001f\u007f]+$/;

/**
 * Parses `text`, reading `file://` URLs with `readFile` (one level: the file must hold a `zk://` URL).
 * Throws ZkUrlError naming what is wrong.
 */
export function parseZkUrl(text: string, readFile: (path: string) => string = defaultReadFile): ZkUrl {
  const trimmed = text.trim();
  if (trimmed.startsWith('file://')) {
    const file = trimmed.slice('file://'.length);
    if (!file.startsWith('/')) throw new ZkUrlError(`ZooKeeper URL file '${file}' must be an absolute path (file:///…)`);
    let content: string;
    try {
      content = readFile(file);
    } catch (err) {
      throw new ZkUrlError(`Cannot read the ZooKeeper URL from '${file}': ${err instanceof Error ? err.message : String(err)}`);
    }
    if (content.trim().startsWith('file://')) throw new ZkUrlError(`The ZooKeeper URL in '${file}' must be a zk:// URL, not another file://`);
    return parseZkUrl(content, readFile);
  }
  if (!trimmed.startsWith('zk://')) throw new ZkUrlError(`Expected a ZooKeeper URL 'zk://host:port[,host:port…]/path' or 'file:///path', got '${text}'`);
  const rest = trimmed.slice('zk://'.length);
  const slash = rest.indexOf('/');
  const authority = slash < 0 ? rest : rest.slice(0, slash);
  const path = slash < 0 ? '/' : rest.slice(slash);
  const at = authority.lastIndexOf('@');
  const credentials = at < 0 ? undefined : authority.slice(0, at);
  const hosts = at < 0 ? authority : authority.slice(at + 1);
  if (credentials !== undefined && !/^[^:]+:.*$/.test(credentials)) {
    throw new ZkUrlError(`ZooKeeper credentials in '${redactZkUrl(text)}' must be 'user:password@'`);
  }
  if (hosts === '') throw new ZkUrlError(`ZooKeeper URL '${redactZkUrl(text)}' names no server`);
  for (const server of hosts.split(',')) {
    const match = HOST_PORT.exec(server);
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) {
      throw new ZkUrlError(`ZooKeeper server '${server}' in '${redactZkUrl(text)}' is not host:port`);
    }
  }
  return { servers: hosts, path: normalisePath(path, text), ...(credentials !== undefined ? { digest: credentials } : {}) };
}

function normalisePath(path: string, text: string): string {
  if (path === '/') return path;
  const trimmed = path.endsWith('/') ? path.slice(0, -1) : path;
  for (const segment of trimmed.split('/').slice(1)) {
    if (segment === '' || segment === '.' || segment === '..' || !PATH_SEGMENT.test(segment)) {
      throw new ZkUrlError(`ZooKeeper path '${path}' in '${redactZkUrl(text)}' is not a valid znode path`);
    }
  }
  return trimmed;
}

/** The URL with its password hidden, for logs, errors and /v2/info. */
export function redactZkUrl(text: string): string {
  return text.replace(/^(\s*zk:\/\/)([^:@/]+):[^@/]*@/, '$1$2:********@');
}

/** Parses the ZooKeeper URL given to `--<flag>`; a bad one becomes `fail("Flag '<flag>': why")`. */
export function parseZkFlag(flag: string, text: string, fail: (message: string) => Error): ZkUrl {
  try {
    return parseZkUrl(text);
  } catch (err) {
    if (err instanceof ZkUrlError) throw fail(`Flag '${flag}': ${err.message}`);
    throw err;
  }
}

/** The URL of a child path (`zk://h/mesos` + `leader` → `zk://h/mesos/leader`). */
export function zkChild(url: ZkUrl, child: string): ZkUrl {
  return { ...url, path: url.path === '/' ? `/${child}` : `${url.path}/${child}` };
}

function defaultReadFile(path: string): string {
  // Loaded lazily so the pure parser stays usable where no file system is wanted.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('node:fs') as typeof import('node:fs')).readFileSync(path, 'utf8');
}
