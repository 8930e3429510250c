import { expect } from 'chai';
import fc from 'fast-check';
import type { DnsConfig } from '../config/dns-config';
import type { DnsRecord } from './dns-record';
import { RecordBook } from './record-book';
import {
  agent, agentAdded, agentRemoved, config, framework, frameworkAdded, frameworkRemoved, networkStatus, state,
  status, task, taskAdded, taskUpdated,
} from './record-fixtures';

const values = (records: readonly DnsRecord[]): string[] =>
  records.map((r) => (r.type === 'SRV' ? `${r.srv.target}:${r.srv.port}` : r.type === 'PTR' ? r.target : r.address)).sort();

const LEADER = { id: 'leader', ip: 0, port: 5050, address: { ip: '10.0.0.1', port: 5050 } };
const T1 = 'web.7f3c2a10';
const T2 = 'web.0b9e44c2';

function book(overrides: Partial<DnsConfig> = {}, nowMs = { value: 1_700_000_000_000 }) {
  const records = new RecordBook({
    config: config({ masters: ['10.0.0.1:5050'], ...overrides }), now: () => nowMs.value, interfaceAddresses: ['10.0.0.53'],
  });
  records.load(state({
    agents: [agent(3, '10.0.2.7'), agent(5, '10.0.2.8')],
    tasks: [
      task({ id: T1, name: 'web', agent: 3, ports: [[31005, 31005]], statuses: [networkStatus(T1, ['172.17.0.5'])] }),
      task({ id: T2, name: 'web', agent: 5, ports: [[31012, 31012]], statuses: [networkStatus(T2, ['172.17.0.6'])] }),
    ],
  }), LEADER);
  return records;
}

const webAddresses = (records: RecordBook) => values(records.lookup('web.marathon.mesos', 'A'));

