// Leader election and detection on a real 3-node ZooKeeper ensemble: the znodes Mesos tools read,
// handover on withdrawal and on session expiry, a leader cut off (its event loop frozen past the
// session timeout) that stops acting before anyone else can lead, and bad input.
import { expect } from 'chai';
import type { MasterInfo } from '@tepui/protocol';
import {
  ZkConnectError, ZkContender, ZkError, ZkDetector, ZkSession, masterInfoCodec, parseZkUrl, sameMaster, type Candidacy, type ZkLog,
} from '@tepui/coordination';
import { eventually } from '../support/eventually';
import { removeDir, tempDir } from '../support/processes';
import { ZkEnsemble } from '../support/zookeeper';

const SESSION_MS = 2_000;
const quiet: ZkLog = process.env.ZK_DEBUG ? { info: (f, m) => console.log('I', m, f), warn: (f, m) => console.log('W', m, f), error: (f, m) => console.log('E', m, f) } : { info: () => undefined, warn: () => undefined, error: () => undefined };

function master(n: number): MasterInfo {
  return {
    id: `master-${n}`, ip: 16777343, port: 5050 + n, pid: `master@127.0.0.1:${5050 + n}`, hostname: 'localhost', version: '1.11.0',
    address: { hostname: 'localhost', ip: '127.0.0.1', port: 5050 + n }, capabilities: [{ type: 'AGENT_UPDATE' }],
  };
}

