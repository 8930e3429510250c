// The services HAProxy should have: every app's services, minus the apps HAProxy's check refused,
// minus ports another app (or the LB) already binds. Claiming ports sorts every service, so the
// claimed list is kept between syncs and only patched in place while apps change membership alone;
// it is recomputed when an app gains, loses or moves a port, or is refused or forgiven.
import { excludePortConflicts, type AppServices } from '../config';
import type { ExcludedApp, LbSettings, Service } from '../model/service';

interface Claims {
  /** Sorted by backend name (the order the planner works in). */
  readonly services: Service[];
  readonly excluded: ExcludedApp[];
  readonly position: Map<string, number>;
}

export class DesiredServices {
  private readonly byApp = new Map<string, AppServices>();
  /** Apps left out because HAProxy's check refused what they produced, and why. */
  private readonly refusals = new Map<string, string>();
  private claims: Claims | undefined;

  constructor(private readonly settings: LbSettings) {}

  appIds(): IterableIterator<string> {
    return this.byApp.keys();
  }

  /** An app's services now; undefined when the app is gone. Forgives an earlier refusal. */
  set(appId: string, services: AppServices | undefined): void {
    const before = this.byApp.get(appId);
    if (services) this.byApp.set(appId, services);
    else this.byApp.delete(appId);
    if (this.refusals.delete(appId) || !before || !services || portsOf(before.services) !== portsOf(services.services)) {
      this.claims = undefined;
      return;
    }
    if (!this.claims) return;
    for (const service of services.services) {
      const at = this.claims.position.get(service.backend);
      if (at !== undefined) this.claims.services[at] = service;
    }
  }

  refuse(appId: string, reason: string): void {
    this.refusals.set(appId, reason);
    this.claims = undefined;
  }

  get refusedCount(): number {
    return this.refusals.size;
  }

  services(): readonly Service[] {
    return this.claimed().services;
  }

  excluded(): ExcludedApp[] {
    const excluded = [...this.byApp.values()].flatMap((s) => s.excluded).concat(this.claimed().excluded);
    for (const [appId, reason] of this.refusals) excluded.push({ appId, reason });
    return excluded.sort((a, b) => (a.appId < b.appId ? -1 : a.appId > b.appId ? 1 : 0));
  }

  private claimed(): Claims {
    if (this.claims) return this.claims;
    const candidates: Service[] = [];
    for (const [appId, entry] of this.byApp) if (!this.refusals.has(appId)) candidates.push(...entry.services);
    const { services, excluded } = excludePortConflicts(candidates, this.settings);
    services.sort((a, b) => (a.backend < b.backend ? -1 : a.backend > b.backend ? 1 : 0));
    this.claims = { services, excluded, position: new Map(services.map((s, i) => [s.backend, i])) };
    return this.claims;
  }
}

/** What port claims depend on: which backends bind which address and port. */
function portsOf(services: readonly Service[]): string {
  return services.map((s) => `${s.backend} ${s.bindAddress}:${s.servicePort}`).join(',');
}
