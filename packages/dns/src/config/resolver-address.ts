// An upstream resolver from the `resolvers` config: `ip` or `ip:port` (`[v6]:port` for IPv6 with a
// port), port 53 when none is given, as Mesos-DNS' NewForwarder normalises them.
import { isIP } from 'node:net';

export interface ResolverAddress {
  readonly host: string;
  readonly port: number;
  readonly family: 4 | 6;
  /** `host:port` as logs show it. */
  readonly label: string;
}

const DNS_PORT = 53;

function splitHostPort(text: string): { host: string; port: string | undefined } | undefined {
  if (isIP(text) !== 0) return { host: text, port: undefined };
  const bracketed = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(text);
  if (bracketed) return isIP(bracketed[1]) === 6 ? { host: bracketed[1], port: bracketed[2] } : undefined;
  const v4 = /^([0-9.]+):(\d{1,5})$/.exec(text);
  return v4 && isIP(v4[1]) === 4 ? { host: v4[1], port: v4[2] } : undefined;
}

export function parseResolverAddress(text: string): ResolverAddress {
  const split = splitHostPort(text);
  const port = split?.port === undefined ? DNS_PORT : Number(split.port);
  if (!split || port < 1 || port > 65535) throw new Error(`resolver '${text}' is not ip, ip:port or [ipv6]:port`);
  const family = isIP(split.host) === 6 ? 6 : 4;
  return { host: split.host, port, family, label: family === 6 ? `[${split.host}]:${port}` : `${split.host}:${port}` };
}
