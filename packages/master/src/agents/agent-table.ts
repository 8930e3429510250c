// The registered agents by id, indexed by pid too: an agent registering afresh at the pid of a
// registered one has restarted without its state, and finding that one must not cost a scan of
// every agent per registration (ten thousand agents registering meant fifty million comparisons).
import type { Agent } from './agent';

export class AgentTable extends Map<string, Agent> {
  private readonly byPid = new Map<string, Set<Agent>>();

  override set(id: string, agent: Agent): this {
    const previous = super.get(id);
    if (previous) this.unindex(previous);
    super.set(id, agent);
    let atPid = this.byPid.get(agent.pid);
    if (!atPid) this.byPid.set(agent.pid, (atPid = new Set()));
    atPid.add(agent);
    return this;
  }

  override delete(id: string): boolean {
    const previous = super.get(id);
    if (previous) this.unindex(previous);
    return super.delete(id);
  }

  override clear(): void {
    this.byPid.clear();
    super.clear();
  }

  /** The registered agents at this pid (at most one, but a table does not assume it). */
  atPid(pid: string): Agent[] {
    return [...(this.byPid.get(pid) ?? [])];
  }

  private unindex(agent: Agent): void {
    const atPid = this.byPid.get(agent.pid);
    atPid?.delete(agent);
    if (atPid?.size === 0) this.byPid.delete(agent.pid);
  }
}
