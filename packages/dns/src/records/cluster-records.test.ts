import { expect } from 'chai';
import type { MasterInfo } from '@tepui/protocol';
import {
  buildAgentRecords, buildFrameworkRecords, buildMasterRecords, buildNameserverRecords, masterRecordInputs,
} from './cluster-records';
import type { DnsRecord } from './dns-record';
import { labelFunction } from './labels';
import { RecordCollector, recordValue } from './record-collector';
import { NameCache } from './task-names';

const render = (records: readonly DnsRecord[]): string[] =>
  records.map((r) => `${r.name} ${r.type} ${r.type === 'SRV' ? `${r.srv.port} ${r.srv.target}` : recordValue(r)}`).sort();

function collect(build: (sink: RecordCollector) => void): string[] {
  const collector = new RecordCollector();
  build(collector);
  return render(collector.records);
}

const leaderAt = (host: string, port: number): MasterInfo => ({ id: 'leader', ip: 0, port, address: { ip: host, port } });

function masters(configured: string[], leader: MasterInfo | undefined, resolve = (_: string): string[] => []): string[] {
  return collect((sink) => buildMasterRecords(masterRecordInputs(leader, configured, resolve), 'foo.com', sink));
}

const LEADER_RECORDS = (ip: string, port: number) => [
  `_leader._tcp.foo.com SRV ${port} leader.foo.com`,
  `_leader._udp.foo.com SRV ${port} leader.foo.com`,
  `leader.foo.com ${ip.includes(':') ? 'AAAA' : 'A'} ${ip}`,
];

