// One service's `frontend` and `backend` sections (discovery.md B.4, items 6 and 7), with the
// backend's servers as fixed slots: filled slots are `server s<i>` lines, free ones are disabled
// placeholders the Runtime API can fill later without a reload.
import { FREE_SLOT_ADDRESS, slotName, type BackendLayout } from '../model/layout';
import type { Endpoint, Service } from '../model/service';
import type { ConfigLines } from './config-lines';
import { slotCookie } from './names';

/** A bind target: `*:80` (every address), `10.0.0.1:80`, `:::80` (IPv6 any). */
export function bindOn(address: string, port: number): string {
  return `${address}:${port}`;
}

export function renderServiceFrontend(out: ConfigLines, service: Service): void {
  out.section(`frontend ${service.backend}`, `app ${service.appId}`);
  const ssl = service.sslCert !== undefined ? ` ssl crt ${service.sslCert}` : '';
  const options = service.bindOptions !== '' ? ` ${service.bindOptions}` : '';
  out.add(`bind ${bindOn(service.bindAddress, service.servicePort)}${ssl}${options}`, `mode ${service.mode}`, `use_backend ${service.backend}`);
}

export function renderBackend(out: ConfigLines, layout: BackendLayout): void {
  const { service } = layout;
  out.section(`backend ${service.backend}`);
  out.add(`balance ${service.balance}`, `mode ${service.mode}`);
  if (service.mode === 'http') {
    out.add(
      'option forwardfor',
      'http-request set-header X-Forwarded-Port %[dst_port]',
      'http-request add-header X-Forwarded-Proto https if { ssl_fc }',
    );
  }
  // HAProxy 2.6 has no rspadd/reqirep (marathon-lb's spelling); these are their replacements.
  if (service.useHsts) out.add('http-response set-header Strict-Transport-Security max-age=15768000');
  if (service.proxyPassPath !== undefined) {
    out.add(`http-request set-header Host ${service.vhosts[0]}`, `http-request replace-path '${proxyPassPattern(service.proxyPassPath)}' '/\\1'`);
  }
  if (service.sticky) out.add('cookie mesosphere_server_id insert indirect nocache');
  const check = service.healthCheck;
  if (check?.httpPath !== undefined) out.add(`option httpchk GET ${check.httpPath}`);
  if (check !== undefined) out.add(`timeout check ${check.timeoutSeconds}s`);
  renderServers(out, layout);
}

/** `/api/` → `^/api/?(.*)` (marathon-lb's pattern): the prefix and one slash are cut off. */
function proxyPassPattern(path: string): string {
  const prefix = path.replace(/\/+$/, '').replace(/\./g, '\\.');
  return `^${prefix}/?(.*)`;
}

function renderServers(out: ConfigLines, { service, slots }: BackendLayout): void {
  for (let i = 0; i < slots.length; ) {
    const endpoint = slots[i];
    if (endpoint !== undefined) {
      out.add(filledSlot(service, i, endpoint));
      i += 1;
      continue;
    }
    let end = i;
    while (end + 1 < slots.length && slots[end + 1] === undefined) end += 1;
    // A sticky slot needs its own cookie, and a lone free slot can keep its explicit id; only
    // other runs collapse into one server-template (which takes no `id`).
    if (service.sticky || end === i) {
      for (let j = i; j <= end; j += 1) out.add(`server ${slotName(j)} ${freeSlotArguments(service, j)}`);
    } else {
      out.add(`server-template s ${i + 1}-${end + 1} ${FREE_SLOT_ADDRESS} disabled${serverOptions(service, i)}`);
    }
    i = end + 1;
  }
}

function filledSlot(service: Service, index: number, endpoint: Endpoint): string {
  // A draining endpoint gets weight 0, so a worker started by a reload sends it no new sessions
  // (sticky ones still reach it); the Runtime API does the same for the running worker.
  const drain = endpoint.draining ? ' weight 0' : '';
  return `server ${slotName(index)} ${endpoint.ip}:${endpoint.port} id ${index + 1}${serverOptions(service, index)}${drain}`;
}

/** What follows `server <name>` for a free slot: in the configuration, and in `add server`. */
export function freeSlotArguments(service: Service, index: number): string {
  return `${FREE_SLOT_ADDRESS} id ${index + 1} disabled${serverOptions(service, index)}`;
}

/**
 * HAProxy 2.6 adds servers to a running backend (`add server`) only when its balance algorithm is
 * dynamic (hash-based ones are, here, map-based: static) and without `cookie`, which sticky slots carry.
 */
const DYNAMIC_BALANCE = /^(roundrobin|leastconn|first|random)\b/;

export function slotsGrowAtRuntime(service: Service): boolean {
  return !service.sticky && DYNAMIC_BALANCE.test(service.balance);
}

/** The options every slot of the backend carries, free or filled, so a filled-in slot behaves alike. */
function serverOptions(service: Service, index: number): string {
  const check = service.healthCheck;
  const checkOptions = check === undefined ? '' : ` check inter ${check.intervalSeconds}s fall ${check.fall}${check.port !== undefined ? ` port ${check.port}` : ''}`;
  const cookie = service.sticky ? ` cookie ${slotCookie(slotName(index), service.backend)}` : '';
  return `${checkOptions}${cookie}`;
}
