// Where the scheduler API lives: the configured masters, and the leader a 307 pointed at.
// Pure bookkeeping; the subscription decides when to follow a redirect or move on.
import { InvalidMasterUrlError } from './errors';

export const SCHEDULER_PATH = '/api/v1/scheduler';

export interface MasterEndpoint {
  readonly protocol: 'http:' | 'https:';
  readonly hostname: string;
  readonly port: number;
  /** Full request path of the scheduler API, e.g. `/api/v1/scheduler`. */
  readonly path: string;
  /** `http://host:port` (plus any path prefix), for logs. */
  readonly base: string;
}

function endpointOf(url: URL, original: string): MasterEndpoint {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidMasterUrlError(original, 'expected http:// or https://');
  let prefix = url.pathname.replace(/\/+$/, '');
  if (prefix.endsWith(SCHEDULER_PATH)) prefix = prefix.slice(0, -SCHEDULER_PATH.length);
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return { protocol: url.protocol, hostname, port, path: `${prefix}${SCHEDULER_PATH}`, base: `${url.protocol}//${url.host}${prefix}` };
}

/** `http://host:5050`, `host:5050` (http assumed) or a URL ending in the scheduler path. */
export function parseMasterUrl(text: string): MasterEndpoint {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text.replace(/^\/\//, '')}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new InvalidMasterUrlError(text, 'not a URL');
  }
  return endpointOf(url, text);
}

/**
 * The endpoint a 307's `Location` names. Mesos sends it protocol-relative
 * (`//leader:5050/api/v1/scheduler`, reference §1.1): the scheme is the one we used.
 */
export function resolveRedirect(location: string, from: MasterEndpoint): MasterEndpoint {
  const base = `${from.protocol}//${from.hostname.includes(':') ? `[${from.hostname}]` : from.hostname}:${from.port}`;
  let url: URL;
  try {
    url = new URL(location, base);
  } catch {
    throw new InvalidMasterUrlError(location, 'unusable redirect Location');
  }
  return endpointOf(url, location);
}

export class MasterEndpoints {
  private readonly configured: readonly MasterEndpoint[];
  private index = 0;
  private leader: MasterEndpoint | undefined;
  private detectedLeader: MasterEndpoint | undefined;

  /** Configured masters (tried in turn), or none when a detector names the leader. */
  constructor(masters: string | readonly string[] | undefined, followsDetector = false) {
    const list = masters === undefined ? [] : typeof masters === 'string' ? masters.split(',').map((m) => m.trim()).filter(Boolean) : masters;
    if (list.length === 0 && !followsDetector) throw new InvalidMasterUrlError('', 'at least one master is needed');
    this.configured = list.map(parseMasterUrl);
    this.leader = this.configured[0];
  }

  /** Where calls and the next SUBSCRIBE go; undefined until a detector names a leader. */
  get current(): MasterEndpoint | undefined {
    return this.leader;
  }

  /** Follows a 307 to the leader it names. */
  redirect(location: string): MasterEndpoint {
    if (!this.leader) throw new InvalidMasterUrlError(location, 'a redirect before any master was tried');
    this.leader = resolveRedirect(location, this.leader);
    return this.leader;
  }

  /** A detector named the leading master (`host:port`); undefined: none is known now. */
  detected(hostPort: string | undefined): void {
    if (hostPort === undefined) return;
    this.detectedLeader = parseMasterUrl(hostPort);
    this.leader = this.detectedLeader;
  }

  /**
   * Moves on after a connection error or a 503: to the next configured master, or back to the
   * leader the detector last named. A redirect can name a master that has just died (a standby
   * that has not yet seen the leader's node go), and nothing else would lead away from it.
   */
  next(): MasterEndpoint | undefined {
    if (this.configured.length === 0) {
      this.leader = this.detectedLeader ?? this.leader;
      return this.leader;
    }
    this.index = (this.index + 1) % this.configured.length;
    this.leader = this.configured[this.index]!;
    return this.leader;
  }
}