describe('cluster records', () => {
  it('publishes every agent under slave.D and its PID port under _slave._tcp.D', () => {
    const agentView = { id: 'a-S3', hostname: 'agent-3', host: '10.0.2.7', ips: ['10.0.2.7', '2001:db8::7'], port: 5051 };
    expect(collect((sink) => buildAgentRecords(agentView, 'mesos', sink))).to.deep.equal([
      '_slave._tcp.mesos SRV 5051 slave.mesos',
      'slave.mesos A 10.0.2.7',
      'slave.mesos AAAA 2001:db8::7',
    ]);
    expect(collect((sink) => buildAgentRecords({ ...agentView, ips: [] }, 'mesos', sink))).to.deep.equal([]);
  });

  it('publishes a framework at F.D, and _framework._tcp only when its port is known', () => {
    const names = new NameCache(labelFunction(false), 'mesos');
    const view = { id: 'f', name: 'Chronos with a space.prod', hostname: '10.0.0.2', ips: ['10.0.0.2'], port: undefined };
    expect(collect((sink) => buildFrameworkRecords(view, 'mesos', names, sink))).to.deep.equal(['chronoswithaspace.prod.mesos A 10.0.0.2']);
    expect(collect((sink) => buildFrameworkRecords({ ...view, port: 25501 }, 'mesos', names, sink))).to.include('_framework._tcp.chronoswithaspace.prod.mesos SRV 25501 chronoswithaspace.prod.mesos');
    expect(collect((sink) => buildFrameworkRecords({ ...view, ips: [] }, 'mesos', names, sink))).to.deep.equal([]);
  });

  describe('masters (the cases of Mesos-DNS’ TestMasterRecord)', () => {
    const rows: Array<{ name: string; configured: string[]; leader: MasterInfo; expect: string[] }> = [
      {
        name: 'a leader and no configured masters',
        configured: [], leader: leaderAt('0.0.0.6', 7),
        expect: [...LEADER_RECORDS('0.0.0.6', 7), 'master.foo.com A 0.0.0.6', 'master0.foo.com A 0.0.0.6'],
      },
      {
        name: 'an IPv6 leader',
        configured: [], leader: leaderAt('2001:db8::1', 7),
        expect: [...LEADER_RECORDS('2001:db8::1', 7), 'master.foo.com AAAA 2001:db8::1', 'master0.foo.com AAAA 2001:db8::1'],
      },
      {
        name: 'a single master, leader and configured',
        configured: ['0.0.0.6:7'], leader: leaderAt('0.0.0.6', 7),
        expect: [...LEADER_RECORDS('0.0.0.6', 7), 'master.foo.com A 0.0.0.6', 'master0.foo.com A 0.0.0.6'],
      },
      {
        name: 'a leader not configured takes the next number',
        configured: ['0.0.0.8:9'], leader: leaderAt('0.0.0.6', 7),
        expect: [...LEADER_RECORDS('0.0.0.6', 7), 'master.foo.com A 0.0.0.6', 'master.foo.com A 0.0.0.8', 'master0.foo.com A 0.0.0.8', 'master1.foo.com A 0.0.0.6'],
      },
      {
        name: 'a master configured twice counts once',
        configured: ['0.0.0.8:9', '0.0.0.8:9'], leader: leaderAt('0.0.0.6', 7),
        expect: [...LEADER_RECORDS('0.0.0.6', 7), 'master.foo.com A 0.0.0.6', 'master.foo.com A 0.0.0.8', 'master0.foo.com A 0.0.0.8', 'master1.foo.com A 0.0.0.6'],
      },
      {
        name: 'the leader configured last keeps its place',
        configured: ['0.0.0.8:9', '0.0.0.6:7'], leader: leaderAt('0.0.0.6', 7),
        expect: [...LEADER_RECORDS('0.0.0.6', 7), 'master.foo.com A 0.0.0.6', 'master.foo.com A 0.0.0.8', 'master0.foo.com A 0.0.0.8', 'master1.foo.com A 0.0.0.6'],
      },
      {
        name: 'the leader configured twice',
        configured: ['0.0.0.8:9', '0.0.0.6:7', '0.0.0.6:7'], leader: leaderAt('0.0.0.6', 7),
        expect: [...LEADER_RECORDS('0.0.0.6', 7), 'master.foo.com A 0.0.0.6', 'master.foo.com A 0.0.0.8', 'master0.foo.com A 0.0.0.8', 'master1.foo.com A 0.0.0.6'],
      },
      {
        name: 'the leader configured in the middle, with an IPv6 master',
        configured: ['0.0.0.8:9', '0.0.0.6:7', '[2001:db8::1]:0'], leader: leaderAt('0.0.0.6', 7),
        expect: [
          ...LEADER_RECORDS('0.0.0.6', 7), 'master.foo.com A 0.0.0.6', 'master.foo.com A 0.0.0.8', 'master.foo.com AAAA 2001:db8::1',
          'master0.foo.com A 0.0.0.8', 'master1.foo.com A 0.0.0.6', 'master2.foo.com AAAA 2001:db8::1',
        ],
      },
    ];
    for (const row of rows) it(row.name, () => expect(masters(row.configured, row.leader)).to.deep.equal([...row.expect].sort()));

    it('without a known leader, publishes the configured masters only', () => {
      expect(masters(['0.0.0.8:9', '0.0.0.6:7'], undefined)).to.deep.equal([
        'master.foo.com A 0.0.0.6', 'master.foo.com A 0.0.0.8', 'master0.foo.com A 0.0.0.8', 'master1.foo.com A 0.0.0.6',
      ]);
    });

    it('resolves configured hostnames, recognises the leader among them, and keeps numbers while a name is unresolved', () => {
      const resolve = (host: string) => (host === 'm2.example.org' ? ['0.0.0.6'] : []);
      expect(masters(['m1.example.org:5050', 'm2.example.org:5050', '0.0.0.9:5050'], leaderAt('0.0.0.6', 5050), resolve)).to.deep.equal([
        ...LEADER_RECORDS('0.0.0.6', 5050), 'master.foo.com A 0.0.0.6', 'master.foo.com A 0.0.0.9', 'master1.foo.com A 0.0.0.6', 'master2.foo.com A 0.0.0.9',
      ].sort());
    });

    it('reads the leader from its packed IPv4 when it advertises no address', () => {
      expect(masters([], { id: 'm', ip: 16777226, port: 5050 })).to.include('leader.foo.com A 10.0.0.1');
    });
  });

  it('publishes the SOA name server at the listener, or at every interface address on 0.0.0.0', () => {
    const ns = (listener: string, interfaces: string[] = []) => collect((sink) => buildNameserverRecords('ns1.mesos', listener, interfaces, () => [], sink));
    expect(ns('4.5.6.7')).to.deep.equal(['ns1.mesos A 4.5.6.7']);
    expect(ns('2001:db8::1')).to.deep.equal(['ns1.mesos AAAA 2001:db8::1']);
    expect(ns('127.0.0.1')).to.deep.equal(['ns1.mesos A 127.0.0.1']);
    expect(ns('0.0.0.0', ['10.0.0.53', 'fd00::53'])).to.deep.equal(['ns1.mesos A 10.0.0.53', 'ns1.mesos AAAA fd00::53']);
  });
});
