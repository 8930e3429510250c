// Marathon's public HTTP API as marathon-lb reads it (discovery.md B.1): `GET
// /v2/apps?embed=apps.tasks` with Accept: application/json, over several `--marathon` URLs tried in
// order, the one that answers moving to the front. A standby's 307 is followed (fetch does it);
// a 503 (no leader known yet) or any other non-200 answer counts as a failure and the next URL is
// tried. A Marathon that accepts the connection but does not answer within `responseTimeoutMs` is
// given up on, so one hung node does not hold the load balancer (marathon-lb #535, C.6).
import type { MarathonAppWithTasks } from '@tepui/protocol';
import { describeError, MarathonApiError, MarathonBadResponse, MarathonRequestFailed, NoMarathonAvailable } from './marathon-errors';

/** Until response headers: marathon-lb allows 3.05 s to connect; Marathon then builds the whole answer. */
export const DEFAULT_RESPONSE_TIMEOUT_MS = 10_000;
/** The whole request, body included: marathon-lb's read timeout. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 46_000;
export const USER_AGENT = 'tepui-lb';

export interface MarathonClientOptions {
  /** Base URLs, e.g. `http://m1:8080`, in the order to try them. */
  readonly urls: readonly string[];
  readonly responseTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** For tests; the global fetch otherwise. */
  readonly fetch?: typeof fetch;
}

export interface RequestOptions {
  readonly accept: string;
  readonly signal?: AbortSignal;
  /** Abort if the response headers take longer. */
  readonly responseTimeoutMs?: number;
}

export class MarathonClient {
  private order: string[];
  private readonly fetch: typeof fetch;
  readonly responseTimeoutMs: number;
  readonly requestTimeoutMs: number;

  constructor(options: MarathonClientOptions) {
    this.order = [...new Set(options.urls.map((u) => u.replace(/\/+$/, '')))];
    this.fetch = options.fetch ?? fetch;
    this.responseTimeoutMs = options.responseTimeoutMs ?? DEFAULT_RESPONSE_TIMEOUT_MS;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  /** The URLs in the order the next request tries them. */
  get urls(): readonly string[] {
    return this.order;
  }

  /** Every app with its tasks, from the first Marathon that answers properly. */
  async listApps(signal?: AbortSignal): Promise<MarathonAppWithTasks[]> {
    const { value } = await this.tryEach((base) => this.fetchAppList(base, signal), signal);
    return value;
  }

  /**
   * Runs `attempt` against each URL in order until one succeeds; that URL moves to the front
   * (marathon-lb's rule). Rejects with NoMarathonAvailable listing each failure; an abort through
   * `signal` rejects at once with the signal's reason.
   */
  async tryEach<T>(attempt: (baseUrl: string) => Promise<T>, signal?: AbortSignal): Promise<{ value: T; url: string }> {
    const failures: MarathonApiError[] = [];
    for (const url of [...this.order]) {
      signal?.throwIfAborted();
      try {
        const value = await attempt(url);
        this.promote(url);
        return { value, url };
      } catch (err) {
        signal?.throwIfAborted();
        failures.push(err instanceof MarathonApiError ? err : new MarathonRequestFailed(url, describeError(err)));
      }
    }
    throw new NoMarathonAvailable(failures);
  }

  /** Moves `url` to the front: the next request tries it first. */
  promote(url: string): void {
    if (!this.order.includes(url)) return;
    this.order = [url, ...this.order.filter((u) => u !== url)];
  }

  /** Moves `url` to the back, after its stream failed: the next attempt starts with another one. */
  demote(url: string): void {
    if (!this.order.includes(url)) return;
    this.order = [...this.order.filter((u) => u !== url), url];
  }

  /**
   * GET `path` from one Marathon; resolves once a 200 arrives (redirects followed), with the body
   * unread. Any other status, a network error or a late answer rejects with MarathonRequestFailed.
   * `signal` may abort the request and later the body.
   */
  async request(baseUrl: string, path: string, options: RequestOptions): Promise<Response> {
    const url = `${baseUrl}${path}`;
    const timeoutMs = options.responseTimeoutMs ?? this.responseTimeoutMs;
    const late = new AbortController();
    const timer = setTimeout(() => late.abort(new MarathonRequestFailed(baseUrl, `no answer within ${timeoutMs} ms`)), timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, late.signal]) : late.signal;
    let res: Response;
    try {
      res = await this.fetch(url, { headers: { Accept: options.accept, 'User-Agent': USER_AGENT }, signal, redirect: 'follow' });
    } catch (err) {
      options.signal?.throwIfAborted();
      if (err instanceof MarathonApiError) throw err;
      throw new MarathonRequestFailed(baseUrl, describeError(err));
    } finally {
      clearTimeout(timer);
    }
    if (res.status !== 200) {
      const text = await res.text().catch(() => '');
      throw new MarathonRequestFailed(baseUrl, `answered ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`, res.status);
    }
    return res;
  }

  private async fetchAppList(baseUrl: string, signal: AbortSignal | undefined): Promise<MarathonAppWithTasks[]> {
    const slow = new AbortController();
    const timer = setTimeout(
      () => slow.abort(new MarathonRequestFailed(baseUrl, `app list not read within ${this.requestTimeoutMs} ms`)),
      this.requestTimeoutMs,
    );
    const all = signal ? AbortSignal.any([signal, slow.signal]) : slow.signal;
    try {
      const res = await this.request(baseUrl, '/v2/apps?embed=apps.tasks', { accept: 'application/json', signal: all });
      let text: string;
      try {
        text = await res.text();
      } catch (err) {
        signal?.throwIfAborted();
        if (slow.signal.aborted) throw slow.signal.reason;
        throw new MarathonRequestFailed(baseUrl, `app list cut short: ${describeError(err)}`);
      }
      return parseAppList(baseUrl, text);
    } catch (err) {
      // The whole-request deadline fired while waiting for headers: say so, not "aborted".
      if (slow.signal.aborted && !signal?.aborted) throw slow.signal.reason;
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** `{"apps":[…]}` checked as far as the view relies on it; anything else is MarathonBadResponse. */
export function parseAppList(url: string, text: string): MarathonAppWithTasks[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new MarathonBadResponse(url, `app list is not JSON: ${describeError(err)}`);
  }
  if (!isRecord(value) || !Array.isArray(value.apps)) throw new MarathonBadResponse(url, 'app list has no "apps" array');
  const apps: MarathonAppWithTasks[] = [];
  for (const [i, app] of value.apps.entries()) {
    const problem = appProblem(app);
    if (problem !== undefined) throw new MarathonBadResponse(url, `apps[${i}]: ${problem}`);
    if (isAppWithTasks(app)) apps.push(app);
  }
  return apps;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What makes `value` unusable as an app of the view, if anything. */
function appProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'not an object';
  if (typeof value.id !== 'string' || value.id === '') return 'no string id';
  if (value.tasks === undefined) return undefined;
  if (!Array.isArray(value.tasks)) return 'tasks is not an array';
  for (const [i, task] of value.tasks.entries()) {
    if (!isRecord(task) || typeof task.id !== 'string' || typeof task.state !== 'string') return `tasks[${i}] has no string id and state`;
    for (const key of ['ports', 'servicePorts', 'ipAddresses', 'healthCheckResults']) {
      if (task[key] !== undefined && !Array.isArray(task[key])) return `tasks[${i}].${key} is not an array`;
    }
  }
  return undefined;
}

function isAppWithTasks(value: unknown): value is MarathonAppWithTasks {
  return appProblem(value) === undefined;
}
