// A running task's records, as Mesos-DNS makes them (records/generator.go, taskContextRecord), plus
// Tepui's per-port SRV names and PTR records. Notation: D domain, F framework, T task label, C the
// canonical label `T-<hash>-<agent tail>`.
//
//   T.F.D, C.F.D              A/AAAA  the task's addresses (first IP source with any)
//   T.F.slave.D, C.F.slave.D  A/AAAA  its agent's addresses, always
//   _T._tcp|_udp.F.slave.D    SRV     C.F.slave.D:<host port>, each port of its `ports` resources
//   _T._tcp|_udp.F.D          SRV     the same, only for a task without DiscoveryInfo
//   _T._<proto>.F.D           SRV     C.F.D:<number>, each DiscoveryInfo port (tcp and udp if unset)
//   _<name>._T._<proto>.F.D   SRV     the same, for a named DiscoveryInfo port
//
// Tepui, with perPortSrv: `_port<i>.` before each of those SRV names, for the i-th port (0-based)
// of the list it came from: the i-th host port under the names host ports use (the slave
// subdomain, and F.D too without DiscoveryInfo), the i-th distinct DiscoveryInfo port number under
// F.D. Each per-port name keeps its family's target: C.F.slave.D for a host port (the port is the
// agent's), C.F.D for a DiscoveryInfo port (the port is on the task's address). Named ports already
// get `_<name>.` from Mesos-DNS; Marathon tasks without DiscoveryInfo have no names, only `_port<i>`.
// With ptrOn: <reversed task address>.in-addr.arpa|ip6.arpa PTR C.F.D, only when the addresses are
// the task's own (not its agent's, which every task on that agent shares).
import type { RecordSink } from './dns-record';
import { reverseName } from './ip-addresses';
import type { RecordNaming } from './record-naming';
import type { DiscoveryPort, TaskRecordInputs } from './task-inputs';
import type { TaskNames } from './task-names';

/** Longest DNS label (RFC 1035 §2.3.4). */
const MAX_LABEL_LENGTH = 63;
const BOTH_PROTOCOLS: readonly string[] = ['tcp', 'udp'];

export function buildTaskRecords(inputs: TaskRecordInputs, naming: RecordNaming, sink: RecordSink): void {
  buildUnderNames(inputs, inputs.names, true, naming, sink);
  // Mesos-DNS' legacy pass: the same records under the raw DiscoveryInfo name; Tepui's additions
  // are not repeated there.
  if (inputs.legacyNames !== undefined) buildUnderNames(inputs, inputs.legacyNames, false, naming, sink);
}

/**
 * `T-<hash>-<tail>`. Mesos-DNS does not cut it, so a long task label made a label longer than DNS
 * allows, which no answer can carry; Tepui shortens the task part (dropping a dash left at its end).
 * `T` may hold dots (a legacy name): only its last label is counted and cut.
 */
export function canonicalLabel(label: string, suffix: string): string {
  const lastLabelLength = label.length - label.lastIndexOf('.') - 1;
  const excess = lastLabelLength + 1 + suffix.length - MAX_LABEL_LENGTH;
  if (excess <= 0) return `${label}-${suffix}`;
  return `${label.slice(0, label.length - excess).replace(/-+$/, '')}-${suffix}`;
}

function buildUnderNames(inputs: TaskRecordInputs, names: TaskNames, primary: boolean, naming: RecordNaming, sink: RecordSink): void {
  const canonical = canonicalLabel(names.label, inputs.canonicalSuffix);
  // The two names of this instance alone; built once and shared by every record that uses them.
  const canonicalName = canonical + names.domainTail;
  const agentCanonicalName = canonical + names.agentTail;

  for (const ip of inputs.taskIps) {
    sink.address(names.onDomain, ip);
    sink.address(canonicalName, ip);
  }
  for (const ip of inputs.agentIps) {
    sink.address(names.onAgent, ip);
    sink.address(agentCanonicalName, ip);
  }

  const perPort = primary && naming.perPortSrv;
  const withoutDiscovery = inputs.discoveryPorts === undefined;
  if (inputs.hostPorts.length > 0) {
    for (const protocol of BOTH_PROTOCOLS) {
      const srv = names.srv(protocol);
      inputs.hostPorts.forEach((port, i) => {
        sink.srv(srv.onAgent, agentCanonicalName, port);
        if (withoutDiscovery) sink.srv(srv.onDomain, agentCanonicalName, port);
        if (!perPort) return;
        sink.srv(srv.portOnAgent(i), agentCanonicalName, port);
        if (withoutDiscovery) sink.srv(srv.portOnDomain(i), agentCanonicalName, port);
      });
    }
  }

  const discoveryPorts = inputs.discoveryPorts ?? [];
  const portIndexes = perPort ? discoveryPortIndexes(discoveryPorts) : [];
  discoveryPorts.forEach((port, i) => {
    for (const protocol of protocolsOf(port)) {
      const srv = names.srv(protocol);
      sink.srv(srv.onDomain, canonicalName, port.number);
      if (port.name !== '') sink.srv(srv.namedPort(port.name), canonicalName, port.number);
      if (perPort) sink.srv(srv.portOnDomain(portIndexes[i]!), canonicalName, port.number);
    }
  });

  if (primary && naming.ptrOn && inputs.ownIps) {
    for (const ip of inputs.taskIps) sink.ptr(reverseName(ip), canonicalName);
  }
}

/**
 * The index of each DiscoveryInfo port among the task's distinct port numbers: Marathon lists a
 * `tcp,udp` port once per protocol, and it is still one port (`_port0._T._tcp` and `_port0._T._udp`).
 */
function discoveryPortIndexes(ports: readonly DiscoveryPort[]): number[] {
  const seen: number[] = [];
  return ports.map((port) => {
    let index = seen.indexOf(port.number);
    if (index < 0) index = seen.push(port.number) - 1;
    return index;
  });
}

function protocolsOf(port: DiscoveryPort): readonly string[] {
  return port.protocol === '' ? BOTH_PROTOCOLS : [port.protocol];
}
