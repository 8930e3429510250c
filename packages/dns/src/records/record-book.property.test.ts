// The record book's central promise: applying events one by one gives exactly the records a full
// rebuild from the resulting state gives. A model keeps the wire objects the master would report
// after each event; after a random run, a fresh book loads the model's state and both must agree.
import { expect } from 'chai';
import fc from 'fast-check';
import type { GetAgentsAgent, GetFrameworksFramework, OperatorEvent, Task, TaskState, TaskStatus } from '@tepui/protocol';
import { isTerminalState } from '@tepui/protocol';
import { RecordBook } from './record-book';
import { agent, agentIdOf, config, framework, state, task } from './record-fixtures';

const FRAMEWORKS = [framework('marathon', 'f0'), framework('chronos.batch', 'f1', '10.0.0.3')];
const STATES: TaskState[] = ['TASK_STAGING', 'TASK_RUNNING', 'TASK_RUNNING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_FINISHED', 'TASK_UNREACHABLE'];

const step = fc.oneof(
  fc.record({ kind: fc.constant('add-task' as const), task: fc.nat(7), agent: fc.nat(3), framework: fc.nat(1), app: fc.nat(2), port: fc.nat(3) }),
  fc.record({ kind: fc.constant('update' as const), task: fc.nat(7), state: fc.constantFrom(...STATES), healthy: fc.boolean(), ip: fc.nat(3) }),
  fc.record({ kind: fc.constant('add-agent' as const), agent: fc.nat(3), ip: fc.nat(1) }),
  fc.record({ kind: fc.constant('remove-agent' as const), agent: fc.nat(3) }),
  fc.record({ kind: fc.constant('add-framework' as const), framework: fc.nat(1) }),
  fc.record({ kind: fc.constant('remove-framework' as const), framework: fc.nat(1) }),
);
type Step = typeof step extends fc.Arbitrary<infer S> ? S : never;

/** The master's side: what GET_STATE would return after the same events. */
class Model {
  agents = new Map<number, GetAgentsAgent>([[0, agent(0, '10.0.2.1')], [1, agent(1, '10.0.2.2')]]);
  frameworks = new Map<number, GetFrameworksFramework>([[0, FRAMEWORKS[0]!]]);
  tasks = new Map<string, Task>();
  clock = 1;

  event(s: Step): OperatorEvent | undefined {
    switch (s.kind) {
      case 'add-task': {
        const id = `app${s.app}.${s.task}`;
        const added = task({ id, name: `app${s.app}`, agent: s.agent, frameworkId: `f${s.framework}`, state: 'TASK_STAGING', ports: [[31000 + s.port, 31000 + s.port]] });
        this.tasks.set(id, added);
        return { type: 'TASK_ADDED', task_added: { task: added } };
      }
      case 'update': {
        const current = [...this.tasks.values()].find((t) => t.task_id.value.endsWith(`.${s.task}`));
        if (!current) return undefined;
        // Health verdicts ride on every running status here: a full state keeps only the last status
        // per state, so a verdict followed by a verdict-less status of the same state is not in it.
        const status: TaskStatus = {
          task_id: current.task_id, state: s.state, timestamp: this.clock++,
          ...(s.state === 'TASK_RUNNING' ? { healthy: s.healthy, container_status: { network_infos: [{ ip_addresses: [{ ip_address: `172.17.0.${s.ip}` }] }] } } : {}),
        };
        const statuses = current.statuses ?? [];
        const last = statuses[statuses.length - 1];
        const next = { ...current, state: s.state, statuses: last?.state === s.state ? [...statuses.slice(0, -1), status] : [...statuses, status] };
        if (isTerminalState(s.state)) this.tasks.delete(current.task_id.value);
        else this.tasks.set(current.task_id.value, next);
        return { type: 'TASK_UPDATED', task_updated: { framework_id: current.framework_id, state: s.state, status } };
      }
      case 'add-agent': {
        const added = agent(s.agent, `10.0.${2 + s.ip}.${s.agent + 1}`);
        this.agents.set(s.agent, added);
        return { type: 'AGENT_ADDED', agent_added: { agent: added } };
      }
      case 'remove-agent':
        if (!this.agents.delete(s.agent)) return undefined;
        return { type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: agentIdOf(s.agent) } } };
      case 'add-framework':
        this.frameworks.set(s.framework, FRAMEWORKS[s.framework]!);
        return { type: 'FRAMEWORK_ADDED', framework_added: { framework: FRAMEWORKS[s.framework]! } };
      case 'remove-framework': {
        this.frameworks.delete(s.framework);
        for (const [id, t] of this.tasks) if (t.framework_id.value === `f${s.framework}`) this.tasks.delete(id);
        return { type: 'FRAMEWORK_REMOVED', framework_removed: { framework_info: FRAMEWORKS[s.framework]!.framework_info } };
      }
    }
  }

  state() {
    return state({ agents: [...this.agents.values()], frameworks: [...this.frameworks.values()], tasks: [...this.tasks.values()] });
  }
}

function everything(book: RecordBook): string[] {
  const axfr = book.axfr();
  return Object.entries({ ...axfr }).flatMap(([type, names]) =>
    Object.entries(names ?? {}).flatMap(([name, values]) => values.map((v) => `${type} ${name} ${v}`))).sort();
}

describe('record book: events against a full rebuild', () => {
  for (const perPortSrv of [false, true]) {
    it(`agree after any sequence of events (perPortSrv ${String(perPortSrv)}, PTR on)`, () => {
      const settings = config({ perPortSrv, ptrOn: true });
      fc.assert(fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const model = new Model();
        const incremental = new RecordBook({ config: settings, now: () => 0 });
        incremental.load(model.state());
        for (const s of steps) {
          const event = model.event(s);
          if (event) incremental.apply(event);
        }
        const rebuilt = new RecordBook({ config: settings, now: () => 0 });
        rebuilt.load(model.state());
        expect(everything(incremental)).to.deep.equal(everything(rebuilt));
        expect(incremental.size).to.equal(rebuilt.size);
        expect(incremental.records.unmatchedRemovals).to.equal(0);
      }), { numRuns: 300 });
    });
  }
});
