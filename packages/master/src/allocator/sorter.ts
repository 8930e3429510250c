import type { Resources } from '@tepui/protocol';

// Fairness as its own abstraction, after Mesos' src/master/allocator/mesos/sorter/sorter.hpp.
// A sorter orders *clients*: roles in the role sorter (paths like `eng/frontend`, where a parent's
// allocation includes its descendants) and frameworks in each role's framework sorter.
//
// Clients start inactive (as in Mesos' Sorter::add); only active clients appear in the order.
// Allocations are tracked as scalar quantities only, which is all a share needs.

export type SorterKind = 'drf' | 'random';

export interface Sorter {
  /** Adds an inactive client. Throws if it is already present. */
  add(client: string): void;
  /** Removes a client and releases its allocation from its ancestors. Unknown clients are ignored. */
  remove(client: string): void;
  contains(client: string): boolean;
  activate(client: string): void;
  deactivate(client: string): void;
  isActive(client: string): boolean;
  /** Number of active clients. */
  readonly activeCount: number;

  /** Replaces all weights (path → weight, default 1). Only hierarchical paths use them in practice. */
  setWeights(weights: ReadonlyMap<string, number>): void;
  weight(path: string): number;

  /** Records that `resources` on `agentId` were allocated to `client`; bumps its allocation count. */
  allocated(client: string, agentId: string, resources: Resources): void;
  /** Records that `resources` on `agentId` were released by `client`. */
  unallocated(client: string, agentId: string, resources: Resources): void;
  /**
   * The client's own allocated scalar quantities. For a path that is only a parent (not itself a
   * client), the sum over its descendants.
   */
  allocation(client: string): ReadonlyMap<string, number>;
  /** How many times `allocated` was called for the client (the DRF tie-breaker). */
  allocationCount(client: string): number;

  /** Active clients in fair order. Allocates an array; prefer `order()` in hot paths. */
  sort(): string[];
  /**
   * Active clients in fair order, produced lazily so a caller that stops early pays only for what it
   * read. The order is a snapshot: `allocated` calls made while iterating take effect next time.
   */
  order(): Iterable<string>;
  /** Every client, active or not, in no particular order. */
  clients(): string[];
}

export interface SorterOptions {
  /** Treat `/` in client names as role hierarchy (role sorter: true; framework sorters: false). */
  readonly hierarchical: boolean;
}
