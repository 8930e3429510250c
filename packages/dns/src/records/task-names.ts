// Names built once and shared. Every instance of an app publishes under the same task names
// (`T.F.D`, `_T._tcp.F.D`, `_port0._T._tcp.F.slave.D`, …), so they are made once per task label and
// framework and the same string objects go to every record: a full load then builds only the
// per-instance (canonical) names, and the index finds shared names by a string whose hash V8 has
// already computed. Labels are memoised per raw name for the same reason.
import type { LabelFunction } from './labels';

/** SRV names of one task label under one protocol. */
export class SrvNames {
  /** `_T._<proto>.F.slave.D` */
  readonly onAgent: string;
  /** `_T._<proto>.F.D` */
  readonly onDomain: string;
  private readonly portsOnAgent: string[] = [];
  private readonly portsOnDomain: string[] = [];
  private readonly namedPorts = new Map<string, string>();

  constructor(label: string, protocol: string, framework: string, domain: string) {
    this.onAgent = `_${label}._${protocol}.${framework}.slave.${domain}`;
    this.onDomain = `_${label}._${protocol}.${framework}.${domain}`;
  }

  /** `_port<i>._T._<proto>.F.slave.D` */
  portOnAgent(i: number): string {
    return (this.portsOnAgent[i] ??= `_port${i}.${this.onAgent}`);
  }

  /** `_port<i>._T._<proto>.F.D` */
  portOnDomain(i: number): string {
    return (this.portsOnDomain[i] ??= `_port${i}.${this.onDomain}`);
  }

  /** `_<port name>._T._<proto>.F.D` */
  namedPort(portName: string): string {
    let name = this.namedPorts.get(portName);
    if (name === undefined) this.namedPorts.set(portName, (name = `_${portName}.${this.onDomain}`));
    return name;
  }
}

/** The names shared by every task published as label `T` of framework `F`. */
export class TaskNames {
  /** `T.F.D` */
  readonly onDomain: string;
  /** `T.F.slave.D` */
  readonly onAgent: string;
  /** `.F.D`: a canonical label plus this is the task's own name. */
  readonly domainTail: string;
  /** `.F.slave.D` */
  readonly agentTail: string;
  private readonly srvByProtocol = new Map<string, SrvNames>();

  constructor(readonly label: string, readonly framework: string, private readonly domain: string) {
    this.domainTail = `.${framework}.${domain}`;
    this.agentTail = `.${framework}.slave.${domain}`;
    this.onDomain = label + this.domainTail;
    this.onAgent = label + this.agentTail;
  }

  srv(protocol: string): SrvNames {
    let names = this.srvByProtocol.get(protocol);
    if (!names) this.srvByProtocol.set(protocol, (names = new SrvNames(this.label, protocol, this.framework, this.domain)));
    return names;
  }
}

/** Memoised labels and task names, kept for one full load (so names gone from the cluster go too). */
export class NameCache {
  private readonly labels = new Map<string, string>();
  private readonly fragments = new Map<string, string>();
  private readonly taskNames = new Map<string, Map<string, TaskNames>>();

  constructor(readonly label: LabelFunction, readonly domain: string) {}

  /** One label from a raw name (a task name, a port name, a protocol). */
  labelOf(name: string): string {
    let made = this.labels.get(name);
    if (made === undefined) this.labels.set(name, (made = this.label(name)));
    return made;
  }

  /** A framework name as dot-separated labels, empty parts dropped (Mesos-DNS' DomainFrag). */
  fragmentOf(name: string): string {
    let made = this.fragments.get(name);
    if (made === undefined) {
      made = name.split('.').map((part) => this.labelOf(part)).filter((part) => part !== '').join('.');
      this.fragments.set(name, made);
    }
    return made;
  }

  /** Nested by framework then label, both already-hashed memoised strings: no key to build. */
  taskNamesOf(label: string, framework: string): TaskNames {
    let ofFramework = this.taskNames.get(framework);
    if (!ofFramework) this.taskNames.set(framework, (ofFramework = new Map()));
    let names = ofFramework.get(label);
    if (!names) ofFramework.set(label, (names = new TaskNames(label, framework, this.domain)));
    return names;
  }
}
