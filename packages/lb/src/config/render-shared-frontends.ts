// The frontends every app shares (discovery.md B.4, items 3–5): vhost routing on the HTTP port,
// routing on `X-Marathon-App-Id`, and SNI routing on the HTTPS port. They are always written,
// even with no rules (HAProxy then answers 503), so an app gaining its first vhost changes rule
// lines, never the set of listening sockets.
import type { LbSettings, Service } from '../model/service';
import type { ConfigLines } from './config-lines';
import { appIdAclName, pathAclName, vhostAclName } from './names';
import { bindOn } from './render-backend';

/** `services` sorted by (appId, servicePort), as the file is. */
export function renderSharedFrontends(out: ConfigLines, services: readonly Service[], settings: LbSettings): void {
  const routed = vhostRoutes(services);
  renderHttpFrontend(out, routed, settings);
  renderAppIdFrontend(out, services, settings);
  if (settings.sslCerts.length > 0) renderHttpsFrontend(out, routed, settings);
}

interface VhostRoute {
  readonly service: Service;
  readonly hostAcl: string;
}

/**
 * Services with vhosts, highest backend weight first, then by name (marathon-lb's order: the
 * first matching `use_backend` wins, so path rules, weighted up, come before catch-alls).
 */
function vhostRoutes(services: readonly Service[]): VhostRoute[] {
  const withVhosts = services.filter((s) => s.vhosts.length > 0 && s.mode === 'http');
  const aclUsers = new Map<string, number>();
  for (const s of withVhosts) {
    const name = vhostAclName(s.vhosts[0], s.appId);
    aclUsers.set(name, (aclUsers.get(name) ?? 0) + 1);
  }
  return withVhosts
    .map((service) => {
      const name = vhostAclName(service.vhosts[0], service.appId);
      // Two ports of one app with the same first vhost would OR their host lists into one ACL.
      return { service, hostAcl: aclUsers.get(name) === 1 ? name : `${name}_${service.servicePort}` };
    })
    .sort((a, b) => b.service.backendWeight - a.service.backendWeight || compare(a.service.backend, b.service.backend));
}

function renderHttpFrontend(out: ConfigLines, routes: readonly VhostRoute[], settings: LbSettings): void {
  out.section('frontend marathon_http_in');
  out.add(`bind ${bindOn(settings.bindAddress, settings.httpPort)}`, 'mode http');
  // HAProxy runs every `redirect` before any `use_backend` (and warns when the file says
  // otherwise), so the redirects are written first.
  const ordered = [...routes.filter((r) => r.service.redirectToHttps), ...routes.filter((r) => !r.service.redirectToHttps)];
  for (const { service, hostAcl } of ordered) {
    out.owned(service.appId, () => {
      out.add(...service.vhosts.map((vhost) => `acl ${hostAcl} hdr(host) -i ${vhost}`));
      const pathAcl = declarePathAcl(out, service);
      const condition = `${hostAcl}${pathAcl}`;
      out.add(service.redirectToHttps ? `redirect scheme https code 301 if !{ ssl_fc } ${condition}` : `use_backend ${service.backend} if ${condition}`);
    });
  }
}

/** Only the first http port of each app answers to its app id (marathon-lb). */
function renderAppIdFrontend(out: ConfigLines, services: readonly Service[], settings: LbSettings): void {
  out.section('frontend marathon_http_appid_in');
  out.add(`bind ${bindOn(settings.bindAddress, settings.appIdPort)}`, 'mode http');
  const seen = new Set<string>();
  for (const service of services) {
    if (service.mode !== 'http' || seen.has(service.appId)) continue;
    seen.add(service.appId);
    const acl = appIdAclName(service.appId);
    out.owned(service.appId, () => out.add(`acl ${acl} hdr(x-marathon-app-id) -i ${service.appId}`, `use_backend ${service.backend} if ${acl}`));
  }
}

function renderHttpsFrontend(out: ConfigLines, routes: readonly VhostRoute[], settings: LbSettings): void {
  out.section('frontend marathon_https_in');
  const certs = settings.sslCerts.map((cert) => ` crt ${cert}`).join('');
  out.add(`bind ${bindOn(settings.bindAddress, settings.httpsPort)} ssl${certs}`, 'mode http');
  for (const { service } of routes) {
    // SNI carries no port, so a vhost written with one can only be matched on plain HTTP.
    const names = service.vhosts.filter((vhost) => !vhost.includes(':'));
    if (names.length === 0) continue;
    out.owned(service.appId, () => {
      const pathAcl = declarePathAcl(out, service);
      out.add(...names.map((vhost) => `use_backend ${service.backend} if { ssl_fc_sni ${vhost} }${pathAcl}`));
    });
  }
}

/** Declares the service's `path_beg` ACL if it has a path; returns the condition suffix. */
function declarePathAcl(out: ConfigLines, service: Service): string {
  if (service.path === undefined) return '';
  const acl = pathAclName(service.backend);
  out.add(`acl ${acl} path_beg ${service.path}`);
  return ` ${acl}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
