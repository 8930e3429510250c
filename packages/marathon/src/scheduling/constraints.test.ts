import { expect } from 'chai';
import type { Attribute, Constraint } from '@tepui/protocol';
import { constraintMet, constraintValueOf, constraintsMet, placementOf, type PlacedInstance } from './constraints';
import { offer, placed, text } from './test-fixtures';

const rack = (v: string): Attribute => text('rack', v);
const at = (hostname: string, attributes: Attribute[] = [], extra: Partial<PlacedInstance> = {}): PlacedInstance => placed(hostname, attributes, extra);

interface Row {
  name: string;
  constraint: Constraint;
  offerAt: PlacedInstance;
  placed: PlacedInstance[];
  ok: boolean;
}

const rows: Row[] = [
  // UNIQUE
  { name: 'UNIQUE hostname, no instances', constraint: ['hostname', 'UNIQUE'], offerAt: at('a1'), placed: [], ok: true },
  { name: 'UNIQUE hostname, instance on another host', constraint: ['hostname', 'UNIQUE'], offerAt: at('a1'), placed: [at('a2')], ok: true },
  { name: 'UNIQUE hostname, instance on the same host', constraint: ['hostname', 'UNIQUE'], offerAt: at('a1'), placed: [at('a1')], ok: false },
  { name: 'UNIQUE @hostname spelling', constraint: ['@hostname', 'UNIQUE'], offerAt: at('a1'), placed: [at('a1')], ok: false },
  { name: 'UNIQUE attribute, same value on another host', constraint: ['rack', 'UNIQUE'], offerAt: at('a1', [rack('r1')]), placed: [at('a2', [rack('r1')])], ok: false },
  { name: 'UNIQUE attribute, other value', constraint: ['rack', 'UNIQUE'], offerAt: at('a1', [rack('r1')]), placed: [at('a2', [rack('r2')])], ok: true },
  { name: 'UNIQUE attribute, offer lacks it', constraint: ['rack', 'UNIQUE'], offerAt: at('a1'), placed: [], ok: false },
  // CLUSTER
  { name: 'CLUSTER value, match', constraint: ['rack', 'CLUSTER', 'r1'], offerAt: at('a1', [rack('r1')]), placed: [], ok: true },
  { name: 'CLUSTER value, mismatch', constraint: ['rack', 'CLUSTER', 'r1'], offerAt: at('a1', [rack('r2')]), placed: [], ok: false },
  { name: 'CLUSTER hostname value', constraint: ['hostname', 'CLUSTER', 'a1'], offerAt: at('a1'), placed: [], ok: true },
  { name: 'CLUSTER no value, first instance', constraint: ['rack', 'CLUSTER'], offerAt: at('a1', [rack('r2')]), placed: [], ok: true },
  { name: 'CLUSTER no value, follows the first instance', constraint: ['rack', 'CLUSTER'], offerAt: at('a1', [rack('r2')]), placed: [at('a2', [rack('r1')])], ok: false },
  { name: 'CLUSTER no value, same as first instance', constraint: ['rack', 'CLUSTER'], offerAt: at('a3', [rack('r1')]), placed: [at('a2', [rack('r1')])], ok: true },
  { name: 'CLUSTER offer lacks field', constraint: ['rack', 'CLUSTER'], offerAt: at('a1'), placed: [], ok: false },
  // GROUP_BY
  { name: 'GROUP_BY new value is always fine', constraint: ['rack', 'GROUP_BY'], offerAt: at('a1', [rack('r2')]), placed: [at('x', [rack('r1')]), at('y', [rack('r1')])], ok: true },
  { name: 'GROUP_BY no k: smallest group ok', constraint: ['rack', 'GROUP_BY'], offerAt: at('a1', [rack('r2')]), placed: [at('x', [rack('r1')]), at('y', [rack('r1')]), at('z', [rack('r2')])], ok: true },
  { name: 'GROUP_BY no k: bigger group rejected', constraint: ['rack', 'GROUP_BY'], offerAt: at('a1', [rack('r1')]), placed: [at('x', [rack('r1')]), at('y', [rack('r1')]), at('z', [rack('r2')])], ok: false },
  { name: 'GROUP_BY no k: first value fills', constraint: ['rack', 'GROUP_BY'], offerAt: at('a1', [rack('r1')]), placed: [at('x', [rack('r1')])], ok: true },
  { name: 'GROUP_BY k=2 waits for a second group', constraint: ['rack', 'GROUP_BY', '2'], offerAt: at('a1', [rack('r1')]), placed: [at('x', [rack('r1')])], ok: false },
  { name: 'GROUP_BY k=2 with two groups, even', constraint: ['rack', 'GROUP_BY', '2'], offerAt: at('a1', [rack('r1')]), placed: [at('x', [rack('r1')]), at('y', [rack('r2')])], ok: true },
  { name: 'GROUP_BY offer lacks field', constraint: ['rack', 'GROUP_BY'], offerAt: at('a1'), placed: [], ok: false },
  // MAX_PER
  { name: 'MAX_PER below max', constraint: ['rack', 'MAX_PER', '2'], offerAt: at('a1', [rack('r1')]), placed: [at('x', [rack('r1')])], ok: true },
  { name: 'MAX_PER at max', constraint: ['rack', 'MAX_PER', '2'], offerAt: at('a1', [rack('r1')]), placed: [at('x', [rack('r1')]), at('y', [rack('r1')])], ok: false },
  { name: 'MAX_PER other values do not count', constraint: ['rack', 'MAX_PER', '1'], offerAt: at('a1', [rack('r1')]), placed: [at('x', [rack('r2')])], ok: true },
  { name: 'MAX_PER hostname', constraint: ['hostname', 'MAX_PER', '1'], offerAt: at('a1'), placed: [at('a1')], ok: false },
  { name: 'MAX_PER not a number', constraint: ['rack', 'MAX_PER', 'x'], offerAt: at('a1', [rack('r1')]), placed: [], ok: false },
  // LIKE / UNLIKE: full-string regex match
  { name: 'LIKE full match', constraint: ['rack', 'LIKE', 'r[12]'], offerAt: at('a1', [rack('r1')]), placed: [], ok: true },
  { name: 'LIKE partial match is not a match', constraint: ['rack', 'LIKE', 'r'], offerAt: at('a1', [rack('r1')]), placed: [], ok: false },
  { name: 'LIKE alternation anchored as a whole', constraint: ['hostname', 'LIKE', 'a1|b1'], offerAt: at('b1x'), placed: [], ok: false },
  { name: 'LIKE offer lacks field', constraint: ['rack', 'LIKE', '.*'], offerAt: at('a1'), placed: [], ok: false },
  { name: 'LIKE invalid regex matches nothing', constraint: ['rack', 'LIKE', '('], offerAt: at('a1', [rack('r1')]), placed: [], ok: false },
  { name: 'UNLIKE non-matching value', constraint: ['rack', 'UNLIKE', 'r1'], offerAt: at('a1', [rack('r2')]), placed: [], ok: true },
  { name: 'UNLIKE matching value', constraint: ['rack', 'UNLIKE', 'r.*'], offerAt: at('a1', [rack('r2')]), placed: [], ok: false },
  { name: 'UNLIKE partial match accepted', constraint: ['rack', 'UNLIKE', 'r'], offerAt: at('a1', [rack('r2')]), placed: [], ok: true },
  { name: 'UNLIKE accepts an offer without the field', constraint: ['rack', 'UNLIKE', 'r1'], offerAt: at('a1'), placed: [], ok: true },
  // IS
  { name: 'IS text equal', constraint: ['rack', 'IS', 'r1'], offerAt: at('a1', [rack('r1')]), placed: [], ok: true },
  { name: 'IS text differs', constraint: ['rack', 'IS', 'r1'], offerAt: at('a1', [rack('r11')]), placed: [], ok: false },
  { name: 'IS scalar compared in scalar format', constraint: ['gen', 'IS', '2.50'], offerAt: at('a1', [{ name: 'gen', type: 'SCALAR', scalar: { value: 2.5 } }]), placed: [], ok: true },
  { name: 'IS scalar 3 vs 3.0', constraint: ['gen', 'IS', '3'], offerAt: at('a1', [{ name: 'gen', type: 'SCALAR', scalar: { value: 3.0 } }]), placed: [], ok: true },
  { name: 'IS offer lacks field', constraint: ['rack', 'IS', 'r1'], offerAt: at('a1'), placed: [], ok: false },
  // fault domain
  { name: '@zone UNIQUE', constraint: ['@zone', 'UNIQUE'], offerAt: at('a1', [], { region: 'eu', zone: 'z1' }), placed: [at('x', [], { region: 'eu', zone: 'z1' })], ok: false },
  { name: '@region IS', constraint: ['@region', 'IS', 'eu'], offerAt: at('a1', [], { region: 'eu', zone: 'z1' }), placed: [], ok: true },
  { name: '@region on an agent without a domain', constraint: ['@region', 'IS', 'eu'], offerAt: at('a1'), placed: [], ok: false },
  { name: 'unknown operator rejects', constraint: ['rack', 'NEAR', 'r1'], offerAt: at('a1', [rack('r1')]), placed: [], ok: false },
];

