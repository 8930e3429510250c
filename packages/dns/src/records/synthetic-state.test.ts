import { expect } from 'chai';
import { RecordBook } from './record-book';
import { config } from './record-fixtures';
import { syntheticState } from './synthetic-state';

describe('synthetic state', () => {
  it('makes N agents × M running tasks with distinct ids, agents and ports', () => {
    const made = syntheticState({ agents: 20, tasksPerAgent: 5, instancesPerApp: 4 });
    const tasks = made.get_tasks.tasks ?? [];
    expect(made.get_agents.agents).to.have.length(20);
    expect(tasks).to.have.length(100);
    expect(new Set(tasks.map((t) => t.task_id.value)).size).to.equal(100);
    expect(new Set(tasks.map((t) => t.name)).size).to.equal(25);
    const portsOn = (agentId: string) => tasks.filter((t) => t.agent_id.value === agentId)
      .flatMap((t) => t.resources.flatMap((r) => r.ranges?.range.map((range) => range.begin) ?? []));
    const firstAgent = portsOn(tasks[0]!.agent_id.value);
    expect(new Set(firstAgent).size).to.equal(firstAgent.length);
  });

  it('is deterministic and publishes every task', () => {
    expect(syntheticState({ agents: 3, tasksPerAgent: 2 })).to.deep.equal(syntheticState({ agents: 3, tasksPerAgent: 2 }));
    const book = new RecordBook({ config: config(), now: () => 0 });
    const summary = book.load(syntheticState({ agents: 50, tasksPerAgent: 4 }));
    expect(summary).to.deep.include({ tasks: 200, publishedTasks: 200, excluded: {} });
    expect(book.lookup('slave.mesos', 'A')).to.have.length(50);
    expect(book.lookup('app-0-group-0.marathon.mesos', 'A')).to.have.length(10);
  });
});
