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
  const without = <T extends { id: string }>(list: readonly T[], id: string): T[] => list.filter((a) => a.id !== id);
  switch (op.type) {
    case 'ADMIT_AGENT':
    case 'MARK_REACHABLE':
      return { ...state, admitted: [...without(state.admitted, op.agent.id), op.agent], unreachable: without(state.unreachable, op.agent.id) };
    case 'MARK_UNREACHABLE': {
      const agent = state.admitted.find((a) => a.id === op.agentId) ?? state.unreachable.find((a) => a.id === op.agentId);
      if (!agent) return state;
      return { ...state, admitted: without(state.admitted, op.agentId), unreachable: [...without(state.unreachable, op.agentId), { ...agent, since: op.since }] };
    }
    case 'MARK_GONE':
      return {
        ...state, admitted: without(state.admitted, op.agentId), unreachable: without(state.unreachable, op.agentId),
        gone: state.gone.includes(op.agentId) ? state.gone : [...state.gone, op.agentId],
      };
    case 'REMOVE_AGENT':
      return { ...state, admitted: without(state.admitted, op.agentId), unreachable: without(state.unreachable, op.agentId) };
    case 'UPDATE_WEIGHTS':
      return { ...state, weights: { ...state.weights, ...op.weights } };
  }
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
  /** Applies `op` durably; refused (FencedWriteRefused) once `fence` is revoked. */
  apply(op: RegistryOperation, fence: Fence): Promise<void>;
}

/** The registry in memory: the standalone default, and one shared by masters of one test. */
export class MemoryRegistry implements MasterRegistry {
  private state: RegistryState = EMPTY_REGISTRY;

  async load(): Promise<RegistryState> {
    return this.state;
  }

  async apply(op: RegistryOperation, fence: Fence): Promise<void> {
    const revoked = fence.revoked();
    if (revoked !== undefined) throw new FencedWriteRefused(revoked);
    this.state = applyRegistryOperation(this.state, op);
  }
}
