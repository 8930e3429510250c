import { expect } from 'chai';
import { Resources } from '@tepui/protocol';
import { Agent } from './agent';
import { AgentTable } from './agent-table';

const agent = (id: string, pid: string) => new Agent({ hostname: id, id: { value: id } }, Resources.EMPTY, pid, '1.11.0', [], 0);

describe('AgentTable', () => {
  it('finds agents by pid through sets, replacements, deletes and clear', () => {
    const table = new AgentTable();
    const a = agent('a', 'slave(1)@10.0.0.1:5051');
    const b = agent('b', 'slave(1)@10.0.0.2:5051');
    table.set('a', a).set('b', b);
    expect(table.atPid(a.pid)).to.deep.equal([a]);
    // Re-registered from another address: the old pid no longer finds it.
    const moved = agent('a', 'slave(1)@10.0.0.3:5051');
    table.set('a', moved);
    expect(table.atPid(a.pid)).to.deep.equal([]);
    expect(table.atPid(moved.pid)).to.deep.equal([moved]);
    table.delete('b');
    expect(table.atPid(b.pid)).to.deep.equal([]);
    expect(table.size).to.equal(1);
    table.clear();
    expect(table.atPid(moved.pid)).to.deep.equal([]);
  });
});
