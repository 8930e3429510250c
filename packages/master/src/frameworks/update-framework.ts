// UPDATE_FRAMEWORK: synchronous and all-or-nothing (reference §1.3).
import type { FrameworkInfo, SchedulerCall } from '@tepui/protocol';
import { BadRequest } from '../errors';
import type { Master } from '../master';
import { frameworkRoles, type Framework } from './framework';
import { validateFrameworkInfo } from './framework-validation';
import { allocatorInfo } from './framework-lifecycle';
import { frameworkToOperatorJson } from './framework-json';

const IMMUTABLE: ReadonlyArray<keyof FrameworkInfo> = ['principal', 'user', 'checkpoint'];

export function updateFramework(master: Master, framework: Framework, call: NonNullable<SchedulerCall['update_framework']>): void {
  const info = call.framework_info;
  const invalid = validateFrameworkInfo(info);
  if (invalid) throw new BadRequest(`Invalid FrameworkInfo: ${invalid}`);
  for (const field of IMMUTABLE) {
    if (JSON.stringify(info[field]) !== JSON.stringify(framework.info[field])) {
      throw new BadRequest(`Updating 'FrameworkInfo.${field}' is unsupported`);
    }
  }
  const removedRoles = frameworkRoles(framework.info).filter((r) => !frameworkRoles(info).includes(r));
  framework.info = { ...info, id: { value: framework.id } };
  const suppressed = call.suppressed_roles ?? [];
  framework.suppressedRoles.clear();
  for (const role of suppressed) framework.suppressedRoles.add(role);
  for (const offer of master.offers.ofFramework(framework.id)) {
    if (removedRoles.includes(offer.role)) master.rescindOffer(offer.id);
  }
  master.allocator.updateFramework(framework.id, allocatorInfo(framework, suppressed));
  for (const agent of master.agents.values()) {
    if (agent.tasks.has(framework.id) || agent.executors.has(framework.id)) {
      master.sendToAgent(agent, { type: 'UPDATE_FRAMEWORK', framework_info: framework.info });
    }
  }
  master.publish(() => ({ type: 'FRAMEWORK_UPDATED', framework_updated: { framework: frameworkToOperatorJson(master, framework) } }));
  master.allocation.requestAllocation();
}
