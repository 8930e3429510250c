// How to get rid of an instance (Marathon's KillAction): a kill request only helps when Mesos can
// still answer it with a terminal status. An instance Mesos cannot reach (unreachable, unknown)
// would keep a deployment waiting forever, so it is forgotten at once; should its task show up
// again, it is a task Marathon does not know, and gets killed then. Pure.
import type { Instance } from '../instances/instance';

export type KillAction =
  /** Send KILL and wait for the terminal update, re-sending it until then. */
  | 'issue-kill'
  /** Forget it now: no terminal update will ever come. */
  | 'expunge'
  /** Its LAUNCH has not gone out yet: it never will, and the instance is forgotten instead. */
  | 'cancel-launch';

/** Conditions in which a kill request gets no terminal answer (Marathon's `wontRespondToKill`). */
const WONT_RESPOND: ReadonlySet<string> = new Set(['TASK_UNREACHABLE', 'TASK_UNKNOWN']);

export function killActionFor(instance: Pick<Instance, 'state'>, launchPending: boolean): KillAction {
  if (launchPending) return 'cancel-launch';
  if (WONT_RESPOND.has(instance.state)) return 'expunge';
  return 'issue-kill';
}
