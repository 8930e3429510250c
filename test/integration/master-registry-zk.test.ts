// The master's registry in ZooKeeper on a real 3-node ensemble: what one leader writes the next one
// reads; a write whose answer is lost after it landed is adopted rather than taken for another
// master's write; a write that did not land is made again; and a master whose election node is gone
// writes nothing.
import { join } from 'node:path';
import { expect } from 'chai';
import pino from 'pino';
import { ZK_CODES, ZkElection, ZkError, ZkSession, marathonLatchCodec, parseZkUrl, type ZkCandidacyHandle, type ZkOp } from '@tepui/coordination';
import { SystemClock } from '@tepui/protocol';
import { FencedWriteRefused, Registrar, ZkMasterRegistry, type RegistryOperation, type RegistryState } from '@tepui/master';
import { removeDir, tempDir } from '../support/processes';
import { ZkEnsemble } from '../support/zookeeper';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const admit = (id: string): RegistryOperation => ({ type: 'ADMIT_AGENT', agent: { id, hostname: `host-${id}` } });

/** When the next transaction loses its answer: after it reached ZooKeeper, or before. */
type Loss = 'after-landing' | 'before-landing';

/** The candidacy with a session whose next transaction can be made to lose its answer. */
function lossy(handle: () => ZkCandidacyHandle | undefined): { candidacy: () => ZkCandidacyHandle | undefined; loseNext: (loss: Loss) => void } {
  let pending: Loss | undefined;
  const candidacy = (): ZkCandidacyHandle | undefined => {
    const real = handle();
    if (!real) return undefined;
    const session = new Proxy(real.session, {
      get(target, key, receiver) {
        if (key !== 'transaction') return Reflect.get(target, key, receiver) as unknown;
        return async (ops: readonly ZkOp[]) => {
          const loss = pending;
          pending = undefined;
          if (loss === 'before-landing') throw new ZkError(ZK_CODES.CONNECTIONLOSS, 'multi', ops[0]!.path);
          await target.transaction(ops);
          if (loss === 'after-landing') throw new ZkError(ZK_CODES.CONNECTIONLOSS, 'multi', ops[0]!.path);
        };
      },
    });
    return { session, node: real.node };
  };
  return { candidacy, loseNext: (loss) => (pending = loss) };
}

