import { expect } from 'chai';
import type { DnsConfig } from '../config/dns-config';
import { ClusterView } from './cluster-view';
import type { DnsRecord } from './dns-record';
import { RecordCollector, recordValue } from './record-collector';
import {
  agent, config, FRAMEWORK_ID, framework, networkStatus, state, status, task, type TaskOptions,
} from './record-fixtures';
import { publicationPolicy, recordNaming } from './record-naming';
import { taskRecordInputs, type TaskExclusion } from './task-inputs';
import { NameCache } from './task-names';
import { buildTaskRecords, canonicalLabel } from './task-records';

const render = (records: readonly DnsRecord[]): string[] =>
  records.map((r) => `${r.name} ${r.type} ${r.type === 'SRV' ? `${r.srv.port} ${r.srv.target}` : recordValue(r)}`).sort();

/** The records of every task in a small cluster (agents S3 at 10.0.2.7 and S5 at 10.0.2.8). */
function records(tasks: TaskOptions[], overrides: Partial<DnsConfig> = {}): string[] {
  const settings = config({ perPortSrv: false, ...overrides });
  const view = new ClusterView(() => []);
  view.load(state({ agents: [agent(3, '10.0.2.7'), agent(5, '10.0.2.8')], tasks: tasks.map(task) }));
  const names = new NameCache(recordNaming(settings).label, settings.domain);
  const collector = new RecordCollector(settings.srvRecordDefaultWeight);
  for (const t of view.tasks()) {
    const inputs = taskRecordInputs(t, view, publicationPolicy(settings), names);
    if (typeof inputs !== 'string') buildTaskRecords(inputs, recordNaming(settings), collector);
  }
  return render(collector.records);
}

function exclusion(options: TaskOptions, overrides: Partial<DnsConfig> = {}, frameworks = [framework()]): TaskExclusion | undefined {
  const settings = config(overrides);
  const view = new ClusterView(() => []);
  view.load(state({ agents: [agent(3, '10.0.2.7')], frameworks, tasks: [task(options)] }));
  const [only] = [...view.tasks()];
  const outcome = taskRecordInputs(only!, view, publicationPolicy(settings), new NameCache(recordNaming(settings).label, 'mesos'));
  return typeof outcome === 'string' ? outcome : undefined;
}

const SHOP_1 = 'shop_web.7f3c2a10-5b1e-11ea-9c2d-0242ac110002';
const SHOP_2 = 'shop_web.0b9e44c2-5b1f-11ea-9c2d-0242ac110002';

