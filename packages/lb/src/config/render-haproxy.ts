// Backend layouts → haproxy.cfg, in marathon-lb's order (discovery.md B.4): global, defaults,
// stats, the shared frontends, then one frontend and one backend per service. Same input, same
// text: layouts are sorted here, so the caller can compare texts to skip a reload.
//
// Departures from marathon-lb, all because HAProxy itself manages membership here:
// - no `master-worker` line (the process runs with -W) and no server-state file: slots keep
//   their names across reloads and the caller re-applies state through the Runtime API;
// - servers are slots `s1`…`sN` with `id <i>`, free slots are disabled placeholders.
import type { BackendLayout } from '../model/layout';
import type { LbSettings } from '../model/service';
import { ConfigLines, type RenderedConfig } from './config-lines';
import { bindOn, renderBackend, renderServiceFrontend } from './render-backend';
import { renderSharedFrontends } from './render-shared-frontends';

export function renderHaproxyConfig(layouts: readonly BackendLayout[], settings: LbSettings): RenderedConfig {
  const sorted = [...layouts].sort(
    (a, b) => compare(a.service.appId, b.service.appId) || a.service.servicePort - b.service.servicePort,
  );
  const out = new ConfigLines();
  renderGlobal(out, settings);
  renderDefaults(out, settings);
  if (settings.statsPort > 0) renderStats(out, settings);
  renderSharedFrontends(out, sorted.map((l) => l.service), settings);
  for (const layout of sorted) {
    out.owned(layout.service.appId, () => {
      renderServiceFrontend(out, layout.service);
      renderBackend(out, layout);
    });
  }
  return out.finish();
}

function renderGlobal(out: ConfigLines, settings: LbSettings): void {
  out.section('global');
  // 0: HAProxy derives its limit from the file descriptors it may open (a fixed one it cannot get
  // stops it at start).
  if (settings.maxconn > 0) out.add(`maxconn ${settings.maxconn}`);
  if ((settings.nbthread ?? 0) > 0) out.add(`nbthread ${settings.nbthread}`);
  out.add(
    `hard-stop-after ${settings.hardStopAfterSeconds}s`,
    // `expose-fd listeners`: a reloaded worker takes the listening sockets over, so no port closes.
    `stats socket ${settings.adminSocket} mode 600 level admin expose-fd listeners`,
  );
  if (settings.logTarget !== '') out.add(`log ${settings.logTarget}`);
  out.add('spread-checks 5');
}

function renderDefaults(out: ConfigLines, settings: LbSettings): void {
  out.section('defaults');
  if (settings.logTarget !== '') out.add('log global');
  out.add(
    'retries 3',
    // `1`: every retry may go to another server, not only the last one (HAProxy's default).
    'option redispatch 1',
    // HAProxy's own default, not marathon-lb's http-server-close: server connections are kept and
    // reused, which triples the requests a small box serves (test/bench/lb.bench.ts); every request
    // is still balanced on its own, so draining and health apply to keep-alive clients too.
    'option http-keep-alive',
    'option dontlognull',
    'backlog 10000',
    'maxconn 10000',
    'timeout connect 3s',
    'timeout client 30s',
    'timeout server 30s',
    'timeout tunnel 3600s',
    'timeout http-keep-alive 1s',
    'timeout http-request 15s',
    'timeout queue 30s',
    'timeout tarpit 60s',
  );
}

function renderStats(out: ConfigLines, settings: LbSettings): void {
  out.section('listen stats');
  out.add(
    `bind ${bindOn(settings.bindAddress, settings.statsPort)}`,
    'mode http',
    'stats enable',
    'stats uri /haproxy?stats',
    'monitor-uri /_haproxy_health_check',
    // Debian's HAProxy 2.6 is built with the Prometheus exporter (`haproxy -vv`).
    'http-request use-service prometheus-exporter if { path /metrics }',
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
