// IDs the master mints, in the shapes Mesos tools display (src/master/master.cpp).
import { randomUUID } from 'node:crypto';

export class MasterIds {
  readonly masterId: string = randomUUID();
  private frameworks = 0;
  private agents = 0;
  private offers = 0;

  /** `<masterId>-0000` */
  framework(): string {
    return `${this.masterId}-${String(this.frameworks++).padStart(4, '0')}`;
  }

  /** `<masterId>-S<N>` */
  agent(): string {
    return `${this.masterId}-S${this.agents++}`;
  }

  /** `<masterId>-O<N>` */
  offer(): string {
    return `${this.masterId}-O${this.offers++}`;
  }
}

/** MasterInfo.ip: the IPv4 address packed in network byte order, read as a little-endian uint32. */
export function packIpv4(ip: string): number {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) return 0;
  return ((parts[3]! << 24) | (parts[2]! << 16) | (parts[1]! << 8) | parts[0]!) >>> 0;
}
