// A cluster's worth of records for benchmarks: `apps` apps of `tasks` tasks each, named the way
// Mesos-DNS names them (app A records, per-task canonical names on agents, an SRV per app), and
// a dnsperf query file mixing them.
import { MemoryRecords } from './memory-records';

export interface SyntheticZone {
  readonly records: MemoryRecords;
  /** dnsperf's format: `<name> <type>` per line. */
  readonly queries: string;
  readonly names: number;
}

export function syntheticZone(apps: number, tasks: number, serial: number): SyntheticZone {
  const records = new MemoryRecords(serial);
  const lines: string[] = [];
  for (let app = 0; app < apps; app++) {
    const appName = `app-${app}.marathon.mesos`;
    for (let task = 0; task < tasks; task++) {
      const ip = `10.${app >> 8}.${app & 0xff}.${task + 1}`;
      const canonical = `app-${app}-t${task}-s${task}.marathon.slave.mesos`;
      records.a(appName, ip).a(canonical, ip).srv(`_app-${app}._tcp.marathon.mesos`, canonical, 31000 + task);
      lines.push(`${canonical} A`);
    }
    lines.push(`${appName} A`, `_app-${app}._tcp.marathon.mesos SRV`, `app-${app}.marathon.mesos AAAA`, `gone-${app}.marathon.mesos A`);
  }
  return { records, queries: `${lines.join('\n')}\n`, names: apps * (tasks + 2) };
}
