import { expect } from 'chai';
import fc from 'fast-check';
import { Resources, type AppDefinition, type Offer, type Resource } from '@tepui/protocol';
import { constraintValueOf, placementOf, type PlacedInstance } from './constraints';
import { matchOffer, type MatchInput, type RejectionKind } from './offer-matcher';
import { app, offer, placed, ports, scalar, seeded, text } from './test-fixtures';

const match = (a: AppDefinition, o: Offer, extra: Partial<MatchInput> = {}) =>
  matchOffer({ app: a, offer: o, placed: [], needed: 1, random: seeded(1), ...extra });
const kinds = (r: { rejections: ReadonlyArray<{ reason: RejectionKind }> }): RejectionKind[] => r.rejections.map((x) => x.reason);
const taken = (resources: readonly Resource[], name: string): number => Resources.of(resources).scalar(name);

describe('offer matcher', () => {
  describe('resources (table)', () => {
    const rows: Array<{ name: string; app: Partial<AppDefinition>; resources: Resource[]; needed: number; launches: number; reasons: RejectionKind[] }> = [
      { name: 'fits one', app: {}, resources: [scalar('cpus', 1), scalar('mem', 128), ports([[31000, 31000]])], needed: 1, launches: 1, reasons: [] },
      { name: 'packs several while resources last', app: { cpus: 1, mem: 100 }, resources: [scalar('cpus', 3.5), scalar('mem', 1000), ports([[31000, 31010]])], needed: 5, launches: 3, reasons: ['InsufficientCpus'] },
      { name: 'stops at needed', app: { cpus: 0.1, mem: 10 }, resources: [scalar('cpus', 4), scalar('mem', 1000), ports([[31000, 31010]])], needed: 2, launches: 2, reasons: [] },
      { name: 'not enough memory', app: { mem: 256 }, resources: [scalar('cpus', 2), scalar('mem', 128), ports([[31000, 31010]])], needed: 1, launches: 0, reasons: ['InsufficientMemory'] },
      { name: 'not enough disk', app: { disk: 10 }, resources: [scalar('cpus', 2), scalar('mem', 1024), scalar('disk', 5), ports([[31000, 31010]])], needed: 1, launches: 0, reasons: ['InsufficientDisk'] },
      { name: 'gpus', app: { gpus: 1 }, resources: [scalar('cpus', 2), scalar('mem', 1024), ports([[31000, 31010]])], needed: 1, launches: 0, reasons: ['InsufficientGpus'] },
      { name: 'several shortfalls at once', app: { cpus: 8, mem: 8192 }, resources: [scalar('cpus', 2), scalar('mem', 1024)], needed: 1, launches: 0, reasons: ['InsufficientCpus', 'InsufficientMemory', 'InsufficientPorts'] },
      { name: 'fixed-point: 0.1 + 0.2 cpus fit in 0.3', app: { cpus: 0.1, mem: 0, portDefinitions: [] }, resources: [scalar('cpus', 0.3)], needed: 5, launches: 3, reasons: ['InsufficientCpus'] },
      { name: 'no ports needed', app: { portDefinitions: [] }, resources: [scalar('cpus', 1), scalar('mem', 128)], needed: 1, launches: 1, reasons: [] },
      { name: 'caps at maxInstancesPerOffer', app: { cpus: 0.1, mem: 1 }, resources: [scalar('cpus', 4), scalar('mem', 1000), ports([[31000, 31099]])], needed: 50, launches: 5, reasons: [] },
    ];
    for (const row of rows) {
      it(row.name, () => {
        const r = match(app(row.app), offer({ resources: row.resources }), { needed: row.needed, ...(row.name.startsWith('caps') ? { maxInstancesPerOffer: 5 } : {}) });
        expect(r.launches).to.have.length(row.launches);
        expect(kinds(r)).to.deep.equal(row.reasons);
      });
    }

    it('takes exactly the requested scalars, keeping roles and allocation info', () => {
      const o = offer({ resources: [{ ...scalar('cpus', 2), allocation_info: { role: 'web' } }, { ...scalar('mem', 512), allocation_info: { role: 'web' } }, { ...ports([[31000, 31001]]), allocation_info: { role: 'web' } }] });
      o.allocation_info = { role: 'web' };
      const [l] = match(app({ cpus: 0.5, mem: 64 }), o).launches;
      expect(taken(l!.resources, 'cpus')).to.equal(0.5);
      expect(taken(l!.resources, 'mem')).to.equal(64);
      expect(l!.resources.every((x) => x.allocation_info?.role === 'web')).to.equal(true);
      expect(l!.allocationRole).to.equal('web');
    });
  });

  describe('ports', () => {
    it('assigns dynamic ports from the offered ranges, distinct, for port 0', () => {
      const a = app({ portDefinitions: [{ port: 0 }, { port: 0 }, { port: 0 }] });
      const r = match(a, offer({ resources: [scalar('cpus', 4), scalar('mem', 4096), ports([[31000, 31001], [31005, 31005]])] }));
      expect(r.launches).to.have.length(1);
      expect([...r.launches[0]!.hostPorts].sort()).to.deep.equal([31000, 31001, 31005]);
      expect(Resources.of(r.launches[0]!.resources).ranges('ports')).to.deep.equal([{ begin: 31000, end: 31001 }, { begin: 31005, end: 31005 }]);
    });

    it('treats non-zero ports without requirePorts as dynamic host ports', () => {
      const a = app({ portDefinitions: [{ port: 10001 }] });
      const r = match(a, offer({ resources: [scalar('cpus', 4), scalar('mem', 4096), ports([[31000, 31000]])] }));
      expect(r.launches[0]!.hostPorts).to.deep.equal([31000]);
    });

    it('requirePorts needs the literal ports', () => {
      const a = app({ requirePorts: true, portDefinitions: [{ port: 31050 }, { port: 0 }] });
      const ok = match(a, offer({ resources: [scalar('cpus', 4), scalar('mem', 4096), ports([[31049, 31050]])] }));
      expect(ok.launches[0]!.hostPorts).to.deep.equal([31050, 31049]);
      const missing = match(a, offer({ resources: [scalar('cpus', 4), scalar('mem', 4096), ports([[31000, 31049]])] }));
      expect(missing.launches).to.have.length(0);
      expect(missing.rejections[0]).to.deep.include({ reason: 'InsufficientPorts', missing: [31050] });
    });

    it('a literal port fits only one instance per offer (collision)', () => {
      const a = app({ requirePorts: true, portDefinitions: [{ port: 31050 }], cpus: 0.1, mem: 1 });
      const r = match(a, offer({ resources: [scalar('cpus', 4), scalar('mem', 4096), ports([[31000, 31100]])] }), { needed: 3 });
      expect(r.launches).to.have.length(1);
      expect(kinds(r)).to.deep.equal(['InsufficientPorts']);
    });

    it('dynamic ports never reuse a literal port of the same instance', () => {
      const a = app({ requirePorts: true, portDefinitions: [{ port: 31000 }, { port: 0 }] });
      for (let seed = 0; seed < 20; seed++) {
        const r = match(a, offer({ resources: [scalar('cpus', 4), scalar('mem', 4096), ports([[31000, 31001]])] }), { random: seeded(seed) });
        expect(r.launches[0]!.hostPorts).to.deep.equal([31000, 31001]);
      }
    });

    it('runs out of dynamic ports across instances on one offer', () => {
      const a = app({ cpus: 0.1, mem: 1, portDefinitions: [{ port: 0 }, { port: 0 }] });
      const r = match(a, offer({ resources: [scalar('cpus', 4), scalar('mem', 4096), ports([[31000, 31004]])] }), { needed: 5 });
      expect(r.launches).to.have.length(2);
      expect(new Set(r.launches.flatMap((l) => l.hostPorts)).size).to.equal(4);
      expect(kinds(r)).to.deep.equal(['InsufficientPorts']);
    });

    it('bridge port mappings: hostPort 0 dynamic, fixed hostPort literal, no hostPort on container networks', () => {
      const bridge = app({
        networks: [{ mode: 'container/bridge' }], portDefinitions: [],
        container: { type: 'DOCKER', docker: { image: 'nginx' }, portMappings: [{ containerPort: 80, hostPort: 0 }, { containerPort: 443, hostPort: 31443 }] },
      });
      const r = match(bridge, offer({ resources: [scalar('cpus', 4), scalar('mem', 4096), ports([[31000, 31000], [31443, 31443]])] }));
      expect(r.launches[0]!.hostPorts).to.deep.equal([31000, 31443]);
      const overlay = app({
        networks: [{ mode: 'container', name: 'dcos' }], portDefinitions: [],
        container: { type: 'MESOS', portMappings: [{ containerPort: 80 }, { containerPort: 81, hostPort: 0 }] },
      });
      const o = match(overlay, offer({ resources: [scalar('cpus', 4), scalar('mem', 4096), ports([[31000, 31000]])] }));
      expect(o.launches[0]!.hostPorts).to.deep.equal([undefined, 31000]);
    });
  });

  describe('acceptedResourceRoles', () => {
    const mixed = [scalar('cpus', 1), scalar('mem', 128), ports([[31000, 31000]]), scalar('cpus', 2, 'prod'), scalar('mem', 1024, 'prod'), ports([[32000, 32000]], 'prod')];

    it('default: only unreserved resources', () => {
      const r = match(app({ cpus: 1.5 }), offer({ resources: mixed }));
      expect(kinds(r)).to.deep.equal(['InsufficientCpus']);
    });

    it('default also accepts the app role', () => {
      const r = match(app({ cpus: 2.5 }), offer({ resources: mixed }), { role: 'prod' });
      expect(r.launches).to.have.length(1);
      // reserved resources are used first
      expect(r.launches[0]!.resources.filter((x) => x.name === 'cpus').map((x) => [x.role, x.scalar?.value])).to.deep.equal([['prod', 2], ['*', 0.5]]);
    });

    it('only listed roles', () => {
      const r = match(app({ acceptedResourceRoles: ['prod'], cpus: 2 }), offer({ resources: mixed }));
      expect(r.launches).to.have.length(1);
      expect(r.launches[0]!.resources.every((x) => x.role === 'prod')).to.equal(true);
      expect(r.launches[0]!.hostPorts).to.deep.equal([32000]);
    });

    it('UnfulfilledRole when nothing in the offer has an accepted role', () => {
      const r = match(app({ acceptedResourceRoles: ['gpu'] }), offer({ resources: mixed }));
      expect(r.launches).to.have.length(0);
      expect(kinds(r)[0]).to.equal('UnfulfilledRole');
    });

    it('requirePorts only from accepted roles', () => {
      const r = match(app({ requirePorts: true, portDefinitions: [{ port: 32000 }] }), offer({ resources: mixed }));
      expect(kinds(r)).to.deep.equal(['InsufficientPorts']);
    });

    it('ignores revocable resources', () => {
      const r = match(app({ portDefinitions: [] }), offer({ resources: [{ ...scalar('cpus', 4), revocable: {} }, scalar('mem', 1024)] }));
      expect(kinds(r)).to.deep.equal(['InsufficientCpus']);
    });
  });

  describe('constraints', () => {
    it('re-evaluates constraints for each instance on the same offer', () => {
      const r = match(app({ cpus: 0.1, mem: 1, constraints: [['hostname', 'UNIQUE']] }), offer(), { needed: 3 });
      expect(r.launches).to.have.length(1);
      expect(r.rejections).to.have.length(1);
      expect(r.rejections[0]).to.deep.include({ reason: 'UnfulfilledConstraint', constraint: ['hostname', 'UNIQUE'] });
    });

    it('MAX_PER counts instances planned on this offer', () => {
      const a = app({ cpus: 0.1, mem: 1, constraints: [['rack', 'MAX_PER', '2']] });
      const r = match(a, offer({ attributes: [text('rack', 'r1')] }), { needed: 5, placed: [placed('other', [text('rack', 'r1')])] });
      expect(r.launches).to.have.length(1);
    });

    it('reports the constraint as data', () => {
      const r = match(app({ constraints: [['rack', 'LIKE', 'r[0-9]']] }), offer({ attributes: [text('rack', 'x1')] }));
      expect(r.rejections).to.deep.equal([{ reason: 'UnfulfilledConstraint', constraint: ['rack', 'LIKE', 'r[0-9]'], message: 'LIKE rack:r[0-9]: s1.example has rack=x1' }]);
    });
  });

  describe('properties', () => {
    const arbResource = fc.oneof(
      fc.record({ name: fc.constantFrom('cpus', 'mem', 'disk'), v: fc.integer({ min: 0, max: 4000 }), role: fc.constantFrom('*', 'prod') })
        .map(({ name, v, role }) => scalar(name, v / (name === 'cpus' ? 1000 : 1), role)),
      // A port is offered once: unreserved and reserved ports never overlap in a real offer.
      fc.record({ b: fc.integer({ min: 31000, max: 31050 }), n: fc.integer({ min: 0, max: 5 }), role: fc.constantFrom('*', 'prod') })
        .map(({ b, n, role }) => (role === '*' ? ports([[b, b + n]], role) : ports([[b + 100, b + 100 + n]], role))),
    );
    const arbApp = fc.record({
      cpus: fc.integer({ min: 1, max: 2000 }).map((m) => m / 1000),
      mem: fc.integer({ min: 0, max: 1500 }),
      disk: fc.integer({ min: 0, max: 500 }),
      portCount: fc.integer({ min: 0, max: 3 }),
      requirePorts: fc.boolean(),
      fixed: fc.integer({ min: 31000, max: 31060 }),
      roles: fc.constantFrom<string[] | undefined>(undefined, ['prod'], ['*', 'prod']),
      unique: fc.constantFrom<string | undefined>(undefined, 'hostname', 'rack'),
    }).map((s) => app({
      cpus: s.cpus, mem: s.mem, disk: s.disk, requirePorts: s.requirePorts,
      portDefinitions: Array.from({ length: s.portCount }, (_, i) => ({ port: i === 0 ? s.fixed : 0 })),
      ...(s.roles ? { acceptedResourceRoles: s.roles } : {}),
      constraints: s.unique ? [[s.unique, 'UNIQUE']] : [],
    }));
    const arbOffer = fc.record({
      resources: fc.array(arbResource, { maxLength: 8 }),
      host: fc.integer({ min: 0, max: 3 }),
      rack: fc.integer({ min: 0, max: 2 }),
    }).map(({ resources, host, rack }) => offer({ agent: `S${host}`, resources, attributes: [text('rack', `r${rack}`)] }));

    it('never takes more than the offer holds, and ports are distinct', () => {
      fc.assert(fc.property(arbApp, arbOffer, fc.integer({ min: 0, max: 8 }), fc.integer(), (a, o, needed, seed) => {
        const r = matchOffer({ app: a, offer: o, placed: [], needed, random: seeded(seed) });
        expect(r.launches.length).to.be.at.most(needed);
        const total = r.launches.reduce((acc, l) => acc.plus(Resources.of(l.resources)), Resources.EMPTY);
        expect(Resources.of(o.resources).contains(total)).to.equal(true);
        const hostPorts = r.launches.flatMap((l) => l.hostPorts).filter((p) => p !== undefined);
        expect(new Set(hostPorts).size).to.equal(hostPorts.length);
        for (const l of r.launches) {
          expect(taken(l.resources, 'cpus')).to.be.closeTo(a.cpus, 1e-9);
          expect(l.hostPorts).to.have.length(a.portDefinitions.length);
        }
        if (r.launches.length < needed) expect(r.rejections).to.not.be.empty;
      }), { numRuns: 300 });
    });

    it('never places a UNIQUE-violating pair across a stream of offers', () => {
      fc.assert(fc.property(arbApp, fc.array(arbOffer, { minLength: 1, maxLength: 8 }), fc.integer(), (a, offers, seed) => {
        const random = seeded(seed);
        const all: PlacedInstance[] = [];
        for (const o of offers) {
          const r = matchOffer({ app: a, offer: o, placed: all, needed: 10, random });
          all.push(...r.launches.map((l) => l.placement));
        }
        for (const [field, op] of a.constraints) {
          if (op !== 'UNIQUE') continue;
          const values = all.map((p) => (field === 'hostname' ? p.hostname : constraintValueOf(p.attributes.find((x) => x.name === field)!)));
          expect(new Set(values).size).to.equal(values.length);
        }
      }), { numRuns: 200 });
    });

    it('is deterministic for the same random source', () => {
      fc.assert(fc.property(arbApp, arbOffer, fc.integer(), (a, o, seed) => {
        const one = matchOffer({ app: a, offer: o, placed: [], needed: 4, random: seeded(seed) });
        const two = matchOffer({ app: a, offer: o, placed: [], needed: 4, random: seeded(seed) });
        expect(one).to.deep.equal(two);
      }), { numRuns: 100 });
    });
  });

  it('records where planned instances sit', () => {
    const o = offer({ agent: 'S7', attributes: [text('rack', 'r1')] });
    expect(match(app(), o).launches[0]!.placement).to.deep.equal(placementOf(o));
  });
});
