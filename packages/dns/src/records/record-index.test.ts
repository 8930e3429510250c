import { expect } from 'chai';
import fc from 'fast-check';
import type { DnsRecord } from './dns-record';
import { RecordIndex } from './record-index';

const addresses = (records: readonly DnsRecord[]): string[] => records.map((r) => ('address' in r ? r.address : ''));

function index(startMs = 1_700_000_000_000) {
  let nowMs = startMs;
  const idx = new RecordIndex({ now: () => nowMs, srvWeight: 3 });
  return { idx, advance: (ms: number) => (nowMs += ms) };
}

describe('record index', () => {
  it('keeps a record shared by two contributors until both take it back', () => {
    const { idx } = index();
    idx.adding.address('web-shop.marathon.mesos', '10.0.2.7');
    idx.adding.address('web-shop.marathon.mesos', '10.0.2.7');
    expect(idx.size).to.equal(1);
    idx.removing.address('web-shop.marathon.mesos', '10.0.2.7');
    expect(addresses(idx.lookup('web-shop.marathon.mesos', 'A'))).to.deep.equal(['10.0.2.7']);
    idx.removing.address('web-shop.marathon.mesos', '10.0.2.7');
    expect(idx.lookup('web-shop.marathon.mesos', 'A')).to.deep.equal([]);
    expect(idx.exists('web-shop.marathon.mesos')).to.equal(false);
    expect(idx.size).to.equal(0);
    expect(idx.unmatchedRemovals).to.equal(0);
  });

  it('says a name with records only below it exists (an empty non-terminal), until they go', () => {
    const { idx } = index();
    idx.adding.srv('_http._web._tcp.marathon.mesos', 'web-abcde-s1.marathon.mesos', 31000);
    idx.adding.address('web-abcde-s1.marathon.mesos', '10.0.2.7');
    for (const name of ['_web._tcp.marathon.mesos', '_tcp.marathon.mesos', 'marathon.mesos', 'mesos']) expect(idx.exists(name), name).to.equal(true);
    expect(idx.exists('_udp.marathon.mesos')).to.equal(false);
    // An intermediate name that gains records of its own and loses them again keeps existing while names stay below.
    idx.adding.srv('_web._tcp.marathon.mesos', 'web-abcde-s1.marathon.mesos', 31000);
    idx.removing.srv('_web._tcp.marathon.mesos', 'web-abcde-s1.marathon.mesos', 31000);
    expect(idx.exists('_web._tcp.marathon.mesos')).to.equal(true);
    idx.removing.srv('_http._web._tcp.marathon.mesos', 'web-abcde-s1.marathon.mesos', 31000);
    expect(idx.exists('_web._tcp.marathon.mesos')).to.equal(false);
    expect(idx.exists('_tcp.marathon.mesos')).to.equal(false);
    expect(idx.exists('marathon.mesos'), 'still has web-abcde-s1 below it').to.equal(true);
    idx.removing.address('web-abcde-s1.marathon.mesos', '10.0.2.7');
    expect(idx.exists('marathon.mesos')).to.equal(false);
    expect(idx.exists('mesos')).to.equal(false);
  });

  it('moves its generation on every stamped change, and only then', () => {
    const { idx } = index();
    const start = idx.generation;
    idx.stamp();
    expect(idx.generation).to.equal(start);
    idx.adding.address('a.mesos', '10.0.0.1');
    idx.stamp();
    expect(idx.generation).to.equal(start + 1);
    idx.removing.address('a.mesos', '10.0.0.1');
    idx.stamp();
    expect(idx.generation).to.equal(start + 2);
  });

  it('says a name exists when it owns records of another type (NODATA rather than NXDOMAIN)', () => {
    const { idx } = index();
    idx.adding.srv('_web-shop._tcp.marathon.mesos', 'web-shop-w19ez-s3.marathon.slave.mesos', 31005);
    idx.adding.address('web-shop.marathon.mesos', '2001:db8::7');
    expect(idx.exists('_web-shop._tcp.marathon.mesos')).to.equal(true);
    expect(idx.lookup('_web-shop._tcp.marathon.mesos', 'A')).to.deep.equal([]);
    expect(idx.exists('web-shop.marathon.mesos')).to.equal(true);
    expect(idx.lookup('web-shop.marathon.mesos', 'A')).to.deep.equal([]);
    expect(idx.lookup('web-shop.marathon.mesos', 'AAAA')).to.deep.equal([{ name: 'web-shop.marathon.mesos', type: 'AAAA', address: '2001:db8::7' }]);
    expect(idx.exists('nothing.marathon.mesos')).to.equal(false);
  });

  it('answers SRV with priority 0 and the configured weight, and PTR targets', () => {
    const { idx } = index();
    idx.adding.srv('_leader._tcp.mesos', 'leader.mesos', 5050);
    idx.adding.ptr('7.2.0.10.in-addr.arpa', 'web-shop-w19ez-s3.marathon.mesos');
    expect(idx.lookup('_leader._tcp.mesos', 'SRV')).to.deep.equal([
      { name: '_leader._tcp.mesos', type: 'SRV', srv: { priority: 0, weight: 3, port: 5050, target: 'leader.mesos' } },
    ]);
    expect(idx.lookup('7.2.0.10.in-addr.arpa', 'PTR')).to.deep.equal([
      { name: '7.2.0.10.in-addr.arpa', type: 'PTR', target: 'web-shop-w19ez-s3.marathon.mesos' },
    ]);
  });

  it('tells SRV values apart by port as well as target', () => {
    const { idx } = index();
    idx.adding.srv('_web._tcp.marathon.mesos', 'web-a.marathon.mesos', 80);
    idx.adding.srv('_web._tcp.marathon.mesos', 'web-a.marathon.mesos', 443);
    idx.removing.srv('_web._tcp.marathon.mesos', 'web-a.marathon.mesos', 80);
    expect(idx.lookup('_web._tcp.marathon.mesos', 'SRV').map((r) => (r.type === 'SRV' ? r.srv.port : 0))).to.deep.equal([443]);
  });

  it('rotates the order on every lookup (round robin)', () => {
    for (const count of [3, 12]) {
      const { idx } = index();
      const ips = Array.from({ length: count }, (_, i) => `10.0.0.${i + 1}`);
      for (const ip of ips) idx.adding.address('slave.mesos', ip);
      const firsts = Array.from({ length: count }, () => addresses(idx.lookup('slave.mesos', 'A')));
      expect(new Set(firsts.map((answer) => answer[0]))).to.have.property('size', count);
      for (const answer of firsts) expect([...answer].sort()).to.deep.equal([...ips].sort());
      expect(firsts[1]).to.deep.equal([...firsts[0]!.slice(1), firsts[0]![0]]);
    }
  });

  it('never lets a caller change what later lookups return', () => {
    const { idx } = index();
    for (let i = 1; i <= 10; i++) idx.adding.address('slave.mesos', `10.0.0.${i}`);
    const first = idx.lookup('slave.mesos', 'A');
    (first as DnsRecord[]).length = 0;
    expect(idx.lookup('slave.mesos', 'A')).to.have.length(10);
  });

  it('advances the serial to the clock’s second when stamped after a change, never backwards', () => {
    const { idx, advance } = index(1_700_000_000_500);
    expect(idx.serial).to.equal(0);
    idx.adding.address('a.mesos', '10.0.0.1');
    idx.stamp();
    expect(idx.serial).to.equal(1_700_000_000);
    advance(5000);
    idx.adding.address('a.mesos', '10.0.0.1');
    idx.stamp();
    expect(idx.serial, 'another reference changes no answer').to.equal(1_700_000_000);
    idx.removing.address('a.mesos', '10.0.0.1');
    idx.removing.address('a.mesos', '10.0.0.1');
    idx.stamp();
    expect(idx.serial).to.equal(1_700_000_005);
    const rebuilt = new RecordIndex({ now: () => 0, srvWeight: 1, serial: idx.serial });
    rebuilt.adding.address('a.mesos', '10.0.0.1');
    rebuilt.stamp();
    expect(rebuilt.serial).to.equal(1_700_000_005);
  });

  it('counts removals of records it never had instead of failing', () => {
    const { idx } = index();
    idx.removing.address('a.mesos', '10.0.0.1');
    idx.adding.address('a.mesos', '10.0.0.1');
    idx.removing.address('a.mesos', '10.0.0.2');
    expect(idx.unmatchedRemovals).to.equal(2);
    expect(idx.size).to.equal(1);
  });

  it('lists every name of a type with its values, SRV as target:port', () => {
    const { idx } = index();
    idx.adding.address('a.mesos', '10.0.0.1');
    idx.adding.address('a.mesos', '10.0.0.2');
    idx.adding.srv('_a._tcp.mesos', 'a.mesos', 80);
    expect(Object.fromEntries(idx.entries('A'))).to.deep.equal({ 'a.mesos': ['10.0.0.1', '10.0.0.2'] });
    expect(Object.fromEntries(idx.entries('SRV'))).to.deep.equal({ '_a._tcp.mesos': ['a.mesos:80'] });
    expect([...idx.entries('AAAA')]).to.deep.equal([]);
  });

  it('holds what a reference-counting model holds, whatever the order of adds and removes', () => {
    const op = fc.record({
      add: fc.boolean(),
      name: fc.constantFrom('a.mesos', 'b.mesos', '_s._tcp.mesos'),
      value: fc.integer({ min: 0, max: 60 }),
    });
    fc.assert(fc.property(fc.array(op, { maxLength: 400 }), (ops) => {
      const { idx } = index();
      const model = new Map<string, number>();
      for (const { add, name, value } of ops) {
        const srv = name.startsWith('_');
        const key = `${name} ${value}`;
        const refs = model.get(key) ?? 0;
        if (!add && refs === 0) continue;
        model.set(key, refs + (add ? 1 : -1));
        const sink = add ? idx.adding : idx.removing;
        if (srv) sink.srv(name, `t${value % 7}.mesos`, 1000 + value);
        else sink.address(name, `10.0.0.${value}`);
      }
      const live = [...model].filter(([, refs]) => refs > 0).map(([key]) => key);
      const held = ['a.mesos', 'b.mesos', '_s._tcp.mesos'].flatMap((name) =>
        idx.lookup(name, name.startsWith('_') ? 'SRV' : 'A').map((r) => `${name} ${r.type === 'SRV' ? r.srv.port - 1000 : addresses([r])[0]!.split('.')[3]}`));
      return idx.size === live.length && idx.unmatchedRemovals === 0 && held.sort().join() === live.sort().join();
    }), { numRuns: 300 });
  });

  describe('what changed since a generation', () => {
    it('names the owners of records added or gone, from the first stamp on; not a reference more to a record it had', () => {
      const { idx } = index();
      idx.adding.address('web.marathon.mesos', '10.0.0.1');
      idx.stamp();
      const loaded = idx.generation;
      expect(idx.changedNames(loaded - 1)).to.equal(undefined);
      expect([...idx.changedNames(loaded)!]).to.deep.equal([]);
      idx.adding.address('web.marathon.mesos', '10.0.0.1');
      idx.adding.srv('_api._tcp.marathon.mesos', 'api-1.marathon.slave.mesos', 31000);
      idx.stamp();
      idx.removing.address('web.marathon.mesos', '10.0.0.1');
      idx.stamp();
      expect([...idx.changedNames(loaded)!]).to.deep.equal(['_api._tcp.marathon.mesos']);
      idx.removing.address('web.marathon.mesos', '10.0.0.1');
      idx.adding.ptr('1.0.0.10.in-addr.arpa', 'web.marathon.mesos');
      idx.stamp();
      expect([...idx.changedNames(loaded)!].sort()).to.deep.equal(['1.0.0.10.in-addr.arpa', '_api._tcp.marathon.mesos', 'web.marathon.mesos']);
      expect([...idx.changedNames(idx.generation - 1)!].sort()).to.deep.equal(['1.0.0.10.in-addr.arpa', 'web.marathon.mesos']);
      expect(idx.changedNames(idx.generation + 1)).to.equal(undefined);
    });

    it('forgets the oldest changes past its bound, and then cannot say', () => {
      const { idx } = index();
      idx.adding.address('a.mesos', '10.0.0.1');
      idx.stamp();
      const loaded = idx.generation;
      for (let i = 0; i < 1100; i++) {
        idx.adding.address('a.mesos', `10.1.${i >> 8}.${i & 255}`);
        idx.stamp();
      }
      expect(idx.changedNames(loaded)).to.equal(undefined);
      expect([...idx.changedNames(idx.generation - 1000)!]).to.deep.equal(['a.mesos']);
    });

    it('tells every name whose records differ from what they were at that generation', () => {
      const NAMES = ['a.mesos', 'b.mesos', '_s._tcp.mesos'];
      const step = fc.record({ add: fc.boolean(), name: fc.constantFrom(...NAMES), value: fc.nat(5), stamp: fc.boolean() });
      fc.assert(fc.property(fc.array(step, { maxLength: 80 }), fc.nat(), (steps, pick) => {
        const { idx } = index();
        idx.adding.address('a.mesos', '10.0.0.1');
        idx.stamp();
        const refs = new Map<string, number>();
        const snapshot = () => new Map(NAMES.map((name) => [name, idx.lookup(name, name.startsWith('_') ? 'SRV' : 'A').map((r) => JSON.stringify(r)).sort().join()]));
        const snapshots = new Map([[idx.generation, snapshot()]]);
        for (const { add, name, value, stamp } of steps) {
          const key = `${name} ${value}`;
          if (!add && (refs.get(key) ?? 0) === 0) continue;
          refs.set(key, (refs.get(key) ?? 0) + (add ? 1 : -1));
          const sink = add ? idx.adding : idx.removing;
          if (name.startsWith('_')) sink.srv(name, `t${value}.mesos`, 1000 + value);
          else sink.address(name, `10.0.0.${value}`);
          if (stamp) {
            idx.stamp();
            snapshots.set(idx.generation, snapshot());
          }
        }
        idx.stamp();
        const now = snapshot();
        const generations = [...snapshots.keys()];
        const since = generations[pick % generations.length]!;
        const changed = new Set(idx.changedNames(since));
        return NAMES.every((name) => changed.has(name) || snapshots.get(since)!.get(name) === now.get(name));
      }), { numRuns: 300 });
    });
  });
});
