// The names haproxy.cfg uses for an app's proxies, ACLs and cookies, as marathon-lb spells them
// (discovery.md B.4), so dashboards and runbooks written for marathon-lb keep working.
import { createHash } from 'node:crypto';

/** `/shop/web` → `shop_web`: the app id as it appears inside proxy and ACL names. */
export function appNamePart(appId: string): string {
  return sanitise(appId.replace(/^\//, '').replace(/\//g, '_'));
}

/** Frontend and backend name of one service port: `/shop/web`, 10001 → `shop_web_10001`. */
export function backendName(appId: string, servicePort: number): string {
  return `${appNamePart(appId)}_${servicePort}`;
}

/**
 * The host ACL of a service in the shared vhost frontends: `host_` + the first vhost with every
 * character outside `[A-Za-z0-9-]` turned into `_`, + `_` + the app part
 * (`shop.example.org`, `/shop/web` → `host_shop_example_org_shop_web`).
 */
export function vhostAclName(firstVhost: string, appId: string): string {
  return `host_${firstVhost.replace(/[^A-Za-z0-9-]/g, '_')}_${appNamePart(appId)}`;
}

/** The `path_beg` ACL of a service with HAPROXY_{n}_PATH: `path_shop_web_10001`. */
export function pathAclName(backend: string): string {
  return `path_${backend}`;
}

/** The ACL on `X-Marathon-App-Id` in the app-id frontend: `/shop/web` → `app__shop_web`. */
export function appIdAclName(appId: string): string {
  return `app_${sanitise(appId.replace(/\//g, '_'))}`;
}

/**
 * The sticky-session cookie value of one server slot. marathon-lb hashes the server name, which
 * is unique across the file because it holds host, IP and port; slot names (`s1`) repeat in every
 * backend, so the backend name goes into the hash too. The value belongs to the slot, so a
 * client stuck to a slot follows whichever task fills it.
 */
export function slotCookie(serverName: string, backend: string): string {
  return createHash('sha1').update(`${serverName}${backend}`).digest('hex').slice(0, 10);
}

// Marathon ids are `[a-z0-9.-]` segments; anything else (which Marathon would have refused) must
// still not end up as syntax in the file.
function sanitise(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_');
}
