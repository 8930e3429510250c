import { expect } from 'chai';
import { EMPTY_REGISTRY, FencedWriteRefused, MemoryRegistry, applyRegistryOperation, type RegistryOperation } from './registry';

const a1 = { id: 'M-S1', hostname: 'a1', pid: 'slave(1)@10.0.0.1:5051' };
const a2 = { id: 'M-S2', hostname: 'a2' };

describe('registry', () => {
  it('moves agents between admitted, unreachable and gone, and merges weights', () => {
    const ops: RegistryOperation[] = [
      { type: 'ADMIT_AGENT', agent: a1 }, { type: 'ADMIT_AGENT', agent: a2 },
      { type: 'MARK_UNREACHABLE', agentId: 'M-S1', since: 1000 },
      { type: 'UPDATE_WEIGHTS', weights: { prod: 2 } }, { type: 'UPDATE_WEIGHTS', weights: { dev: 0.5 } },
      { type: 'MARK_UNREACHABLE', agentId: 'unknown', since: 5 },
    ];
    const state = ops.reduce(applyRegistryOperation, EMPTY_REGISTRY);
    expect(state).to.deep.equal({ admitted: [a2], unreachable: [{ ...a1, since: 1000 }], gone: [], weights: { prod: 2, dev: 0.5 } });
    const back = applyRegistryOperation(state, { type: 'MARK_REACHABLE', agent: a1 });
    expect([back.admitted.map((a) => a.id), back.unreachable]).to.deep.equal([['M-S2', 'M-S1'], []]);
    const gone = applyRegistryOperation(applyRegistryOperation(back, { type: 'MARK_GONE', agentId: 'M-S1' }), { type: 'MARK_GONE', agentId: 'M-S1' });
    expect([gone.admitted.map((a) => a.id), gone.gone]).to.deep.equal([['M-S2'], ['M-S1']]);
    expect(applyRegistryOperation(gone, { type: 'REMOVE_AGENT', agentId: 'M-S2' }).admitted).to.deep.equal([]);
  });

  it('refuses a write once the writer’s fence is revoked, and keeps what the leader wrote', async () => {
    const registry = new MemoryRegistry();
    let revoked: string | undefined;
    const fence = { revoked: () => revoked };
    await registry.apply([{ type: 'ADMIT_AGENT', agent: a1 }], fence);
    revoked = 'session expired';
    let refused: unknown;
    await registry.apply([{ type: 'MARK_GONE', agentId: 'M-S1' }], fence).catch((err: unknown) => (refused = err));
    expect(refused).to.be.instanceOf(FencedWriteRefused);
    expect((await registry.load()).admitted).to.deep.equal([a1]);
  });
});
