// Role weights as Mesos keeps them (src/master/weights_handler.cpp): UPDATE_WEIGHTS changes only
// the roles it names, each validated first (all or nothing), and GET_WEIGHTS, /weights and
// /roles report the current map, which starts from --weights.
import type { WeightInfo } from '@tepui/protocol';
import { validateRole } from '../frameworks/framework-validation';

export type WeightUpdate = ReadonlyArray<readonly [role: string, weight: number]>;

/** The validated update, or the message of Mesos' 400 for the first bad entry. */
export function validateWeightInfos(infos: readonly WeightInfo[]): { ok: true; update: WeightUpdate } | { ok: false; error: string } {
  const update: Array<[string, number]> = [];
  for (const info of infos) {
    const role = (info.role ?? '').trim();
    const roleError = validateRole(role);
    if (roleError) return { ok: false, error: `Failed to validate update weights request JSON: Invalid role '${role}': ${roleError}` };
    if (!(info.weight > 0)) {
      return { ok: false, error: `Failed to validate update weights request JSON for role '${role}': Invalid weight '${info.weight}': Weights must be positive` };
    }
    update.push([role, info.weight]);
  }
  return { ok: true, update };
}

export class RoleWeights {
  private readonly weights: Map<string, number>;

  constructor(initial: ReadonlyMap<string, number>) {
    this.weights = new Map(initial);
  }

  get current(): ReadonlyMap<string, number> {
    return this.weights;
  }

  /** Sets the named roles' weights; the others keep theirs. */
  apply(update: WeightUpdate): void {
    for (const [role, weight] of update) this.weights.set(role, weight);
  }

  /** WeightInfo list sorted by role (Mesos iterates its hashmap; sorted is stable for clients). */
  infos(): Array<{ weight: number; role: string }> {
    return [...this.weights.keys()].sort().map((role) => ({ weight: this.weights.get(role)!, role }));
  }
}
