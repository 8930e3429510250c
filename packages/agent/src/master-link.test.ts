// The agent follows the leading master its detector reports: it registers with the first, and
// re-registers with the next one as soon as leadership moves.
import { expect } from 'chai';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import { ManualLeaderDetector } from '@tepui/coordination';
import { SystemClock, until, type AgentToMasterMessage, type MasterInfo } from '@tepui/protocol';
import { MASTER_GOING_AWAY, MasterLink } from './master-link';
import { fakeMaster } from './testing/fake-master';

/** A logger that records the longest re-registration backoff the link announced. */
function retryLog(): { logger: Logger; longestDelayMs(): number } {
  let longest = 0;
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      const entry = JSON.parse(chunk.toString()) as { msg: string; delayMs?: number };
      if (entry.msg.startsWith('lost the master')) longest = Math.max(longest, entry.delayMs ?? 0);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), longestDelayMs: () => longest };
}

/** A link whose agent (re-)registers under one id, counting registrations and lost channels. */
function recordingLink(detector: ManualLeaderDetector<MasterInfo>, backoffFactorMs: number, random: () => number, logger: Logger = pino({ level: 'silent' })) {
  const registrations: string[] = [];
  let agentId: string | undefined;
  let disconnections = 0;
  const link = new MasterLink(detector, backoffFactorMs, {
    registration: () => (agentId ? { type: 'REREGISTER_AGENT', agent_id: { value: agentId } } : { type: 'REGISTER_AGENT' }) as AgentToMasterMessage,
    registered: (id) => {
      agentId = id;
      registrations.push(id);
    },
    message: () => undefined,
    disconnected: () => disconnections++,
    shutdown: () => undefined,
  }, new SystemClock(), logger, random);
  return { link, registrations, disconnections: () => disconnections };
}

/**
 * A link (20 ms backoff factor, always waiting 99% of its backoff: the slowest retries) registered
 * with m1, which then died; by now its retries have grown far past the factor. m2 is up, unknown yet.
 */
async function leaderLostLongAgo() {
  const [m1, m2] = [await fakeMaster('m1'), await fakeMaster('m2')];
  const detector = new ManualLeaderDetector<MasterInfo>((a, b) => a.id === b.id);
  const retries = retryLog();
  const { link, registrations, disconnections } = recordingLink(detector, 20, () => 0.99, retries.logger);
  link.start();
  detector.set(m1.info);
  await until(() => registrations.length === 1, 'registration with the first leader');
  await m1.close();
  // The link retries the dead leader with a doubling backoff (20, 40, … ms).
  await until(() => retries.longestDelayMs() >= 600, 'the retry backoff growing far past the factor');
  return { m1, m2, detector, link, registrations, closes: disconnections };
}

describe('the agent’s link to the leading master', () => {
  it('registers with the detected leader and re-registers with the next one', async () => {
    const [m1, m2] = [await fakeMaster('m1'), await fakeMaster('m2')];
    const detector = new ManualLeaderDetector<MasterInfo>((a, b) => a.id === b.id);
    let agentId: string | undefined;
    const registrations: string[] = [];
    const link = new MasterLink(detector, 10, {
      registration: () => (agentId ? { type: 'REREGISTER_AGENT', agent_id: { value: agentId } } : { type: 'REGISTER_AGENT' }) as AgentToMasterMessage,
      registered: (id, again) => {
        agentId = id;
        registrations.push(again ? 'reregistered' : 'registered');
      },
      message: () => undefined,
      disconnected: () => undefined,
      shutdown: () => undefined,
    }, new SystemClock(), pino({ level: 'silent' }), () => 0.5);
    try {
      link.start();
      // No leader yet: nothing is tried.
      await new Promise((r) => setImmediate(r));
      expect(m1.received).to.deep.equal([]);
      detector.set(m1.info);
      await until(() => registrations.length === 1, 'registration with the first leader');
      expect(link.masterEndpoint).to.equal(`127.0.0.1:${m1.info.port}`);
      detector.set(m2.info);
      await until(() => registrations.length === 2, 're-registration with the new leader');
      expect(registrations).to.deep.equal(['registered', 'reregistered']);
      expect(m2.received.map((m) => m.type)).to.deep.equal(['REREGISTER_AGENT']);
      expect(link.masterEndpoint).to.equal(`127.0.0.1:${m2.info.port}`);
    } finally {
      link.stop();
      await Promise.all([m1.close(), m2.close()]);
    }
  });

  it('does not ask again at once a master that said it is going away; the successor reported meanwhile gets the agent', async () => {
    const [m1, m2] = [await fakeMaster('m1'), await fakeMaster('m2')];
    let connectionsToM1 = 0;
    m1.wss.on('connection', () => connectionsToM1++);
    const detector = new ManualLeaderDetector<MasterInfo>((a, b) => a.id === b.id);
    // A long backoff factor and no random share: a plain close would be retried at once.
    const { link, registrations, disconnections } = recordingLink(detector, 5_000, () => 0);
    try {
      link.start();
      detector.set(m1.info);
      await until(() => registrations.length === 1, 'registration with the first leader');
      for (const client of m1.wss.clients) client.close(MASTER_GOING_AWAY, 'Master stopping');
      await until(() => disconnections() === 1, 'the link seeing the close');
      await new Promise((r) => setTimeout(r, 100));
      detector.set(m2.info);
      await until(() => registrations.length === 2, 're-registration with the successor');
      expect(connectionsToM1, 'the master going away was not asked again').to.equal(1);
      expect(m2.received.map((m) => m.type)).to.deep.equal(['REREGISTER_AGENT']);
    } finally {
      link.stop();
      await Promise.all([m1.close(), m2.close()]);
    }
  });

  it('re-registers with a new leader after a short backoff, however long it spent retrying the dead one', async () => {
    const { m2, detector, link, registrations, closes } = await leaderLostLongAgo();
    try {
      const detected = Date.now();
      detector.set(m2.info);
      await until(() => registrations.length === 2, 're-registration with the new leader');
      // The grown backoff would now wait well over a second; a loaded machine still answers within 800 ms.
      expect(Date.now() - detected, 'a new leader is tried within the backoff factor, not the grown backoff').to.be.below(800);
      expect(closes()).to.equal(1);
    } finally {
      link.stop();
      await m2.close();
    }
  });

  it('drops a connection still pending to the old leader and tries the new one within the backoff factor', async () => {
    const { m1, m2, detector, link, registrations } = await leaderLostLongAgo();
    // The dead leader's address now accepts connections and never answers (a paused host).
    const held: Socket[] = [];
    const blackHole = createTcpServer((socket) => held.push(socket));
    try {
      await new Promise<void>((resolve) => blackHole.listen(m1.info.port, '127.0.0.1', resolve));
      await until(() => held.length > 0, 'a connection attempt hanging at the old leader');
      const detected = Date.now();
      detector.set(m2.info);
      await until(() => registrations.length === 2, 're-registration with the new leader');
      // The grown backoff would now wait well over a second; a loaded machine still answers within 800 ms.
      expect(Date.now() - detected, 'the new leader is tried within the factor, not the grown backoff').to.be.below(800);
    } finally {
      link.stop();
      for (const socket of held) socket.destroy();
      blackHole.close();
      await m2.close();
    }
  });
});