describe('ZooKeeper election (real 3-node ensemble)', function () {
  this.timeout(120_000);
  let dir: string;
  let zk: ZkEnsemble;
  const sessions: ZkSession[] = [];
  const detectors: Array<ZkDetector<MasterInfo>> = [];
  let pathCounter = 0;
  let path: string;

  const open = async (url = zk.url(path)) => {
    const session = await ZkSession.connect(parseZkUrl(url), { sessionTimeoutMs: SESSION_MS, log: quiet });
    sessions.push(session);
    return session;
  };
  const contend = async (n: number, session?: ZkSession): Promise<{ candidacy: Candidacy; session: ZkSession }> => {
    const s = session ?? (await open());
    return { candidacy: await new ZkContender(s, path, masterInfoCodec, master(n), quiet).contend(), session: s };
  };
  const detector = () => {
    const d = new ZkDetector(parseZkUrl(zk.url(path)), path, masterInfoCodec, sameMaster, { sessionTimeoutMs: SESSION_MS, log: quiet });
    detectors.push(d);
    return d;
  };
  const settled = (p: Promise<unknown>) => Promise.race([p.then(() => true), new Promise((r) => setTimeout(() => r(false), 300))]);

  before(async () => {
    dir = tempDir('zk-election');
    zk = await ZkEnsemble.start(dir);
  });
  beforeEach(() => (path = `/mesos-${++pathCounter}`));
  afterEach(async () => {
    for (const d of detectors.splice(0)) await d.close();
    for (const s of sessions.splice(0)) s.close();
  });
  after(async () => {
    await zk?.stop();
    removeDir(dir);
  });

  it('writes json.info_ nodes Mesos tools read; the lowest sequence leads and detectors report it', async () => {
    const first = await contend(1);
    const second = await contend(2);
    await first.candidacy.elected;
    expect(await settled(second.candidacy.elected)).to.equal(false);

    const reader = await open();
    const children = (await reader.children(path)).sort();
    expect(children).to.have.length(2);
    for (const child of children) expect(child).to.match(/^json\.info_\d{10}$/);
    const leaderData = JSON.parse((await reader.get(`${path}/${children[0]}`)).data.toString());
    expect(leaderData).to.deep.equal(JSON.parse(JSON.stringify(master(1))));
    expect(Object.keys(leaderData)).to.deep.equal([...Object.keys(leaderData)].sort());
    expect((await reader.get(`${path}/${children[0]}`)).stat.ephemeralOwner).to.not.equal('0');

    const d = detector();
    expect((await d.detect())?.id).to.equal('master-1');
    expect(first.candidacy.fence.revoked()).to.equal(undefined);
  });

  it('hands over at once when the leader withdraws or closes its session', async () => {
    const first = await contend(1);
    const second = await contend(2);
    const third = await contend(3);
    await first.candidacy.elected;
    const d = detector();
    expect((await d.detect())?.id).to.equal('master-1');

    const started = Date.now();
    await first.candidacy.withdraw();
    await second.candidacy.elected;
    expect(Date.now() - started).to.be.below(SESSION_MS);
    expect((await d.detect(master(1)))?.id).to.equal('master-2');

    second.session.close();
    await third.candidacy.elected;
    expect((await d.detect(master(2)))?.id).to.equal('master-3');
    expect(await second.candidacy.lost).to.match(/closed/);
  });

  it('a leader frozen past the session timeout stops acting before it learns it lost; its node goes', async () => {
    const first = await contend(1);
    await first.candidacy.elected;
    // Freeze this event loop (as SIGSTOP would the process): no ping reaches ZooKeeper.
    const until = Date.now() + SESSION_MS * 2;
    while (Date.now() < until) { /* frozen */ }
    // The first thing the leader can see on waking is that it may not act.
    expect(first.candidacy.fence.revoked()).to.match(/no answer from ZooKeeper/);
    expect(await first.candidacy.lost).to.match(/expired|unreachable/);
    // (Every session of this process was frozen too; a fresh one finds the election free.)
    const second = await contend(2);
    await second.candidacy.elected;
    expect(second.candidacy.fence.revoked()).to.equal(undefined);
  });

  it('rides out the loss of one ZooKeeper member: no failover, the lease never lapses', async () => {
    const first = await contend(1);
    await first.candidacy.elected;
    const second = await contend(2);
    const leaderMember = await zk.leaderId();
    expect(leaderMember).to.be.a('number');
    await zk.kill(leaderMember!);
    try {
      const revocations: string[] = [];
      const sampler = setInterval(() => {
        const r = first.candidacy.fence.revoked();
        if (r) revocations.push(r);
      }, 20);
      await eventually(async () => (await zk.leaderId()) !== undefined, { timeoutMs: 30_000, message: 'the ensemble did not elect a new leader' });
      await eventually(() => first.session.isConnected(), { timeoutMs: 10_000, message: 'the client did not reconnect' });
      clearInterval(sampler);
      expect(revocations).to.deep.equal([]);
      expect(await settled(first.candidacy.lost)).to.equal(false);
      expect(await settled(second.candidacy.elected)).to.equal(false);
    } finally {
      await zk.restart(leaderMember!);
      await zk.waitServing();
    }
  });

  it('reports a candidate node holding garbage by name, as no leader, and recovers when it goes', async () => {
    const writer = await open();
    await writer.ensurePath(path);
    const garbage = await writer.create(`${path}/json.info_`, Buffer.from([0xde, 0xad, 0xbe, 0xef]), { sequential: true });
    const d = detector();
    await eventually(() => d.trouble()?.includes(garbage), { message: 'the garbage node was not reported' });
    expect(d.current()).to.equal(undefined);
    const first = await contend(1);
    await writer.delete(garbage);
    await first.candidacy.elected;
    expect((await d.detect())?.id).to.equal('master-1');
    expect(d.trouble()).to.equal(undefined);
  });

  it('refuses wrong digest credentials with NOAUTH naming the path', async () => {
    const auth = zk.url(path).replace('zk://', 'zk://ops:right@');
    const owner = await open(auth);
    await owner.ensurePath(path);
    const intruder = await open(zk.url(path).replace('zk://', 'zk://ops:wrong@'));
    let error: unknown;
    try {
      await new ZkContender(intruder, path, masterInfoCodec, master(9), quiet).contend();
    } catch (err) {
      error = err;
    }
    expect(String(error)).to.match(new RegExp(`create ${path}/json.info_ failed: NOAUTH .*credentials`));
    const rightful = await open(auth);
    const { candidacy } = await contend(1, rightful);
    await candidacy.elected;
  });

  it('a transaction conditional on a version holds to it, version 0 included', async () => {
    const session = await open();
    await session.ensurePath(path);
    const node = `${path}/fenced`;
    await session.create(node, 'v0', {});
    await session.transaction([{ op: 'set', path: node, data: Buffer.from('v1'), version: 0 }]);
    for (const version of [0, 2]) {
      const refused = await session.transaction([{ op: 'set', path: node, data: Buffer.from('stale'), version }]).then(() => undefined, (err: unknown) => err);
      expect(refused, `set at version ${version}`).to.be.instanceOf(ZkError);
      expect((refused as ZkError).codeName).to.equal('BADVERSION');
      const checked = await session.transaction([{ op: 'check', path: node, version }, { op: 'delete', path: node }]).then(() => undefined, (err: unknown) => err);
      expect((checked as ZkError).codeName, `check at version ${version}`).to.equal('BADVERSION');
    }
    const deleteAtZero = await session.transaction([{ op: 'delete', path: node, version: 0 }]).then(() => undefined, (err: unknown) => err);
    expect((deleteAtZero as ZkError).codeName).to.equal('BADVERSION');
    const { data, stat } = await session.get(node);
    expect([data.toString(), stat.version]).to.deep.equal(['v1', 1]);
  });

  it('says which servers could not be reached', async () => {
    let error: unknown;
    try {
      await ZkSession.connect(parseZkUrl('zk://127.0.0.1:1/mesos'), { sessionTimeoutMs: SESSION_MS, connectTimeoutMs: 1_500, log: quiet });
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(ZkConnectError);
    expect(String(error)).to.match(/Cannot reach ZooKeeper at zk:\/\/127\.0\.0\.1:1 within 1500 ms/);
  });
});