describe('the master registry in ZooKeeper (real 3-node ensemble)', function () {
  this.timeout(120_000);
  const dir = tempDir('zk-registry');
  let zk: ZkEnsemble;
  let paths = 0;
  const elections: Array<ZkElection<string>> = [];

  before(async () => {
    zk = await ZkEnsemble.start(join(dir, 'zk'));
  });
  afterEach(async () => {
    for (const election of elections.splice(0)) await election.close();
  });
  after(async () => {
    await zk?.stop();
    removeDir(dir);
  });

  const elected = async (base: string, name: string) => {
    const election = new ZkElection(parseZkUrl(zk.url(base)), `${base}/leader`, marathonLatchCodec, (a, b) => a === b, { sessionTimeoutMs: 4000, log: quiet });
    elections.push(election);
    const candidacy = await election.contender(name).contend();
    await candidacy.elected;
    return { election, candidacy };
  };
  /** The registry as stored, read by a session of its own. */
  const readBack = async (base: string): Promise<RegistryState> => {
    const reader = await ZkSession.connect(parseZkUrl(zk.url(base)), { sessionTimeoutMs: 4000, log: quiet });
    try {
      return JSON.parse((await reader.get(`${base}/registry`)).data.toString('utf8')) as RegistryState;
    } finally {
      reader.close();
    }
  };

  it('keeps what one leader wrote for the next', async () => {
    const base = `/registry-${++paths}`;
    const { election, candidacy } = await elected(base, 'first');
    const registry = new ZkMasterRegistry(() => election.candidacy(), `${base}/registry`);
    expect((await registry.load()).admitted).to.deep.equal([]);
    await registry.apply([admit('a1'), admit('a2'), { type: 'UPDATE_WEIGHTS', weights: { ops: 2 } }], candidacy.fence);
    await registry.apply([{ type: 'MARK_GONE', agentId: 'a1' }], candidacy.fence);
    await election.close();

    const next = await readBack(base);
    expect(next.admitted.map((a) => a.id)).to.deep.equal(['a2']);
    expect(next.gone).to.deep.equal(['a1']);
    expect(next.weights).to.deep.equal({ ops: 2 });
  });

  for (const loss of ['after-landing', 'before-landing'] as const) {
    it(`a write whose answer was lost ${loss === 'after-landing' ? 'after it landed is adopted' : 'before it landed is made again'}; later writes go on`, async () => {
      const base = `/registry-${++paths}`;
      const { election, candidacy } = await elected(base, 'leader');
      const session = lossy(() => election.candidacy());
      const registry = new ZkMasterRegistry(session.candidacy, `${base}/registry`);
      await registry.load();
      await registry.apply([admit('a1')], candidacy.fence);

      session.loseNext(loss);
      const error = await registry.apply([admit('a2')], candidacy.fence).then(() => undefined, (err: unknown) => err);
      expect(error).to.be.instanceOf(ZkError);
      expect(error).to.not.be.instanceOf(FencedWriteRefused);

      // The registrar tries a failed batch again, first, with what was recorded since.
      await registry.apply([admit('a2'), admit('a3')], candidacy.fence);
      await registry.apply([{ type: 'MARK_UNREACHABLE', agentId: 'a1', since: 1 }], candidacy.fence);
      const stored = await readBack(base);
      expect(stored.admitted.map((a) => a.id)).to.deep.equal(['a2', 'a3']);
      expect(stored.unreachable.map((a) => a.id)).to.deep.equal(['a1']);
    });
  }

  it('through the registrar: every operation recorded across a lost answer is written once the connection is back', async () => {
    const base = `/registry-${++paths}`;
    const { election, candidacy } = await elected(base, 'leader');
    const session = lossy(() => election.candidacy());
    const registry = new ZkMasterRegistry(session.candidacy, `${base}/registry`);
    await registry.load();
    const registrar = new Registrar(registry, candidacy.fence, pino({ level: 'silent' }), new SystemClock());
    session.loseNext('after-landing');
    for (let i = 0; i < 50; i++) registrar.record(admit(`a${i}`));
    await new Promise((resolve) => setImmediate(resolve));
    for (let i = 50; i < 100; i++) registrar.record(admit(`a${i}`));
    await registrar.flushed();
    expect(candidacy.fence.revoked()).to.equal(undefined);
    const stored = await readBack(base);
    expect(stored.admitted.map((a) => a.id)).to.deep.equal(Array.from({ length: 100 }, (_, i) => `a${i}`));
  });

  it('a master whose election node is gone writes nothing; the registry the next leader wrote stands', async () => {
    const base = `/registry-${++paths}`;
    // A leader that does not know it was deposed: its session is alive, its election node is not.
    const staleSession = await ZkSession.connect(parseZkUrl(zk.url(base)), { sessionTimeoutMs: 4000, log: quiet });
    try {
      await staleSession.ensurePath(`${base}/stale`);
      const node = await staleSession.create(`${base}/stale/node_`, 'stale', { ephemeral: true, sequential: true });
      const stale = new ZkMasterRegistry(() => ({ session: staleSession, node }), `${base}/registry`);
      await stale.load();
      await stale.apply([admit('a1')], { revoked: () => undefined });
      await staleSession.delete(node);

      const next = await elected(base, 'next');
      const successor = new ZkMasterRegistry(() => next.election.candidacy(), `${base}/registry`);
      expect((await successor.load()).admitted.map((a) => a.id)).to.deep.equal(['a1']);
      await successor.apply([{ type: 'MARK_GONE', agentId: 'a1' }], next.candidacy.fence);

      const refused = await stale.apply([admit('a2')], { revoked: () => undefined }).then(() => undefined, (err: unknown) => err);
      expect(refused).to.be.instanceOf(FencedWriteRefused);
      expect((refused as FencedWriteRefused).reason).to.include(node);
      const stored = await readBack(base);
      expect(stored.admitted).to.deep.equal([]);
      expect(stored.gone).to.deep.equal(['a1']);
    } finally {
      staleSession.close();
    }
  });
});
