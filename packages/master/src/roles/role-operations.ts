// The master's side of weights and roles: applies an UPDATE_WEIGHTS (or PUT /weights) and builds
// what /master/roles and GET_ROLES report from the live books.
import type { RoleInfo, WeightInfo } from '@tepui/protocol';
import type { Master } from '../master';
import { BadRequest } from '../errors';
import { offeredResources } from '../frameworks/framework-json';
import { roleViews, addQuantities, type FrameworkHoldings, type RoleView } from './role-view';
import { validateWeightInfos } from './weights';

/**
 * Sets the named roles' weights (the others keep theirs). As in Mesos, when one of them has
 * frameworks every outstanding offer is rescinded so the new shares apply at once.
 */
export function updateWeights(master: Master, infos: readonly WeightInfo[]): void {
  const validated = validateWeightInfos(infos);
  if (!validated.ok) throw new BadRequest(validated.error);
  master.weights.apply(validated.update);
  master.registrar.record({ type: 'UPDATE_WEIGHTS', weights: Object.fromEntries(validated.update) });
  master.allocator.setWeights(master.weights.current);
  master.log.info({ weights: Object.fromEntries(validated.update) }, 'weights updated');
  const roles = new Set(validated.update.map(([role]) => role));
  const activeRole = [...master.frameworks.values()].some((fw) => fw.roles.some((r) => roles.has(r)));
  if (activeRole) for (const offer of [...master.offers.all()]) master.rescindOffer(offer.id);
  master.allocation.requestAllocation();
}

function holdings(master: Master): FrameworkHoldings[] {
  return [...master.frameworks.values()].map((fw) => {
    const offered = offeredResources(master, fw);
    return { id: fw.id, roles: fw.roles, used: master.allocator.frameworkAllocation(fw.id).minus(offered), offered };
  });
}

export function currentRoleViews(master: Master): RoleView[] {
  return roleViews({
    weights: master.weights.current,
    frameworks: holdings(master),
    agentTotals: [...master.agents.values()].map((agent) => agent.total),
  });
}

/** One entry of `/master/roles` (src/master/readonly_handler.cpp). */
export function roleStateJson(view: RoleView): Record<string, unknown> {
  return {
    name: view.name,
    weight: view.weight,
    quota: { role: view.name, guarantee: {}, limit: {}, consumed: view.consumed },
    // Deprecated in Mesos in favour of allocated, offered and reserved, still emitted.
    resources: addQuantities(view.allocated, view.offered),
    allocated: view.allocated,
    offered: view.offered,
    reserved: view.reserved,
    frameworks: view.frameworks,
  };
}

/** mesos.v1.Role of GET_ROLES: `resources` are the allocated and offered cpus, mem, disk and gpus. */
export function roleInfo(view: RoleView): RoleInfo {
  const role: RoleInfo = { name: view.name, weight: view.weight };
  if (view.frameworks.length > 0) role.frameworks = view.frameworks.map((value) => ({ value }));
  const held = addQuantities(view.allocated, view.offered);
  const resources = ['cpus', 'disk', 'gpus', 'mem']
    .filter((name) => held[name] !== undefined)
    .map((name) => ({ name, type: 'SCALAR' as const, scalar: { value: held[name]! } }));
  if (resources.length > 0) role.resources = resources;
  return role;
}