describe('record book', () => {
  it('publishes tasks, agents, frameworks, masters and the SOA host from a full state', () => {
    const records = book();
    expect(webAddresses(records)).to.deep.equal(['172.17.0.5', '172.17.0.6']);
    expect(values(records.lookup('web.marathon.slave.mesos', 'A'))).to.deep.equal(['10.0.2.7', '10.0.2.8']);
    expect(values(records.lookup('_web._tcp.marathon.mesos', 'SRV'))).to.have.length(2);
    expect(values(records.lookup('slave.mesos', 'A'))).to.deep.equal(['10.0.2.7', '10.0.2.8']);
    expect(values(records.lookup('_slave._tcp.mesos', 'SRV'))).to.deep.equal(['slave.mesos:5051']);
    expect(values(records.lookup('marathon.mesos', 'A'))).to.deep.equal(['10.0.0.2']);
    expect(values(records.lookup('leader.mesos', 'A'))).to.deep.equal(['10.0.0.1']);
    expect(values(records.lookup('master0.mesos', 'A'))).to.deep.equal(['10.0.0.1']);
    expect(values(records.lookup('ns1.mesos', 'A'))).to.deep.equal(['10.0.0.53']);
    expect(records.serial).to.equal(1_700_000_000);
    expect(records.records.unmatchedRemovals).to.equal(0);
  });

  it('drops an unhealthy task and publishes it again once healthy', () => {
    const records = book();
    records.apply(taskUpdated(T1, 'TASK_RUNNING', { healthy: false }));
    expect(webAddresses(records)).to.deep.equal(['172.17.0.6']);
    expect(records.exists('web-bpzn8-s3.marathon.mesos')).to.equal(false);
    records.apply(taskUpdated(T1, 'TASK_RUNNING', { healthy: true, container_status: { network_infos: [{ ip_addresses: [{ ip_address: '172.17.0.5' }] }] } }));
    expect(webAddresses(records)).to.deep.equal(['172.17.0.5', '172.17.0.6']);
  });

  it('keeps publishing unhealthy tasks when not health aware, as Mesos-DNS does', () => {
    const records = book({ healthAware: false });
    records.apply(taskUpdated(T1, 'TASK_RUNNING', { healthy: false }));
    expect(webAddresses(records)).to.have.length(2);
  });

  it('drops a KILLING task, and a finished one', () => {
    const records = book();
    records.apply(taskUpdated(T1, 'TASK_KILLING'));
    expect(webAddresses(records)).to.deep.equal(['172.17.0.6']);
    records.apply(taskUpdated(T2, 'TASK_FINISHED'));
    expect(records.exists('web.marathon.mesos')).to.equal(false);
    expect(records.exists('_web._tcp.marathon.mesos')).to.equal(false);
    expect(records.records.unmatchedRemovals).to.equal(0);
  });

  it('keeps the tasks of agents a new leader has yet to see re-register, until they do or it forgets them', () => {
    const records = book();
    const recovering = state({ agents: [agent(5, '10.0.2.8')], frameworks: [], tasks: [] });
    const failedOver = { ...recovering, get_agents: { ...recovering.get_agents, recovered_agents: [agent(3, '10.0.2.7').agent_info] } };
    records.load(failedOver, LEADER);
    // Agent 3 is expected back: its task keeps its records; agent 5 is known to the new leader, without tasks.
    expect(webAddresses(records)).to.deep.equal(['172.17.0.5']);
    records.apply(taskAdded(task({ id: T1, name: 'web', agent: 3, ports: [[31005, 31005]], statuses: [networkStatus(T1, ['172.17.0.5'])] })));
    records.apply(agentAdded(agent(3, '10.0.2.7')));
    expect(webAddresses(records)).to.deep.equal(['172.17.0.5']);
    records.load(state({ agents: [agent(5, '10.0.2.8')], tasks: [] }), LEADER);
    expect(records.exists('web.marathon.mesos')).to.equal(false);
    expect(records.records.unmatchedRemovals).to.equal(0);
  });

  it('publishes a task once it runs', () => {
    const records = book();
    records.apply(taskAdded(task({ id: 'api.1', name: 'api', agent: 5, state: 'TASK_STAGING', statuses: [status('api.1', 'TASK_STAGING', {})] })));
    expect(records.exists('api.marathon.mesos')).to.equal(false);
    records.apply(taskUpdated('api.1', 'TASK_RUNNING', { container_status: { network_infos: [{ ip_addresses: [{ ip_address: '172.17.0.9' }] }] } }));
    expect(values(records.lookup('api.marathon.mesos', 'A'))).to.deep.equal(['172.17.0.9']);
  });

  it('waits for the first healthy report of a checked task with requireHealthy', () => {
    const records = book({ requireHealthy: true });
    records.apply(taskAdded(task({ id: 'api.1', name: 'api', agent: 5, healthCheck: true })));
    expect(records.exists('api.marathon.mesos')).to.equal(false);
    records.apply(taskUpdated('api.1', 'TASK_RUNNING', { healthy: true }));
    expect(values(records.lookup('api.marathon.mesos', 'A'))).to.deep.equal(['10.0.2.8']);
  });

  it('removes the records of an agent and its tasks when the agent goes, and restores them when it returns', () => {
    const records = book();
    records.apply(agentRemoved(3));
    expect(webAddresses(records)).to.deep.equal(['172.17.0.6']);
    expect(values(records.lookup('slave.mesos', 'A'))).to.deep.equal(['10.0.2.8']);
    records.apply(agentAdded(agent(3, '10.0.2.7')));
    expect(webAddresses(records)).to.deep.equal(['172.17.0.5', '172.17.0.6']);
    expect(records.records.unmatchedRemovals).to.equal(0);
  });

  it('moves a task’s agent-side names when its agent comes back at another address', () => {
    const records = book({ ipSources: ['host'] });
    records.apply(agentAdded(agent(3, '10.0.2.70')));
    expect(webAddresses(records)).to.deep.equal(['10.0.2.70', '10.0.2.8']);
    expect(values(records.lookup('slave.mesos', 'A'))).to.deep.equal(['10.0.2.70', '10.0.2.8']);
  });

  it('renames a framework’s tasks when the framework is renamed, and drops them with it', () => {
    const records = book();
    records.apply({ type: 'FRAMEWORK_UPDATED', framework_updated: { framework: framework('Marathon.Prod') } });
    expect(records.exists('web.marathon.mesos')).to.equal(false);
    expect(values(records.lookup('web.marathon.prod.mesos', 'A'))).to.have.length(2);
    expect(values(records.lookup('marathon.prod.mesos', 'A'))).to.deep.equal(['10.0.0.2']);
    records.apply(frameworkRemoved(framework('Marathon.Prod')));
    expect(records.exists('web.marathon.prod.mesos')).to.equal(false);
    expect(records.exists('marathon.prod.mesos')).to.equal(false);
  });

  it('publishes tasks that arrived before their framework once it is added', () => {
    const records = book();
    records.apply(taskAdded(task({ id: 'job.1', name: 'job', agent: 3, frameworkId: 'chronos-id' })));
    expect(records.exists('job.chronos.mesos')).to.equal(false);
    records.apply(frameworkAdded(framework('chronos', 'chronos-id', '10.0.0.3')));
    expect(values(records.lookup('job.chronos.mesos', 'A'))).to.deep.equal(['10.0.2.7']);
  });

  it('sanitises task and framework names', () => {
    const records = book();
    records.apply(frameworkAdded(framework('My_Cron Jobs', 'cron-id')));
    records.apply(taskAdded(task({ id: 'x.1', name: 'Nightly_Backup.DB', agent: 3, frameworkId: 'cron-id' })));
    expect(values(records.lookup('nightly-backup-db.my-cronjobs.mesos', 'A'))).to.deep.equal(['10.0.2.7']);
  });

  it('counts a record shared by two tasks once, and keeps it while either task has it', () => {
    const records = book({ ipSources: ['host'] });
    const sameAgent = task({ id: 'web.3', name: 'web', agent: 5, ports: [[31013, 31013]] });
    const before = records.size;
    records.apply(taskAdded(sameAgent));
    // Both T2 and web.3 give web.marathon.mesos → 10.0.2.8.
    expect(webAddresses(records)).to.deep.equal(['10.0.2.7', '10.0.2.8']);
    records.apply(taskUpdated(T2, 'TASK_FINISHED'));
    expect(webAddresses(records)).to.deep.equal(['10.0.2.7', '10.0.2.8']);
    records.apply(taskUpdated('web.3', 'TASK_KILLED'));
    expect(webAddresses(records)).to.deep.equal(['10.0.2.7']);
    expect(records.size).to.be.lessThan(before);
  });

  it('answers with a rotating order', () => {
    const records = book();
    const first = records.lookup('web.marathon.mesos', 'A')[0];
    const second = records.lookup('web.marathon.mesos', 'A')[0];
    expect(first).to.not.deep.equal(second);
  });

  it('moves the serial on a change only', () => {
    const now = { value: 1_700_000_000_000 };
    const records = book({}, now);
    now.value += 10_000;
    records.apply(taskUpdated(T1, 'TASK_RUNNING', { container_status: { network_infos: [{ ip_addresses: [{ ip_address: '172.17.0.5' }] }] } }));
    expect(records.serial, 'an update that changes no record').to.equal(1_700_000_000);
    records.apply(taskUpdated(T1, 'TASK_KILLING'));
    expect(records.serial).to.equal(1_700_000_010);
  });

  it('follows the leader', () => {
    const records = book();
    records.setLeader({ id: 'other', ip: 0, port: 5050, address: { ip: '10.0.0.4', port: 5050 } });
    expect(values(records.lookup('leader.mesos', 'A'))).to.deep.equal(['10.0.0.4']);
    expect(values(records.lookup('master1.mesos', 'A'))).to.deep.equal(['10.0.0.4']);
    expect(values(records.lookup('master.mesos', 'A'))).to.deep.equal(['10.0.0.1', '10.0.0.4']);
    records.setLeader(undefined);
    expect(records.exists('leader.mesos')).to.equal(false);
    expect(values(records.lookup('master0.mesos', 'A'))).to.deep.equal(['10.0.0.1']);
  });

  it('picks up agent addresses once the resolver knows their names', () => {
    let known: string[] = [];
    const records = new RecordBook({ config: config({ ipSources: ['host'] }), now: () => 0, resolveHost: () => known });
    records.load(state({ agents: [agent(3, 'agent-3.example.org')], tasks: [task({ id: T1, name: 'web', agent: 3 })] }));
    expect(records.exists('web.marathon.mesos')).to.equal(false);
    known = ['10.0.2.7'];
    records.refreshAddresses();
    expect(values(records.lookup('web.marathon.mesos', 'A'))).to.deep.equal(['10.0.2.7']);
  });

  it('serves the previous records until a new full state is built, then replaces them whole', () => {
    const records = book();
    const before = records.records;
    const summary = records.load(state({
      agents: [agent(3, '10.0.2.7')],
      tasks: [task({ id: 'api.1', name: 'api', agent: 3 }), task({ id: 'api.2', name: 'api', agent: 9 }), task({ id: 'api.3', name: 'api', state: 'TASK_STAGING' })],
    }));
    expect(records.records).to.not.equal(before);
    expect(before.exists('web.marathon.mesos'), 'the old index is left as it was').to.equal(true);
    expect(records.exists('web.marathon.mesos')).to.equal(false);
    expect(records.exists('api.marathon.mesos')).to.equal(true);
    expect(summary).to.deep.include({ tasks: 3, publishedTasks: 1, excluded: { 'unknown-agent': 1, 'not-running': 1 } });
    // SUBSCRIBED is a full load too.
    records.apply({ type: 'SUBSCRIBED', subscribed: { get_state: state({}) } });
    expect(records.exists('api.marathon.mesos')).to.equal(false);
    expect(values(records.lookup('leader.mesos', 'A')), 'the leader stays known').to.deep.equal(['10.0.0.1']);
  });

  it('enumerates frameworks and their published tasks in Mesos-DNS’ shape', () => {
    const records = book({ ipSources: ['host'] });
    records.apply(taskUpdated(T2, 'TASK_RUNNING', { healthy: false }));
    const { frameworks } = records.enumerate();
    expect(frameworks).to.have.length(1);
    expect(frameworks[0]).to.include({ name: 'marathon' });
    expect(frameworks[0]!.tasks.map((t) => [t.name, t.id])).to.deep.equal([['web', T1]]);
    expect(frameworks[0]!.tasks[0]!.records).to.deep.include.members([
      { name: 'web.marathon.mesos.', host: '10.0.2.7', rtype: 'A' },
      { name: '_web._tcp.marathon.mesos.', host: 'web-bpzn8-s3.marathon.slave.mesos.:31005', rtype: 'SRV' },
    ]);
  });

  it('lists every record for AXFR in Mesos-DNS’ shape', () => {
    const records = book({ ipSources: ['host'] });
    const axfr = records.axfr();
    expect(axfr.As['web.marathon.mesos.']?.sort()).to.deep.equal(['10.0.2.7', '10.0.2.8']);
    expect(axfr.SRVs['_slave._tcp.mesos.']).to.deep.equal(['slave.mesos.:5051']);
    expect(axfr.AAAAs).to.deep.equal({});
    expect(axfr).to.not.have.property('PTRs');
    const withPtr = book({ ptrOn: true }).axfr();
    expect(withPtr.PTRs?.['5.0.17.172.in-addr.arpa.']).to.deep.equal(['web-bpzn8-s3.marathon.mesos.']);
  });

  it('ignores events it has nothing to do with', () => {
    const records = book();
    const before = records.size;
    records.apply({ type: 'HEARTBEAT' });
    records.apply({ type: 'UNKNOWN' });
    records.apply(taskUpdated('unknown-task', 'TASK_RUNNING'));
    expect(records.size).to.equal(before);
  });

  describe('what a full load changed', () => {
    const agents = [agent(3, '10.0.2.7'), agent(5, '10.0.2.8')];
    const webTask = (id: string, agentN: number, port: number) => task({ id, name: 'web', agent: agentN, ports: [[port, port]] });

    it('a resync that finds nothing new changes no name; one that does names only what moved', () => {
      const records = book();
      const before = records.generation;
      const same = state({ agents, tasks: [
        task({ id: T1, name: 'web', agent: 3, ports: [[31005, 31005]], statuses: [networkStatus(T1, ['172.17.0.5'])] }),
        task({ id: T2, name: 'web', agent: 5, ports: [[31012, 31012]], statuses: [networkStatus(T2, ['172.17.0.6'])] }),
      ] });
      records.load(same, LEADER);
      expect(records.generation).to.equal(before + 1);
      expect([...records.changedNames(before)!]).to.deep.equal([]);
      records.load(state({ agents, tasks: [
        task({ id: T1, name: 'web', agent: 3, ports: [[31005, 31005]], statuses: [networkStatus(T1, ['172.17.0.5'])] }),
      ] }), LEADER);
      const changed = [...records.changedNames(before)!];
      expect(changed).to.include('web.marathon.mesos');
      expect(changed).to.include('_web._tcp.marathon.mesos');
      expect(changed.every((name) => !name.startsWith('leader') && !name.startsWith('master'))).to.equal(true);
    });

    it('reports every name whose records differ between any two loads', () => {
      const TASKS = ['web.1', 'web.2', 'api.1', 'api.2'];
      const layout = fc.array(fc.record({ id: fc.constantFrom(...TASKS), agent: fc.constantFrom(3, 5), port: fc.constantFrom(31001, 31002) }), { maxLength: 4 });
      /** Every name's records, values sorted (the order a set was built in does not matter). */
      const held = (records: RecordBook): Map<string, string> => {
        const all = records.axfr();
        const entries = [...Object.entries(all.As ?? {}), ...Object.entries(all.AAAAs ?? {}), ...Object.entries(all.SRVs ?? {})];
        return new Map(entries.map(([name, values]) => [name, JSON.stringify([...values].sort())]));
      };
      fc.assert(fc.property(layout, layout, (first, second) => {
        const records = new RecordBook({ config: config({ masters: ['10.0.0.1:5050'] }), now: () => 1_700_000_000_000 });
        const load = (tasks: typeof first) => records.load(state({
          agents, tasks: tasks.map((t) => ({ ...webTask(t.id, t.agent, t.port), name: t.id.split('.')[0]! })),
        }), LEADER);
        load(first);
        const since = records.generation;
        const before = held(records);
        load(second);
        const after = held(records);
        // axfr names are fully qualified.
        const changed = new Set([...records.changedNames(since)!].map((name) => `${name}.`));
        return [...new Set([...before.keys(), ...after.keys()])].every((name) => before.get(name) === after.get(name) || changed.has(name));
      }), { numRuns: 300 });
    });
  });
});
