// Mesos-DNS' HTTP API (docs/http.md of mesos-dns): /v1/version, /v1/config, /v1/hosts/{host},
// /v1/services/{service}, and with enumeration on /v1/enumerate and /v1/axfr; plus Tepui's
// /v1/status (is the master stream open, how old are the records), /health and /metrics. Answers
// keep Mesos-DNS' shapes, its "not found" placeholders included, since scripts parse them. Tepui adds
// /v1/watch, an event stream of record changes (record-watch.ts).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { DnsConfig } from '../config/dns-config';
import type { DnsRecord, RecordLookup } from '../records/dns-record';
import type { FollowerStatus } from '../state/master-follower';
import { configView } from './config-view';
import { serveRecordWatch, type RecordChanges } from './record-watch';

export const TEPUI_DNS_VERSION = '0.1.0';

export interface DnsHttpApiOptions {
  readonly config: DnsConfig;
  readonly lookup: () => RecordLookup;
  readonly status: () => FollowerStatus;
  readonly registry: Registry;
  /** The `/v1/enumerate` body and the records of `/v1/axfr` (only served with enumerationOn). */
  readonly enumerate: () => unknown;
  readonly axfrRecords: () => unknown;
  /** Whether the service answers yet (/health: 503 until then). */
  readonly ready?: () => boolean;
  /** Change notifications for /v1/watch (absent: /v1/watch is 404). */
  readonly changes?: RecordChanges;
  readonly now?: () => number;
}

type Handler = (res: ServerResponse, ...params: string[]) => void | Promise<void>;

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

/** A query name as the API takes it: lower case, trailing dot optional. */
const normalise = (name: string): string => decodeURIComponent(name).toLowerCase().replace(/\.$/, '');

function addresses(lookup: RecordLookup, name: string): DnsRecord[] {
  return [...lookup.lookup(name, 'A'), ...lookup.lookup(name, 'AAAA')];
}

export function createDnsHttpApi(options: DnsHttpApiOptions): Server {
  const now = options.now ?? Date.now;
  const routes: Array<[RegExp, Handler]> = [
    [/^\/v1\/version$/, (res) => json(res, 200, { Service: 'Mesos-DNS', Version: `${TEPUI_DNS_VERSION} (Tepui-DNS)`, URL: 'https://github.com/mesosphere/mesos-dns' })],
    [/^\/v1\/config$/, (res) => json(res, 200, configView(options.config))],
    [/^\/v1\/hosts\/([^/]+)\/ports$/, (res) => {
      res.writeHead(501, { 'Content-Type': 'text/plain' }).end('To be implemented...');
    }],
    [/^\/v1\/hosts\/([^/]+)$/, (res, host) => {
      const name = normalise(host!);
      const found = addresses(options.lookup(), name).map((r) => ({ host: `${name}.`, ip: 'address' in r ? r.address : '' }));
      json(res, 200, found.length > 0 ? found : [{ host: '', ip: '' }]);
    }],
    [/^\/v1\/services\/([^/]+)$/, (res, service) => {
      const lookup = options.lookup();
      const name = normalise(service!);
      const found = [];
      for (const srv of lookup.lookup(name, 'SRV')) {
        if (srv.type !== 'SRV') continue;
        for (const a of addresses(lookup, srv.srv.target)) {
          found.push({ service: decodeURIComponent(service!), host: `${srv.srv.target}.`, ip: 'address' in a ? a.address : '', port: String(srv.srv.port) });
        }
      }
      json(res, 200, found.length > 0 ? found : [{ service: '', host: '', ip: '', port: '' }]);
    }],
    [/^\/v1\/enumerate$/, (res) => (options.config.enumerationOn ? json(res, 200, options.enumerate()) : notFound(res))],
    [/^\/v1\/axfr$/, (res) => (options.config.enumerationOn ? json(res, 200, axfrView(options.config, options.lookup().serial, options.axfrRecords())) : notFound(res))],
    [/^\/v1\/watch$/, (res) => (options.changes ? serveRecordWatch(res, options.lookup, options.changes) : notFound(res))],
    [/^\/v1\/status$/, (res) => json(res, 200, statusView(options.status(), options.lookup(), now()))],
    [/^\/health$/, (res) => {
      const status = options.status();
      const ready = options.ready ? options.ready() : status.lastSyncMs !== undefined;
      json(res, ready ? 200 : 503, statusView(status, options.lookup(), now()));
    }],
    [/^\/metrics$/, async (res) => {
      res.writeHead(200, { 'Content-Type': options.registry.contentType }).end(await options.registry.metrics());
    }],
  ];
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }).end('Method Not Allowed');
      return;
    }
    for (const [pattern, handler] of routes) {
      const match = pattern.exec(path);
      if (!match) continue;
      try {
        void Promise.resolve(handler(res, ...match.slice(1))).catch((err: unknown) => serverError(res, err));
      } catch (err) {
        // A malformed %-escape in the name is the client's mistake.
        if (err instanceof URIError) json(res, 400, { error: `malformed name in ${path}` });
        else serverError(res, err);
      }
      return;
    }
    notFound(res);
  });
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain' }).end('404 page not found');
}

function serverError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) res.destroy();
  else json(res, 500, { error: err instanceof Error ? err.message : String(err) });
}

/** Mesos-DNS' /v1/axfr: the zone's SOA facts around the records. */
function axfrView(c: DnsConfig, serial: number, records: unknown) {
  return { TTL: c.ttl, Serial: serial, RefreshSeconds: c.refreshSeconds, Mname: `${c.soaMname}.`, Rname: `${c.soaRname}.`, Domain: c.domain, Records: records };
}

function statusView(status: FollowerStatus, lookup: RecordLookup, now: number) {
  return {
    connected: status.connected,
    master: status.master ?? null,
    records: lookup.size,
    lastSync: status.lastSyncMs === undefined ? null : new Date(status.lastSyncMs).toISOString(),
    lastUpdateAgeSeconds: status.lastUpdateMs === undefined ? null : (now - status.lastUpdateMs) / 1000,
    // While the master is unreachable the last records are served; this says since when and why.
    stale: status.connected ? null : { since: status.unreachableSinceMs === undefined ? null : new Date(status.unreachableSinceMs).toISOString(), reason: status.error ?? null },
    resyncs: status.resyncs,
    events: status.events,
  };
}
