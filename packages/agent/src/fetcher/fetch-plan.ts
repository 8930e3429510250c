// What the fetcher does with each CommandInfo.URI, decided before any byte moves (Mesos'
// FetcherProcess builds the same list for its mesos-fetcher): where it comes from, the name it
// gets in the sandbox, whether it is extracted or made executable, and whether it goes through
// the cache. Pure: a bad URI is refused here, naming it, before anything is downloaded.
import type { CommandURI } from '@tepui/protocol';

export type UriSource =
  | { readonly kind: 'http'; readonly url: string }
  | { readonly kind: 'file'; readonly path: string };

export type ArchiveKind = 'tar' | 'tar.gz' | 'tar.bz2' | 'tar.xz' | 'zip' | 'gz';

export interface FetchItem {
  /** The URI as the framework sent it: messages name it. */
  readonly uri: string;
  readonly source: UriSource;
  /** Where it lands, relative to the sandbox. */
  readonly outputPath: string;
  /** Set when the file is an archive to unpack into the sandbox. */
  readonly archive?: ArchiveKind;
  readonly executable: boolean;
  /** Set when the URI asks for the cache: the same key is fetched once per agent. */
  readonly cacheKey?: string;
}

export class FetchPlanError extends Error {
  constructor(readonly uri: string, reason: string) {
    super(reason);
    this.name = 'FetchPlanError';
  }
}

// Mesos' fetcher recognises archives by their name; longer suffixes first.
const ARCHIVE_SUFFIXES: ReadonlyArray<readonly [string, ArchiveKind]> = [
  ['.tar.gz', 'tar.gz'], ['.tgz', 'tar.gz'],
  ['.tar.bz2', 'tar.bz2'], ['.tbz2', 'tar.bz2'],
  ['.tar.xz', 'tar.xz'], ['.txz', 'tar.xz'],
  ['.tar', 'tar'], ['.zip', 'zip'], ['.gz', 'gz'],
];

export function archiveKindOf(name: string): ArchiveKind | undefined {
  return ARCHIVE_SUFFIXES.find(([suffix]) => name.endsWith(suffix))?.[1];
}

export interface PlanContext {
  /** The user the task runs as: cache entries are per user, as in Mesos. */
  readonly user?: string;
  /** `--frameworks_home`: where relative paths are found. */
  readonly frameworksHome?: string;
}

function sourceOf(value: string, ctx: PlanContext): UriSource {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(value)?.[1]?.toLowerCase();
  if (scheme === 'http' || scheme === 'https') {
    try {
      return { kind: 'http', url: new URL(value).toString() };
    } catch {
      throw new FetchPlanError(value, `Malformed URI '${value}'`);
    }
  }
  if (scheme === 'file') {
    const path = decodeURIComponent(value.slice('file://'.length));
    if (!path.startsWith('/')) throw new FetchPlanError(value, `A file:// URI needs an absolute path, got '${value}'`);
    return { kind: 'file', path };
  }
  if (scheme !== undefined) {
    throw new FetchPlanError(value, `Tepui's fetcher does not support '${scheme}://' URIs (http, https, file and local paths are supported)`);
  }
  if (value.startsWith('/')) return { kind: 'file', path: value };
  if (!ctx.frameworksHome) {
    throw new FetchPlanError(value, 'A relative path was passed for the resource but the framework home (--frameworks_home) was not specified: give the flag or an absolute path');
  }
  return { kind: 'file', path: `${ctx.frameworksHome.replace(/\/+$/, '')}/${value}` };
}

function lastSegment(source: UriSource): string {
  const path = source.kind === 'http' ? new URL(source.url).pathname : source.path;
  const name = path.split('/').filter((s) => s !== '').pop() ?? '';
  return source.kind === 'http' ? safeDecode(name) : name;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** `output_file` stays inside the sandbox: relative, no `..`, no empty segments. */
function outputPathOf(uri: CommandURI, source: UriSource): string {
  const given = uri.output_file;
  if (given === undefined || given === '') {
    const name = lastSegment(source);
    if (name === '' || name === '.' || name === '..') throw new FetchPlanError(uri.value, `Cannot name the fetched file: '${uri.value}' has no file name (set output_file)`);
    return name;
  }
  const segments = given.split('/');
  if (given.startsWith('/') || segments.some((s) => s === '..' || s === '' || s === '.')) {
    throw new FetchPlanError(uri.value, `output_file '${given}' must be a relative path inside the sandbox`);
  }
  return given;
}

export function planFetch(uris: readonly CommandURI[], ctx: PlanContext = {}): FetchItem[] {
  return uris.map((uri) => {
    const source = sourceOf(uri.value, ctx);
    const outputPath = outputPathOf(uri, source);
    const executable = uri.executable === true;
    // Mesos: an executable is never extracted; `extract` defaults to true.
    const archive = !executable && uri.extract !== false ? archiveKindOf(outputPath) : undefined;
    return {
      uri: uri.value, source, outputPath, executable,
      ...(archive ? { archive } : {}),
      ...(uri.cache === true ? { cacheKey: `${ctx.user ?? ''}\u0000${uri.value}` } : {}),
    };
  });
}

/** Every URI a container's fetch covers: the executor's own, and a command task's. */
export function urisOf(...commands: ReadonlyArray<{ uris?: readonly CommandURI[] } | undefined>): CommandURI[] {
  return commands.flatMap((c) => c?.uris ?? []);
}
