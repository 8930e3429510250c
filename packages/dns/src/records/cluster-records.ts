// Records that do not come from tasks (records/generator.go: frameworkRecords, slaveRecords,
// masterRecord, listenerRecord), D being the domain:
//
//   F.D                      A/AAAA  the framework's scheduler host
//   _framework._tcp.F.D      SRV     F.D:<scheduler port>, only when the port is known
//   slave.D                  A/AAAA  every agent
//   _slave._tcp.D            SRV     slave.D:<agent PID port>
//   leader.D                 A/AAAA  the leading master
//   _leader._tcp|_udp.D      SRV     leader.D:<leader port>
//   master.D                 A/AAAA  the leader and every configured master
//   master<N>.D              A/AAAA  configured masters in order; a leader not among them takes the next N
//   <SOAMname>               A/AAAA  the listener address, or this host's interfaces on 0.0.0.0
import type { MasterInfo } from '@tepui/protocol';
import type { AgentView, FrameworkView } from './cluster-view';
import type { RecordSink } from './dns-record';
import { canonicalIp, hostAddresses, joinHostPort, masterHostPort, splitHostPort, type ResolveHost } from './ip-addresses';
import type { NameCache } from './task-names';

export function buildAgentRecords(agent: AgentView, domain: string, sink: RecordSink): void {
  if (agent.ips.length === 0) return;
  const name = `slave.${domain}`;
  for (const ip of agent.ips) sink.address(name, ip);
  sink.srv(`_slave._tcp.${domain}`, name, agent.port);
}

export function buildFrameworkRecords(framework: FrameworkView, domain: string, names: NameCache, sink: RecordSink): void {
  const label = names.fragmentOf(framework.name);
  if (label === '' || framework.ips.length === 0) return;
  const name = `${label}.${domain}`;
  for (const ip of framework.ips) sink.address(name, ip);
  if (framework.port !== undefined) sink.srv(`_framework._tcp.${name}`, name, framework.port);
}

export interface MasterAddress {
  /** `host:port` as Mesos-DNS compares masters. */
  readonly endpoint: string;
  readonly ips: readonly string[];
  readonly port: number;
}

export interface MasterRecordInputs {
  readonly leader: MasterAddress | undefined;
  /** The configured masters that parse as `host:port`, in order. */
  readonly masters: readonly MasterAddress[];
}

export function masterRecordInputs(leader: MasterInfo | undefined, masters: readonly string[], resolveHost: ResolveHost): MasterRecordInputs {
  const address = (hostPort: { host: string; port: number }): MasterAddress => ({
    endpoint: joinHostPort(hostPort), ips: hostAddresses(hostPort.host, resolveHost), port: hostPort.port,
  });
  const configured: MasterAddress[] = [];
  for (const master of masters) {
    const hostPort = splitHostPort(master);
    if (hostPort) configured.push(address(hostPort));
  }
  return { leader: leader ? address(masterHostPort(leader)) : undefined, masters: configured };
}

/**
 * A configured master is the leader when it is spelled the same (Mesos-DNS' test) or, Tepui's
 * addition, when it is a hostname with the leader's port that resolves to one of the leader's addresses.
 */
function isLeader(master: MasterAddress, leader: MasterAddress | undefined): boolean {
  if (!leader) return false;
  return master.endpoint === leader.endpoint || (master.port === leader.port && master.ips.some((ip) => leader.ips.includes(ip)));
}

export function buildMasterRecords(inputs: MasterRecordInputs, domain: string, sink: RecordSink): void {
  const { leader } = inputs;
  const allMasters = `master.${domain}`;
  const inAllMasters = new Set<string>();
  const addToAllMasters = (ips: readonly string[]): boolean => {
    let added = false;
    for (const ip of ips) {
      if (inAllMasters.has(ip)) continue;
      inAllMasters.add(ip);
      sink.address(allMasters, ip);
      added = true;
    }
    return added;
  };

  if (leader && leader.ips.length > 0) {
    const leaderName = `leader.${domain}`;
    for (const ip of leader.ips) sink.address(leaderName, ip);
    addToAllMasters(leader.ips);
    sink.srv(`_leader._tcp.${domain}`, leaderName, leader.port);
    sink.srv(`_leader._udp.${domain}`, leaderName, leader.port);
  }

  let index = 0;
  let leaderNumbered = false;
  for (const master of inputs.masters) {
    const leading = isLeader(master, leader);
    // Mesos-DNS skips a master already in master.D (listed twice) and the leader listed twice. A
    // master whose name does not resolve yet keeps its number, so later masters' names stay put.
    if (!leading && !addToAllMasters(master.ips) && master.ips.length > 0) continue;
    if (leading && leaderNumbered) continue;
    const name = `master${index++}.${domain}`;
    for (const ip of master.ips) sink.address(name, ip);
    if (leading) leaderNumbered = true;
  }
  if (leader && !leaderNumbered) for (const ip of leader.ips) sink.address(`master${index}.${domain}`, ip);
}

/** The A/AAAA records of the name server named in the SOA record. */
export function buildNameserverRecords(
  soaMname: string, listener: string, interfaceAddresses: readonly string[], resolveHost: ResolveHost, sink: RecordSink,
): void {
  const listeningEverywhere = listener === '0.0.0.0' || listener === '::';
  const ips = listeningEverywhere ? interfaceAddresses.flatMap((ip) => canonicalIp(ip) ?? []) : hostAddresses(listener, resolveHost);
  for (const ip of new Set(ips)) sink.address(soaMname, ip);
}
