// Between being elected and having read its registry a master does not know which agents are gone
// or unreachable; an agent re-registering then would be taken for a new one (a gone agent let back
// in). Mesos drops such messages and lets agents retry; Tepui holds them here and lets them through
// once the registry is read, so that no retry interval is added to a failover.
export class RecoveryGate {
  private recovered = false;
  private waiting: Array<() => void> = [];

  isOpen(): boolean {
    return this.recovered;
  }

  /** The registry is read: what waited goes through, in the order it came. */
  open(): void {
    this.recovered = true;
    const waiting = this.waiting;
    this.waiting = [];
    for (const resolve of waiting) resolve();
  }

  /** Stopped leading: the next election recovers again. */
  close(): void {
    this.recovered = false;
  }

  whenOpen(): Promise<void> {
    if (this.recovered) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}
