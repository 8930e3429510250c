// The Runtime API commands the sync layer sends, as text. Pure builders, so a caller can put many of
// them into one `RuntimeApi.execute()` batch (one connection for a whole membership change).

export interface ServerAddress {
  readonly ip: string;
  readonly port: number;
}

/** `ready` serves; `drain` keeps open sessions and takes no new ones; `maint` takes nothing. */
export type ServerAdminState = 'ready' | 'drain' | 'maint';

/** What `set server … health` forces; HAProxy only lets checks move it again afterwards. */
export type ServerHealth = 'up' | 'down';

/** Points a slot at an endpoint. Both parts in one command: HAProxy changes them together. */
export function setServerAddressCommand(backend: string, server: string, address: ServerAddress): string {
  return `set server ${serverRef(backend, server)} addr ${address.ip} port ${address.port}`;
}

export function setServerStateCommand(backend: string, server: string, state: ServerAdminState): string {
  return `set server ${serverRef(backend, server)} state ${state}`;
}

export function setServerHealthCommand(backend: string, server: string, health: ServerHealth): string {
  return `set server ${serverRef(backend, server)} health ${health}`;
}

export function setServerWeightCommand(backend: string, server: string, weight: number): string {
  return `set server ${serverRef(backend, server)} weight ${weight}`;
}

/** A new server in a running backend; `args` as on a `server` line (address, then keywords). */
export function addServerCommand(backend: string, server: string, args: string): string {
  return `add server ${serverRef(backend, server)} ${args}`;
}

/** An added server's checks do not run until enabled (HAProxy 2.6 management guide, `add server`). */
export function enableHealthCommand(backend: string, server: string): string {
  return `enable health ${serverRef(backend, server)}`;
}

/** `show servers state` takes one backend name or none (all backends). */
export function showServersStateCommand(backend?: string): string {
  return backend === undefined ? 'show servers state' : `show servers state ${backend}`;
}

export const SHOW_STAT_COMMAND = 'show stat';

function serverRef(backend: string, server: string): string {
  return `${backend}/${server}`;
}