describe('task records', () => {
  it('makes the records of discovery.md A.4 (app /shop/web, source host)', () => {
    const got = records([{ id: SHOP_1, agent: 3, ports: [[31005, 31005]] }, { id: SHOP_2, agent: 5, ports: [[31012, 31012]] }], { ipSources: ['host'] });
    expect(got).to.include.members([
      'web-shop.marathon.mesos A 10.0.2.7',
      'web-shop.marathon.mesos A 10.0.2.8',
      'web-shop-w19ez-s3.marathon.mesos A 10.0.2.7',
      'web-shop-a399r-s5.marathon.slave.mesos A 10.0.2.8',
      '_web-shop._tcp.marathon.mesos SRV 31005 web-shop-w19ez-s3.marathon.slave.mesos',
      '_web-shop._udp.marathon.slave.mesos SRV 31012 web-shop-a399r-s5.marathon.slave.mesos',
    ]);
  });

  it('makes exactly Mesos-DNS’ records for a task without DiscoveryInfo', () => {
    expect(records([{ id: SHOP_1, agent: 3, ports: [[31005, 31006]], statuses: [networkStatus(SHOP_1, ['172.17.0.5'])] }])).to.deep.equal([
      '_web-shop._tcp.marathon.mesos SRV 31005 web-shop-w19ez-s3.marathon.slave.mesos',
      '_web-shop._tcp.marathon.mesos SRV 31006 web-shop-w19ez-s3.marathon.slave.mesos',
      '_web-shop._tcp.marathon.slave.mesos SRV 31005 web-shop-w19ez-s3.marathon.slave.mesos',
      '_web-shop._tcp.marathon.slave.mesos SRV 31006 web-shop-w19ez-s3.marathon.slave.mesos',
      '_web-shop._udp.marathon.mesos SRV 31005 web-shop-w19ez-s3.marathon.slave.mesos',
      '_web-shop._udp.marathon.mesos SRV 31006 web-shop-w19ez-s3.marathon.slave.mesos',
      '_web-shop._udp.marathon.slave.mesos SRV 31005 web-shop-w19ez-s3.marathon.slave.mesos',
      '_web-shop._udp.marathon.slave.mesos SRV 31006 web-shop-w19ez-s3.marathon.slave.mesos',
      'web-shop-w19ez-s3.marathon.mesos A 172.17.0.5',
      'web-shop-w19ez-s3.marathon.slave.mesos A 10.0.2.7',
      'web-shop.marathon.mesos A 172.17.0.5',
      'web-shop.marathon.slave.mesos A 10.0.2.7',
    ]);
  });

  it('adds _port<i> names per host port with perPortSrv, bound to the agent target', () => {
    const got = records([{ id: SHOP_1, agent: 3, ports: [[31005, 31006]] }], { perPortSrv: true });
    expect(got).to.include.members([
      '_port0._web-shop._tcp.marathon.mesos SRV 31005 web-shop-w19ez-s3.marathon.slave.mesos',
      '_port1._web-shop._tcp.marathon.mesos SRV 31006 web-shop-w19ez-s3.marathon.slave.mesos',
      '_port0._web-shop._udp.marathon.mesos SRV 31005 web-shop-w19ez-s3.marathon.slave.mesos',
      '_port1._web-shop._tcp.marathon.slave.mesos SRV 31006 web-shop-w19ez-s3.marathon.slave.mesos',
    ]);
    expect(got.filter((r) => r.startsWith('_port'))).to.have.length(8);
  });

  describe('with DiscoveryInfo', () => {
    const discovery = {
      visibility: 'FRAMEWORK' as const,
      name: 'web.shop',
      ports: { ports: [{ number: 8080, name: 'http', protocol: 'tcp' }, { number: 9090, name: 'Admin_UI' }, { number: 8443, protocol: 'TCP' }] },
    };

    it('publishes host ports under the agent subdomain only, and DiscoveryInfo ports (named too) under F.D', () => {
      const got = records([{ id: SHOP_1, agent: 3, ports: [[31005, 31005]], discovery }]);
      expect(got).to.include.members([
        '_web-shop._tcp.marathon.slave.mesos SRV 31005 web-shop-w19ez-s3.marathon.slave.mesos',
        '_web-shop._tcp.marathon.mesos SRV 8080 web-shop-w19ez-s3.marathon.mesos',
        '_http._web-shop._tcp.marathon.mesos SRV 8080 web-shop-w19ez-s3.marathon.mesos',
        // No protocol: both; a port name and a protocol are sanitised like any label.
        '_web-shop._udp.marathon.mesos SRV 9090 web-shop-w19ez-s3.marathon.mesos',
        '_admin-ui._web-shop._tcp.marathon.mesos SRV 9090 web-shop-w19ez-s3.marathon.mesos',
        '_admin-ui._web-shop._udp.marathon.mesos SRV 9090 web-shop-w19ez-s3.marathon.mesos',
        '_web-shop._tcp.marathon.mesos SRV 8443 web-shop-w19ez-s3.marathon.mesos',
      ]);
      expect(got).to.not.include('_web-shop._tcp.marathon.mesos SRV 31005 web-shop-w19ez-s3.marathon.slave.mesos');
      expect(got.filter((r) => r.startsWith('_web-shop._udp.marathon.mesos'))).to.deep.equal(['_web-shop._udp.marathon.mesos SRV 9090 web-shop-w19ez-s3.marathon.mesos']);
    });

    it('also publishes the raw DiscoveryInfo name (Mesos-DNS’ legacy pass) when queries can reach it', () => {
      const got = records([{ id: SHOP_1, agent: 3, discovery }], { ipSources: ['host'] });
      expect(got).to.include.members([
        'web.shop.marathon.mesos A 10.0.2.7',
        'web.shop-w19ez-s3.marathon.slave.mesos A 10.0.2.7',
        '_http._web.shop._tcp.marathon.mesos SRV 8080 web.shop-w19ez-s3.marathon.mesos',
      ]);
      const upperCase = records([{ id: SHOP_1, agent: 3, discovery: { ...discovery, name: 'Web.Shop' } }], { ipSources: ['host'] });
      expect(upperCase.filter((r) => r.includes('web.shop'))).to.deep.equal([]);
      expect(upperCase).to.include('web-shop.marathon.mesos A 10.0.2.7');
    });

    it('takes T from the DiscoveryInfo name, not the task name', () => {
      const got = records([{ id: SHOP_1, name: 'something-else', agent: 3, discovery: { visibility: 'FRAMEWORK', name: 'api' } }], { ipSources: ['host'] });
      expect(got).to.include('api.marathon.mesos A 10.0.2.7');
      expect(got.some((r) => r.includes('something-else'))).to.equal(false);
    });

    it('numbers DiscoveryInfo ports by distinct port with perPortSrv (a tcp,udp port is one port)', () => {
      const marathonStyle = {
        visibility: 'FRAMEWORK' as const,
        name: 'dns',
        ports: { ports: [{ number: 31053, name: 'dns', protocol: 'udp' }, { number: 31053, name: 'dns', protocol: 'tcp' }, { number: 31080, protocol: 'tcp' }] },
      };
      const got = records([{ id: SHOP_1, agent: 3, ports: [[31053, 31053], [31080, 31080]], discovery: marathonStyle }], { perPortSrv: true });
      expect(got.filter((r) => r.startsWith('_port') && r.includes('.marathon.mesos SRV'))).to.deep.equal([
        '_port0._dns._tcp.marathon.mesos SRV 31053 dns-w19ez-s3.marathon.mesos',
        '_port0._dns._udp.marathon.mesos SRV 31053 dns-w19ez-s3.marathon.mesos',
        '_port1._dns._tcp.marathon.mesos SRV 31080 dns-w19ez-s3.marathon.mesos',
      ]);
    });
  });

  describe('IP sources', () => {
    const labelled = (key: string, ip: string) => status(SHOP_1, 'TASK_RUNNING', { labels: { labels: [{ key, value: ip }] } });

    it('take the newest TASK_RUNNING status by timestamp for netinfo', () => {
      const statuses = [networkStatus(SHOP_1, ['172.17.0.9'], 5), networkStatus(SHOP_1, ['172.17.0.5'], 9), status(SHOP_1, 'TASK_KILLING', { timestamp: 10 })];
      expect(records([{ id: SHOP_1, agent: 3, statuses }])).to.include('web-shop.marathon.mesos A 172.17.0.5');
    });

    it('walk the configured order and stop at the first source with an address', () => {
      const statuses = [labelled('MesosContainerizer.NetworkSettings.IPAddress', '172.18.0.2')];
      expect(records([{ id: SHOP_1, agent: 3, statuses }])).to.include('web-shop.marathon.mesos A 172.18.0.2');
      expect(records([{ id: SHOP_1, agent: 3, statuses }], { ipSources: ['host', 'mesos'] })).to.include('web-shop.marathon.mesos A 10.0.2.7');
      const docker = [labelled('Docker.NetworkSettings.IPAddress', '172.19.0.2')];
      expect(records([{ id: SHOP_1, agent: 3, statuses: docker }], { ipSources: ['docker', 'host'] })).to.include('web-shop.marathon.mesos A 172.19.0.2');
      // No source has an address: the agent names still resolve, the task names do not.
      const none = records([{ id: SHOP_1, agent: 3, statuses: [] }], { ipSources: ['netinfo'] });
      expect(none).to.deep.equal(['web-shop-w19ez-s3.marathon.slave.mesos A 10.0.2.7', 'web-shop.marathon.slave.mesos A 10.0.2.7']);
    });

    it('give IPv6 addresses AAAA records', () => {
      expect(records([{ id: SHOP_1, agent: 3, statuses: [networkStatus(SHOP_1, ['fd01:b::1:8000:2', '12.0.1.3'])] }])).to.include.members([
        'web-shop.marathon.mesos AAAA fd01:b::1:8000:2',
        'web-shop.marathon.mesos A 12.0.1.3',
      ]);
    });
  });

  it('adds PTR records with ptrOn for addresses the task has to itself only', () => {
    const own = records([{ id: SHOP_1, agent: 3, statuses: [networkStatus(SHOP_1, ['172.17.0.5'])] }], { ptrOn: true });
    expect(own.filter((r) => r.includes(' PTR '))).to.deep.equal(['5.0.17.172.in-addr.arpa PTR web-shop-w19ez-s3.marathon.mesos']);
    const shared = records([{ id: SHOP_1, agent: 3 }], { ptrOn: true, ipSources: ['host'] });
    expect(shared.filter((r) => r.includes(' PTR '))).to.deep.equal([]);
  });

  it('sanitises names with RFC 952 when enforced', () => {
    const got = records([{ id: SHOP_1, name: '1st-very-long-application-name.group', agent: 3 }], { enforceRFC952: true, ipSources: ['host'] });
    expect(got).to.include('st-very-long-application.marathon.mesos A 10.0.2.7');
  });

  it('cuts the task part of a canonical label that would pass 63 characters', () => {
    expect(canonicalLabel('web-shop', 'w19ez-s3')).to.equal('web-shop-w19ez-s3');
    const long = `${'a'.repeat(50)}-${'b'.repeat(12)}`;
    const cut = canonicalLabel(long, 'w19ez-s3');
    expect(cut).to.have.length.at.most(63);
    expect(cut).to.equal(`${'a'.repeat(50)}-${'b'.repeat(3)}-w19ez-s3`);
    // Only the last label of a dotted (legacy) name counts.
    expect(canonicalLabel(`web.${'c'.repeat(60)}`, 'w19ez-s3')).to.equal(`web.${'c'.repeat(54)}-w19ez-s3`);
  });

  describe('which tasks get records', () => {
    const rows: Array<{ name: string; options: TaskOptions; config?: Partial<DnsConfig>; expect: TaskExclusion | undefined }> = [
      { name: 'a running task', options: { id: 't' }, expect: undefined },
      { name: 'a staging task', options: { id: 't', state: 'TASK_STAGING' }, expect: 'not-running' },
      { name: 'an unreachable task', options: { id: 't', state: 'TASK_UNREACHABLE' }, expect: 'not-running' },
      { name: 'a killing task', options: { id: 't', state: 'TASK_KILLING' }, expect: 'killing' },
      { name: 'a killing task, health ignored', options: { id: 't', state: 'TASK_KILLING' }, config: { healthAware: false }, expect: 'killing' },
      { name: 'a task on an unknown agent', options: { id: 't', agent: 7 }, expect: 'unknown-agent' },
      { name: 'an unhealthy task', options: { id: 't', statuses: [status('t', 'TASK_RUNNING', { healthy: false })] }, expect: 'unhealthy' },
      { name: 'an unhealthy task, health ignored (Mesos-DNS)', options: { id: 't', statuses: [status('t', 'TASK_RUNNING', { healthy: false })] }, config: { healthAware: false }, expect: undefined },
      { name: 'a checked task before its first verdict', options: { id: 't', healthCheck: true }, expect: undefined },
      { name: 'a checked task before its first verdict, healthy required', options: { id: 't', healthCheck: true }, config: { requireHealthy: true }, expect: 'not-yet-healthy' },
      { name: 'a checked healthy task, healthy required', options: { id: 't', healthCheck: true, statuses: [status('t', 'TASK_RUNNING', { healthy: true })] }, config: { requireHealthy: true }, expect: undefined },
      { name: 'an unchecked task, healthy required', options: { id: 't' }, config: { requireHealthy: true }, expect: undefined },
      { name: 'a task whose name has no usable character', options: { id: 't', name: '$$$' }, expect: 'unnamed' },
    ];
    for (const row of rows) it(row.name, () => expect(exclusion(row.options, row.config)).to.equal(row.expect));

    it('a task of an unknown framework', () => {
      expect(exclusion({ id: 't', frameworkId: 'other' })).to.equal('unknown-framework');
      expect(exclusion({ id: 't' }, {}, [framework('$$', FRAMEWORK_ID)])).to.equal('unnamed');
    });
  });
});
