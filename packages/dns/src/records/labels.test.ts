import { expect } from 'chai';
import fc from 'fast-check';
import { domainFragment, labelFunction, rfc1123Label, rfc952Label, type LabelFunction } from './labels';

// Inputs and outputs from Mesos-DNS' own label tests (records/labels/labels_test.go), so a name
// sanitised here is the name Mesos-DNS would publish.
const BOTH: ReadonlyArray<[string, string]> = [
  ['', ''],
  ['a', 'a'],
  ['-', ''],
  ['a---', 'a'],
  ['---a---', 'a'],
  ['---a---b', 'a---b'],
  ['a.b.c.d.e', 'a-b-c-d-e'],
  ['a.c.d_de.', 'a-c-d-de'],
  ['abc123', 'abc123'],
  ['-abc123', 'abc123'],
  ['abc123-', 'abc123'],
  ['abc-123', 'abc-123'],
  ['abc--123', 'abc--123'],
  ['r29f.dev.angrypigs', 'r29f-dev-angrypigs'],
  ['hello----------------------------------------------------------f', 'hellof'],
];

const RFC1123: ReadonlyArray<[string, string]> = [
  ['4abc123', '4abc123'],
  ['-4abc123', '4abc123'],
  ['89fdgsf---gs7-fgs--d7fddg-123', '89fdgsf---gs7-fgs--d7fddg-123'],
  ['89fdgsf---gs7-fgs--d7fddg---123', '89fdgsf---gs7-fgs--d7fddg---123'],
  ['89fdgsf---gs7-fgs--d7fddg-', '89fdgsf---gs7-fgs--d7fddg'],
  ['fd%gsf---gs7-f$gs--d7fddg-123', 'fdgsf---gs7-fgs--d7fddg-123'],
  ['fd%gsf---gs7-f$gs--d7fddg123456789012345678901234567890123456789-123', 'fdgsf---gs7-fgs--d7fddg1234567890123456789012345678901234567891'],
  ['$$fdgsf---gs7-fgs--d7fddg123456789012345678901234567890123456789-123', 'fdgsf---gs7-fgs--d7fddg1234567890123456789012345678901234567891'],
  ['%%fdgsf---gs7-fgs--d7fddg123456789012345678901234567890123456789---123', 'fdgsf---gs7-fgs--d7fddg1234567890123456789012345678901234567891'],
  ['##fdgsf---gs7-fgs--d7fddg123456789012345678901234567890123456789-', 'fdgsf---gs7-fgs--d7fddg123456789012345678901234567890123456789'],
  ['hello--------------------------------------------------------f', 'hello--------------------------------------------------------f'],
];

const RFC952: ReadonlyArray<[string, string]> = [
  ['4abc123', 'abc123'],
  ['-4abc123', 'abc123'],
  ['fd%gsf---gs7-f$gs--d7fddg-123', 'fdgsf---gs7-fgs--d7fddg1'],
  ['89fdgsf---gs7-fgs--d7fddg-123', 'fdgsf---gs7-fgs--d7fddg1'],
  ['89fdgsf---gs7-fgs--d7fddg---123', 'fdgsf---gs7-fgs--d7fddg1'],
  ['89fdgsf---gs7-fgs--d7fddg-', 'fdgsf---gs7-fgs--d7fddg'],
  ['chronos with a space AND MIXED CASE-2.0.1', 'chronoswithaspaceandmixe'],
  ['chronos with a space AND----------MIXED--', 'chronoswithaspaceandmixe'],
  ['hello--------------------------------------------------------f', 'hellof'],
];

const FRAGMENTS: ReadonlyArray<[string, string]> = [
  ['', ''], ['.', ''], ['..', ''], ['...', ''], ['a', 'a'], ['abc', 'abc'], ['abc.', 'abc'], ['.abc', 'abc'],
  ['a.c', 'a.c'], ['.a.c', 'a.c'], ['a.c.', 'a.c'], ['a..c', 'a.c'], ['ab.c', 'ab.c'], ['ab.cd', 'ab.cd'],
  ['ab.cd.efg', 'ab.cd.efg'], ['a.c.e', 'a.c.e'], ['a..c.e', 'a.c.e'], ['a.c..e', 'a.c.e'], ['host.com', 'host.com'],
  ['space space.com', 'spacespace.com'], ['blah-dash.com', 'blah-dash.com'], ['not$1234.com', 'not1234.com'],
  ['(@ host . com', 'host.com'], ['MiXeDcase.CoM', 'mixedcase.com'],
];

function table(label: LabelFunction, rows: ReadonlyArray<[string, string]>): void {
  for (const [input, want] of rows) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(want)}`, () => expect(label(input)).to.equal(want));
  }
}

describe('labels', () => {
  describe('RFC 1123 (the default)', () => {
    table(rfc1123Label, [...BOTH, ...RFC1123]);

    it('keeps only a-z0-9-, never starts with a dash and never exceeds 63 characters', () => {
      fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (name) => {
        const label = rfc1123Label(name);
        return /^[a-z0-9-]*$/.test(label) && !label.startsWith('-') && label.length <= 63;
      }), { numRuns: 2000 });
    });
  });

  describe('RFC 952 (enforceRFC952)', () => {
    table(rfc952Label, [...BOTH, ...RFC952]);

    it('keeps only a-z0-9-, starts with a letter and never exceeds 24 characters', () => {
      fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (name) => {
        const label = rfc952Label(name);
        return /^([a-z][a-z0-9-]*)?$/.test(label) && label.length <= 24;
      }), { numRuns: 2000 });
    });
  });

  it('picks RFC 952 only when enforceRFC952 is set', () => {
    expect(labelFunction(false)).to.equal(rfc1123Label);
    expect(labelFunction(true)).to.equal(rfc952Label);
  });

  describe('framework names split into labels', () => {
    for (const label of [rfc1123Label, rfc952Label]) table((name) => domainFragment(name, label), FRAGMENTS);
    it('sanitises each part with the label function in force', () => {
      expect(domainFragment('pod_123$abc.marathon-0.6.0-dev.mesos', rfc1123Label)).to.equal('pod-123abc.marathon-0.6.0-dev.mesos');
      expect(domainFragment('pod_123$abc.marathon-0.6.0-dev.mesos', rfc952Label)).to.equal('pod-123abc.marathon-0.dev.mesos');
    });
  });
});
