import { expect } from 'chai';
import { selectScaleDownVictims, type ScaleInstance } from './scale-down';

const inst = (id: string, state: string, stagedAt: number, rack = 'r1'): ScaleInstance => ({ id, state, stagedAt, fields: { hostname: `h-${id}`, rack } });

describe('scale-down victims', () => {
  const all = [inst('a', 'TASK_RUNNING', 1), inst('b', 'TASK_RUNNING', 3), inst('c', 'TASK_STAGING', 2), inst('d', 'TASK_UNREACHABLE', 0)];

  it('takes unreachable, then staging, then running, youngest first', () => {
    expect(selectScaleDownVictims(all, 3, { killSelection: 'YOUNGEST_FIRST', constraints: [] })).to.deep.equal(['d', 'c', 'b']);
    expect(selectScaleDownVictims(all, 3, { killSelection: 'OLDEST_FIRST', constraints: [] })).to.deep.equal(['d', 'c', 'a']);
  });

  it('takes the instances the caller named first', () => {
    expect(selectScaleDownVictims(all, 2, { killSelection: 'YOUNGEST_FIRST', constraints: [], requested: ['a'] })).to.deep.equal(['a', 'd']);
  });

  it('evens out GROUP_BY spreads', () => {
    const spread = [inst('a', 'TASK_RUNNING', 1, 'r1'), inst('b', 'TASK_RUNNING', 2, 'r1'), inst('c', 'TASK_RUNNING', 3, 'r1'), inst('d', 'TASK_RUNNING', 4, 'r2')];
    const victims = selectScaleDownVictims(spread, 2, { killSelection: 'YOUNGEST_FIRST', constraints: [['rack', 'GROUP_BY']] });
    expect(victims).to.deep.equal(['c', 'b']);
  });
});