describe('constraints', () => {
  for (const row of rows) {
    it(`${row.name} → ${row.ok ? 'accept' : 'reject'}`, () => {
      expect(constraintMet(row.constraint, row.offerAt, row.placed).ok).to.equal(row.ok);
    });
  }

  it('explains a UNIQUE rejection with the host', () => {
    const r = constraintsMet({ constraints: [['hostname', 'UNIQUE']] }, offer({ hostname: 'a1' }), [placed('a1')]);
    expect(r).to.deep.include({ ok: false, reason: 'UNIQUE hostname: an instance already runs on a1' });
  });

  it('passes only when every constraint passes, reporting the first failure', () => {
    const o = offer({ hostname: 'a1', attributes: [rack('r1')] });
    expect(constraintsMet({ constraints: [['rack', 'LIKE', 'r.*'], ['hostname', 'UNIQUE']] }, o, []).ok).to.equal(true);
    const r = constraintsMet({ constraints: [['rack', 'LIKE', 'r.*'], ['rack', 'IS', 'r2'], ['hostname', 'UNIQUE']] }, o, [placed('a1')]);
    expect(r.ok ? undefined : r.constraint).to.deep.equal(['rack', 'IS', 'r2']);
  });

  it('formats attribute values as Marathon compares them', () => {
    expect(constraintValueOf({ name: 's', type: 'SCALAR', scalar: { value: 2.5 } })).to.equal('2.5');
    expect(constraintValueOf({ name: 's', type: 'SCALAR', scalar: { value: 1.23456 } })).to.equal('1.235');
    expect(constraintValueOf({ name: 's', type: 'SCALAR', scalar: { value: 4 } })).to.equal('4');
    expect(constraintValueOf({ name: 'r', type: 'RANGES', ranges: { range: [{ begin: 1, end: 2 }, { begin: 5, end: 9 }] } })).to.equal('[1-2,5-9]');
    expect(constraintValueOf({ name: 's', type: 'SET', set: { item: ['b', 'a'] } })).to.equal('{a,b}');
  });

  it('reads the fault domain of an offer', () => {
    expect(placementOf(offer({ agent: 'S9', region: 'eu', zone: 'z2' }))).to.deep.include({ agentId: 'S9', region: 'eu', zone: 'z2' });
  });
});
