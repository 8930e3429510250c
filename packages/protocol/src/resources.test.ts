import { expect } from 'chai';
import fc from 'fast-check';
import { InvalidResourceError, Resources } from './resources';
import type { Resource } from './mesos/values';

const cpus = (v: number, role?: string): Resource => ({ name: 'cpus', type: 'SCALAR', scalar: { value: v }, ...(role ? { role } : {}) });
const ports = (...r: Array<[number, number]>): Resource => ({ name: 'ports', type: 'RANGES', ranges: { range: r.map(([begin, end]) => ({ begin, end })) } });

describe('Resources', () => {
  describe('parse (Mesos --resources syntax)', () => {
    const rows: Array<{ text: string; expect: string; state?: Record<string, unknown> }> = [
      { text: 'cpus:4;mem:4096', expect: 'cpus:4;mem:4096', state: { cpus: 4, gpus: 0, mem: 4096, disk: 0 } },
      { text: 'cpus:1.5;ports:[31000-32000,33000-33100]', expect: 'cpus:1.5;ports:[31000-32000,33000-33100]' },
      { text: 'ports:[1-5,6-10, 20-30]', expect: 'ports:[1-10,20-30]', state: { cpus: 0, gpus: 0, mem: 0, disk: 0, ports: '[1-10, 20-30]' } },
      { text: 'bugs(debug):{a,b,c}', expect: 'bugs(debug):{a,b,c}' },
      { text: 'cpus(prod):2;cpus:1', expect: 'cpus:1;cpus(prod):2' },
      { text: ' cpus : 2 ; ', expect: 'cpus:2' },
      { text: '[{"name":"mem","type":"SCALAR","scalar":{"value":64}}]', expect: 'mem:64' },
    ];
    for (const row of rows) {
      it(`parses '${row.text}'`, () => {
        const r = Resources.parse(row.text);
        expect(r.toString()).to.equal(row.expect);
        if (row.state) expect(r.toStateJson()).to.deep.equal(row.state);
      });
    }
    for (const bad of ['cpus', 'cpus:-1', 'cpus:abc', 'ports:[5-1]', 'ports:[a-b]', 's:{a,b', '[{"name":"x"']) {
      it(`rejects '${bad}' with a message naming it`, () => {
        expect(() => Resources.parse(bad)).to.throw(InvalidResourceError);
      });
    }
    it('marks unreserved resources with role "*"', () => {
      expect(Resources.parse('cpus:1').toArray()).to.deep.equal([{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 }, role: '*' }]);
    });
  });

  describe('arithmetic', () => {
    it('adds and subtracts with three-decimal fixed point', () => {
      let r = Resources.EMPTY;
      for (let i = 0; i < 10; i++) r = r.plus(Resources.of([cpus(0.1)]));
      expect(r.scalar('cpus')).to.equal(1);
      for (let i = 0; i < 3; i++) r = r.minus(Resources.of([cpus(0.1)]));
      expect(r.scalar('cpus')).to.equal(0.7);
      expect(Resources.of([cpus(0.0004)]).isEmpty()).to.equal(true);
    });
    it('subtracts ranges and drops what becomes empty', () => {
      const r = Resources.of([ports([31000, 31010])]).minus(Resources.of([ports([31003, 31004], [31010, 31010])]));
      expect(r.ranges('ports')).to.deep.equal([{ begin: 31000, end: 31002 }, { begin: 31005, end: 31009 }]);
      expect(Resources.of([ports([1, 2])]).minus(Resources.of([ports([1, 2])])).isEmpty()).to.equal(true);
    });
    it('treats an absent role as "*" but keeps reservations and allocation roles apart', () => {
      const a = Resources.of([{ ...cpus(1), role: '*' }]);
      expect(a.contains(Resources.of([cpus(1)]))).to.equal(true);
      expect(a.contains(Resources.of([cpus(1, 'prod')]))).to.equal(false);
      expect(a.allocate('web').contains(Resources.of([cpus(1)]))).to.equal(false);
      expect(a.allocate('web').contains(Resources.of([{ ...cpus(1), allocation_info: { role: 'web' } }]))).to.equal(true);
      expect(a.allocate('web').unallocate().equals(a)).to.equal(true);
    });
    it('sums scalars by name and reports reservations', () => {
      const r = Resources.parse('cpus:1;cpus(prod):2;mem:10');
      expect(r.scalar('cpus')).to.equal(3);
      expect(r.unreserved().scalar('cpus')).to.equal(1);
      expect(r.reserved('prod').scalar('cpus')).to.equal(2);
      expect(Resources.reservationRole(r.reserved().toArray()[0]!)).to.equal('prod');
    });
    it('validates without throwing', () => {
      expect(Resources.validate([cpus(1)])).to.equal(undefined);
      expect(Resources.validate([cpus(-1)])).to.match(/negative/);
      expect(Resources.validate([{ name: 'x', type: 'SCALAR' }])).to.match(/no numeric value/);
      expect(Resources.validate([ports([5, 1])])).to.match(/begin 5 > end 1/);
    });
  });

  describe('properties', () => {
    const resource = fc.oneof(
      fc.record({ name: fc.constantFrom('cpus', 'mem', 'disk'), type: fc.constant('SCALAR' as const), scalar: fc.record({ value: fc.integer({ min: 0, max: 100000 }).map((n) => n / 1000) }) }),
      fc.record({ name: fc.constant('ports'), type: fc.constant('RANGES' as const), ranges: fc.record({ range: fc.array(fc.tuple(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 20 })).map(([b, len]) => ({ begin: b, end: b + len })), { maxLength: 4 }) }) }),
    );
    const bag = fc.array(resource, { maxLength: 6 }).map((list) => Resources.of(list as Resource[]));

    it('a + b − b = a for scalars and disjoint ranges', () => {
      fc.assert(fc.property(bag, bag, (a, b) => {
        const sum = a.plus(b);
        expect(sum.contains(a)).to.equal(true);
        expect(sum.contains(b)).to.equal(true);
        for (const name of ['cpus', 'mem', 'disk']) expect(sum.minus(b).scalar(name)).to.equal(a.scalar(name));
      }));
    });
    it('never drifts under repeated add/subtract', () => {
      fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 999 }), { minLength: 1, maxLength: 50 }), (steps) => {
        let r = Resources.of([cpus(10)]);
        for (const s of steps) r = r.plus(Resources.of([cpus(s / 1000)]));
        for (const s of steps) r = r.minus(Resources.of([cpus(s / 1000)]));
        expect(r.scalar('cpus')).to.equal(10);
      }));
    });
  });
});
