// Addresses as the records need them: which record type an address gets, addresses from the
// `host:port` spellings Mesos uses (UPIDs, MasterInfo, the `masters` list), hostnames turned into
// addresses through an injected resolver (the record code does no I/O), and reverse (PTR) names.
import { isIP } from 'node:net';
import type { MasterInfo } from '@tepui/protocol';

/** Turns a hostname into its addresses; the shell fills it from a background DNS cache. */
export type ResolveHost = (hostname: string) => readonly string[];

export const NO_HOST_RESOLUTION: ResolveHost = () => [];

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

// How the URL parser spells an IPv4-mapped address: `::ffff:102:304` for 1.2.3.4.
const IPV4_MAPPED = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/;

/**
 * An IP literal in the one spelling records use (IPv6 compressed, lower case; an IPv4-mapped IPv6
 * address as IPv4, as Go's net.IP.To4 makes Mesos-DNS publish it); undefined for anything else.
 */
export function canonicalIp(text: string): string | undefined {
  const family = isIP(text);
  if (family === 4) return text;
  // A zone-scoped address (`fe80::1%eth0`) means nothing to another host.
  if (family !== 6 || text.includes('%')) return undefined;
  // The WHATWG URL parser serialises IPv6 hosts in RFC 5952 form, without any I/O.
  const compressed = new URL(`http://[${text}]/`).hostname.slice(1, -1);
  const mapped = IPV4_MAPPED.exec(compressed);
  if (!mapped) return compressed;
  const high = parseInt(mapped[1]!, 16);
  const low = parseInt(mapped[2]!, 16);
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

export function addressRecordType(ip: string): 'A' | 'AAAA' {
  return ip.includes(':') ? 'AAAA' : 'A';
}

/** A host's addresses: the literal itself, else what the resolver knows of the name, deduplicated. */
export function hostAddresses(host: string, resolveHost: ResolveHost): readonly string[] {
  if (host === '') return [];
  const literal = canonicalIp(host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host);
  if (literal !== undefined) return [literal];
  const found: string[] = [];
  for (const candidate of resolveHost(host)) {
    const ip = canonicalIp(candidate);
    if (ip !== undefined && !found.includes(ip)) found.push(ip);
  }
  return found;
}

/** `host:port` or `[v6]:port` → its parts; undefined when there is no numeric port. */
export function splitHostPort(text: string): HostPort | undefined {
  const match = /^(?:\[([^\]]*)\]|([^:]*)):(\d+)$/.exec(text);
  if (!match) return undefined;
  return { host: match[1] ?? match[2] ?? '', port: Number(match[3]) };
}

/** The address part of a libprocess UPID (`slave(1)@10.0.0.5:5051`). */
export function upidHostPort(pid: string): HostPort | undefined {
  const at = pid.indexOf('@');
  return at < 0 ? undefined : splitHostPort(pid.slice(at + 1));
}

/** MasterInfo.ip is IPv4 in network byte order read as a little-endian uint32; 0 means unset. */
function unpackIpv4(packed: number): string | undefined {
  if (!Number.isInteger(packed) || packed <= 0 || packed > 0xffffffff) return undefined;
  return [packed & 0xff, (packed >>> 8) & 0xff, (packed >>> 16) & 0xff, packed >>> 24].join('.');
}

/** Where a master is, from what it advertises: its address IP, else its packed IP, else its hostname. */
export function masterHostPort(info: MasterInfo): HostPort {
  const host = info.address?.ip ?? unpackIpv4(info.ip) ?? info.address?.hostname ?? info.hostname ?? '';
  return { host, port: info.address?.port ?? info.port };
}

/** `host:port` as Mesos-DNS compares masters (`[v6]:port` for IPv6). */
export function joinHostPort({ host, port }: HostPort): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The PTR owner name of a canonical address: `10.0.2.7` → `7.2.0.10.in-addr.arpa`, IPv6 by nibbles. */
export function reverseName(ip: string): string {
  if (!ip.includes(':')) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  const [head = '', tail = ''] = ip.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::')
    ? [...headGroups, ...new Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups]
    : headGroups;
  const nibbles = groups.map((group) => group.padStart(4, '0')).join('');
  return `${[...nibbles].reverse().join('.')}.ip6.arpa`;
}
