// GetFrameworks.Framework (master.proto) for the operator API and its event stream.
import { Resources, type GetFrameworksFramework, type Resource } from '@tepui/protocol';
import type { Master } from '../master';
import type { Framework } from './framework';

export function timeInfo(ms: number): { nanoseconds: number } {
  return { nanoseconds: Math.round(ms * 1e6) };
}

export function offeredResources(master: Master, framework: Framework): Resources {
  let sum = Resources.EMPTY;
  for (const offer of master.offers.ofFramework(framework.id)) sum = sum.plus(offer.resources);
  return sum;
}

export function usedResources(framework: Framework): Resources {
  const list: Resource[] = [];
  for (const task of framework.tasks.values()) {
    if (task.state !== 'TASK_FINISHED' && task.state !== 'TASK_FAILED' && task.state !== 'TASK_KILLED') list.push(...task.resources);
  }
  return Resources.of(list);
}

export function frameworkToOperatorJson(master: Master, framework: Framework): GetFrameworksFramework {
  const json: GetFrameworksFramework = {
    framework_info: framework.info,
    active: framework.active,
    connected: framework.connected,
    recovered: framework.recovered,
    registered_time: timeInfo(framework.registeredTime),
  };
  if (framework.reregisteredTime !== undefined) json.reregistered_time = timeInfo(framework.reregisteredTime);
  if (framework.unregisteredTime !== undefined) json.unregistered_time = timeInfo(framework.unregisteredTime);
  const allocated = master.allocator.frameworkAllocation(framework.id).toArray();
  if (allocated.length > 0) json.allocated_resources = allocated;
  const offered = offeredResources(master, framework).toArray();
  if (offered.length > 0) json.offered_resources = offered;
  return json;
}
