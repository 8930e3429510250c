// Where each endpoint sits in its backend. A backend has a fixed number of server slots (`s1`…`sN`);
// an endpoint keeps its slot while it lives, so joining, leaving and draining are Runtime API
// commands on one slot, and only a change of frontends, backends or slot counts needs a reload.
import type { Endpoint, Service } from './service';

export interface BackendLayout {
  readonly service: Service;
  /** Index i holds server `s<i+1>`; undefined = a free slot (disabled, address placeholder). */
  readonly slots: ReadonlyArray<Endpoint | undefined>;
}

/** Server name of the slot at `index` (0-based). */
export function slotName(index: number): string {
  return `s${index + 1}`;
}

/** The address free slots carry until the Runtime API gives them one (HAProxy needs some address). */
export const FREE_SLOT_ADDRESS = '127.0.0.1:1';
