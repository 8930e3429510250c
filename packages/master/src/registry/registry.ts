// What the leading master keeps durable (Mesos' registrar, src/master/registry.proto): the agents it
// admitted, those marked unreachable or gone, and the role weights, so that a newly elected master
// knows which agents to wait for. Operations are pure transitions of that state; a Registry applies
// them durably, and only while the writer's fence holds (a deposed master cannot overwrite the new
// leader's registry). The in-memory registry here is the standalone one: a restarted standalone
// master starts empty, as it always has; the ZooKeeper registry shares it across masters.
import type { Fence } from '@tepui/coordination';

export interface RegisteredAgent {
  readonly id: string;
  readonly hostname: string;
  readonly pid?: string;
}

export interface RegistryState {
  readonly admitted: readonly RegisteredAgent[];
  /** Unreachable since (ms since the epoch). */
  readonly unreachable: ReadonlyArray<RegisteredAgent & { readonly since: number }>;
  readonly gone: readonly string[];
  readonly weights: Readonly<Record<string, number>>;
}

export const EMPTY_REGISTRY: RegistryState = { admitted: [], unreachable: [], gone: [], weights: {} };

export type RegistryOperation =
  | { readonly type: 'ADMIT_AGENT'; readonly agent: RegisteredAgent }
  | { readonly type: 'MARK_UNREACHABLE'; readonly agentId: string; readonly since: number }
  | { readonly type: 'MARK_REACHABLE'; readonly agent: RegisteredAgent }
  | { readonly type: 'MARK_GONE'; readonly agentId: string }
  | { readonly type: 'REMOVE_AGENT'; readonly agentId: string }
  | { readonly type: 'UPDATE_WEIGHTS'; readonly weights: Readonly<Record<string, number>> };

/** The registry after `op` (Mesos' AdmitSlave, MarkSlaveUnreachable, MarkSlaveReachable, MarkSlaveGone, RemoveSlave, UpdateWeights). */
export function applyRegistryOperation(state: RegistryState, op: RegistryOperation): RegistryState {
  return applyRegistryOperations(state, [op]);
}

/** The registry after `ops` in order: linear in the registry and the operations (a batch may hold thousands). */
export function applyRegistryOperations(state: RegistryState, ops: readonly RegistryOperation[]): RegistryState {
  const admitted = new Map(state.admitted.map((a) => [a.id, a]));
  const unreachable = new Map(state.unreachable.map((a) => [a.id, a]));
  const gone = new Set(state.gone);
  let weights = state.weights;
  // Map order is insertion order: an agent admitted again moves to the end, as in Mesos' list.
  const putLast = <T>(map: Map<string, T>, id: string, value: T) => {
    map.delete(id);
    map.set(id, value);
  };
  for (const op of ops) {
    switch (op.type) {
      case 'ADMIT_AGENT':
      case 'MARK_REACHABLE':
        putLast(admitted, op.agent.id, op.agent);
        unreachable.delete(op.agent.id);
        break;
      case 'MARK_UNREACHABLE': {
        const agent = admitted.get(op.agentId) ?? unreachable.get(op.agentId);
        if (!agent) break;
        admitted.delete(op.agentId);
        putLast(unreachable, op.agentId, { ...agent, since: op.since });
        break;
      }
      case 'MARK_GONE':
        admitted.delete(op.agentId);
        unreachable.delete(op.agentId);
        gone.add(op.agentId);
        break;
      case 'REMOVE_AGENT':
        admitted.delete(op.agentId);
        unreachable.delete(op.agentId);
        break;
      case 'UPDATE_WEIGHTS':
        weights = { ...weights, ...op.weights };
        break;
    }
  }
  return { admitted: [...admitted.values()], unreachable: [...unreachable.values()], gone: [...gone], weights };
}

/** A write from a registry user whose fence no longer holds: it is not the leader anymore. */
export class FencedWriteRefused extends Error {
  constructor(readonly reason: string) {
    super(`Registry write refused: this master no longer leads (${reason})`);
    this.name = 'FencedWriteRefused';
  }
}

export interface MasterRegistry {
  load(): Promise<RegistryState>;
  /** Applies `ops` durably, all or none; refused (FencedWriteRefused) once `fence` is revoked. */
  apply(ops: readonly RegistryOperation[], fence: Fence): Promise<void>;
}

/** The registry in memory: the standalone default, and one shared by masters of one test. */
export class MemoryRegistry implements MasterRegistry {
  private state: RegistryState = EMPTY_REGISTRY;

  async load(): Promise<RegistryState> {
    return this.state;
  }

  async apply(ops: readonly RegistryOperation[], fence: Fence): Promise<void> {
    const revoked = fence.revoked();
    if (revoked !== undefined) throw new FencedWriteRefused(revoked);
    this.state = applyRegistryOperations(this.state, ops);
  }
}
