// Where to reach a leading master, from the MasterInfo a detector reports; and the MasterInfo of a
// master known only by `host:port` (a single `--master`), so one detector type serves both cases.
import type { MasterInfo } from '@tepui/protocol';
import { FixedLeaderDetector } from './standalone';

/** `host:port` of a master: its advertised address IP, else its hostname (as Mesos' detectors read it). */
export function masterEndpoint(info: MasterInfo): string {
  const host = info.address?.ip ?? info.address?.hostname ?? info.hostname ?? '';
  return `${host.includes(':') ? `[${host}]` : host}:${info.address?.port ?? info.port}`;
}

/** The same master, whichever detector reported it (ids are unique per master run). */
export const sameMaster = (a: MasterInfo, b: MasterInfo): boolean => a.id === b.id;

/** A detector that always reports the master at `hostPort` (`--master=host:port`). */
export function fixedMasterDetector(hostPort: string): FixedLeaderDetector<MasterInfo> {
  const match = /^\[?([^\]]*)\]?:(\d+)$/.exec(hostPort);
  if (!match) throw new Error(`Expected a master as host:port, got '${hostPort}'`);
  const [, host = '', port = '0'] = match;
  const info: MasterInfo = { id: hostPort, ip: 0, port: Number(port), hostname: host, address: { hostname: host, ip: host, port: Number(port) } };
  return new FixedLeaderDetector(info, sameMaster);
}
