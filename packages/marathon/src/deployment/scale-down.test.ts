import { expect } from 'chai';
import { selectScaleDownVictims, type ScaleDownOptions, type ScaleInstance } from './scale-down';

const inst = (id: string, state: string, stagedAt: number, fields: Record<string, string> = {}): ScaleInstance =>
  ({ id, state, stagedAt, fields: { hostname: `h-${id}`, ...fields } });
const running = (id: string, stagedAt: number, fields: Record<string, string> = {}): ScaleInstance => inst(id, 'TASK_RUNNING', stagedAt, fields);
const youngest: ScaleDownOptions = { killSelection: 'YOUNGEST_FIRST', constraints: [] };

describe('scale-down victims (selectScaleDownVictims)', () => {
  const mixed = [
    running('run-old', 1), running('run-new', 9), inst('staging', 'TASK_STAGING', 2), inst('starting', 'TASK_STARTING', 3),
    inst('unreachable', 'TASK_UNREACHABLE', 0), inst('killing', 'TASK_KILLING', 4),
  ];

  it('takes unreachable, then staging, starting, running, then any other state', () => {
    expect(selectScaleDownVictims(mixed, 6, youngest)).to.deep.equal(['unreachable', 'staging', 'starting', 'run-new', 'run-old', 'killing']);
  });

  it('breaks ties by killSelection: YOUNGEST_FIRST takes the latest staged, OLDEST_FIRST the earliest', () => {
    const three = [running('a', 1), running('b', 3), running('c', 2)];
    expect(selectScaleDownVictims(three, 2, youngest)).to.deep.equal(['b', 'c']);
    expect(selectScaleDownVictims(three, 2, { ...youngest, killSelection: 'OLDEST_FIRST' })).to.deep.equal(['a', 'c']);
  });

  it('takes the instances the caller named first, ignoring names it does not know', () => {
    expect(selectScaleDownVictims(mixed, 2, { ...youngest, requested: ['run-old', 'nope'] })).to.deep.equal(['run-old', 'unreachable']);
    expect(selectScaleDownVictims(mixed, 1, { ...youngest, requested: ['run-new', 'run-old'] })).to.deep.equal(['run-new']);
  });

  it('evens out a GROUP_BY spread before looking at age', () => {
    const spread = [running('a', 1, { rack: 'r1' }), running('b', 2, { rack: 'r1' }), running('c', 3, { rack: 'r1' }), running('d', 4, { rack: 'r2' })];
    const opts: ScaleDownOptions = { ...youngest, constraints: [['rack', 'GROUP_BY']] };
    expect(selectScaleDownVictims(spread, 2, opts)).to.deep.equal(['c', 'b']);
    // Once even, the spread is kept even: r1 and r2 each give one up in turn.
    expect(selectScaleDownVictims(spread, 3, opts)).to.deep.equal(['c', 'b', 'd']);
  });

  it('puts the state order after the spread: an unreachable instance in the small group waits', () => {
    const spread = [running('a', 1, { rack: 'r1' }), running('b', 2, { rack: 'r1' }), inst('u', 'TASK_UNREACHABLE', 0, { rack: 'r2' })];
    expect(selectScaleDownVictims(spread, 1, { ...youngest, constraints: [['rack', 'GROUP_BY', '2']] })).to.deep.equal(['b']);
  });

  it('honours several GROUP_BY fields, the first one first', () => {
    const spread = [
      running('a', 1, { rack: 'r1', zone: 'z1' }), running('b', 2, { rack: 'r1', zone: 'z1' }),
      running('c', 3, { rack: 'r1', zone: 'z2' }), running('d', 4, { rack: 'r2', zone: 'z1' }),
    ];
    // rack r1 must give one up; of those, z1 (3 instances) rather than z2 (1): b, not the younger c.
    expect(selectScaleDownVictims(spread, 1, { ...youngest, constraints: [['rack', 'GROUP_BY'], ['zone', 'GROUP_BY']] })).to.deep.equal(['b']);
    expect(selectScaleDownVictims(spread, 1, { ...youngest, constraints: [['rack', 'GROUP_BY']] })).to.deep.equal(['c']);
  });

  it('ignores other constraints and instances lacking the field group together', () => {
    const spread = [running('a', 1), running('b', 2), running('c', 3, { rack: 'r1' })];
    expect(selectScaleDownVictims(spread, 1, { ...youngest, constraints: [['hostname', 'UNIQUE'], ['rack', 'GROUP_BY']] })).to.deep.equal(['b']);
  });

  it('never returns more than there are, nor anything for a count of 0', () => {
    expect(selectScaleDownVictims(mixed, 10, youngest)).to.have.length(6);
    expect(selectScaleDownVictims(mixed, 0, youngest)).to.deep.equal([]);
    expect(selectScaleDownVictims([], 3, youngest)).to.deep.equal([]);
  });
});
