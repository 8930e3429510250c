// The follower against fake masters speaking the v1 operator API (GET_MASTER, SUBSCRIBE as RecordIO).
import { expect } from 'chai';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { ManualLeaderDetector } from '@tepui/coordination';
import { encodeRecord, until, type GetState, type MasterInfo, type OperatorEvent } from '@tepui/protocol';
import { MasterFollower, type MasterStateSink } from './master-follower';

interface FakeMaster {
  readonly endpoint: string;
  readonly info: MasterInfo;
  /** Open SUBSCRIBE streams. */
  readonly streams: ServerResponse[];
  redirectTo?: string;
  send(event: OperatorEvent | string): void;
  close(): Promise<void>;
}

const EMPTY_STATE: GetState = { get_tasks: {}, get_executors: {}, get_frameworks: {}, get_agents: {} };

async function fakeMaster(id: string, port = 0, state: () => GetState = () => EMPTY_STATE): Promise<FakeMaster> {
  const streams: ServerResponse[] = [];
  let redirect: string | undefined;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (redirect) {
        res.writeHead(307, { Location: `//${redirect}/api/v1` }).end();
        return;
      }
      const call = JSON.parse(body) as { type: string };
      if (call.type === 'GET_MASTER') {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ type: 'GET_MASTER', get_master: { master_info: master.info } }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(encodeRecord(JSON.stringify({ type: 'SUBSCRIBED', subscribed: { get_state: state(), heartbeat_interval_seconds: 15 } })));
      streams.push(res);
      res.on('close', () => streams.splice(streams.indexOf(res), 1));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const bound = (server.address() as AddressInfo).port;
  const master: FakeMaster = {
    endpoint: `127.0.0.1:${bound}`,
    info: { id, ip: 0, port: bound, hostname: '127.0.0.1', address: { ip: '127.0.0.1', port: bound } },
    streams,
    set redirectTo(to: string | undefined) {
      redirect = to;
    },
    send(event) {
      for (const s of streams) s.write(encodeRecord(typeof event === 'string' ? event : JSON.stringify(event)));
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  return master;
}

class RecordingSink implements MasterStateSink {
  loads: Array<{ state: GetState; leader: string }> = [];
  events: OperatorEvent[] = [];
  load(state: GetState, leader: MasterInfo): void {
    this.loads.push({ state, leader: leader.id });
  }
  apply(event: OperatorEvent): void {
    this.events.push(event);
  }
}

const AGENT_ADDED: OperatorEvent = {
  type: 'AGENT_ADDED',
  agent_added: { agent: { agent_info: { id: { value: 'S1' }, hostname: 'h1' }, active: true, version: '1.11.0', pid: 'slave(1)@10.0.0.1:5051' } },
};

function follower(sink: MasterStateSink, masters: string[], refreshSeconds = 60): MasterFollower {
  return new MasterFollower(sink, {
    masters, refreshSeconds, stateTimeoutSeconds: 5, zkDetectionTimeoutSeconds: 0,
    onNoLeader: () => undefined, log: pino({ level: 'silent' }),
  });
}

describe('following the master’s operator event stream', () => {
  it('loads the state SUBSCRIBED carries, then applies each event as it comes', async () => {
    const master = await fakeMaster('m1');
    const sink = new RecordingSink();
    const f = follower(sink, [master.endpoint]);
    try {
      f.start();
      await until(() => sink.loads.length === 1, 'the first load');
      expect(sink.loads[0]!.leader).to.equal('m1');
      expect(f.status()).to.include({ connected: true, master: master.endpoint });
      master.send(AGENT_ADDED);
      master.send({ type: 'HEARTBEAT' });
      await until(() => sink.events.length === 1, 'the event applied');
      expect(sink.events[0]!.type).to.equal('AGENT_ADDED');
      expect(f.status().events).to.equal(1);
    } finally {
      f.stop();
      await master.close();
    }
  });

  it('follows a standby’s redirect to the leader, and skips masters that do not answer', async () => {
    const [standby, leader] = [await fakeMaster('standby'), await fakeMaster('leader')];
    standby.redirectTo = leader.endpoint;
    const sink = new RecordingSink();
    const f = follower(sink, ['127.0.0.1:1', standby.endpoint]);
    try {
      f.start();
      await until(() => sink.loads.length === 1, 'the load from the leader');
      expect(sink.loads[0]!.leader).to.equal('leader');
      expect(f.status().master).to.equal(leader.endpoint);
    } finally {
      f.stop();
      await Promise.all([standby.close(), leader.close()]);
    }
  });

  it('keeps what it has while the master is gone, says so, and resyncs when it returns', async () => {
    let master = await fakeMaster('m1');
    const port = master.info.port;
    const sink = new RecordingSink();
    const f = follower(sink, [master.endpoint]);
    try {
      f.start();
      await until(() => sink.loads.length === 1, 'the first load');
      await master.close();
      await until(() => f.status().error !== undefined, 'the loss noticed');
      expect(f.status().connected).to.equal(false);
      expect(f.status().unreachableSinceMs).to.be.a('number');
      expect(sink.loads).to.have.length(1);
      // The master comes back on the same address.
      master = await new Promise<FakeMaster>((resolve, reject) => {
        const retry = () => fakeMaster('m1', port).then(resolve, (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? setTimeout(retry, 50) : reject(err)));
        retry();
      });
      await until(() => sink.loads.length === 2, 'the resync after the master returned');
      expect(f.status()).to.include({ connected: true, error: undefined, unreachableSinceMs: undefined });
    } finally {
      f.stop();
      await master.close();
    }
  });

  it('resyncs every refreshSeconds, and after a malformed event', async () => {
    const master = await fakeMaster('m1');
    const sink = new RecordingSink();
    const f = follower(sink, [master.endpoint], 1);
    try {
      f.start();
      await until(() => sink.loads.length === 2, 'a periodic resync', 10_000);
      await until(() => master.streams.length === 1, 'the new stream');
      master.send('{"type":"TASK_ADDED","task_added":{"task":{"name":3}}}');
      await until(() => sink.loads.length === 3, 'a resync after the bad event');
      expect(sink.events).to.deep.equal([]);
    } finally {
      f.stop();
      await master.close();
    }
  });
});

describe('following the master through a leader detector', () => {
  it('gives up as Mesos-DNS does once no leader has been detected for zkDetectionTimeout', async () => {
    const master = await fakeMaster('m1');
    const detector = new ManualLeaderDetector<MasterInfo>((a, b) => a.id === b.id);
    const sink = new RecordingSink();
    const reasons: string[] = [];
    const f = new MasterFollower(sink, {
      masters: [], detector, refreshSeconds: 60, stateTimeoutSeconds: 5, zkDetectionTimeoutSeconds: 1,
      onNoLeader: (reason) => reasons.push(reason), log: pino({ level: 'silent' }),
    });
    try {
      f.start();
      detector.set(master.info);
      await until(() => sink.loads.length === 1, 'the load from the detected leader');
      expect(f.status().master).to.equal(master.endpoint);
      expect(reasons).to.deep.equal([]);
      // The leader goes and none follows: after the timeout the follower says so.
      detector.set(undefined);
      await until(() => reasons.length === 1, 'the no-leader verdict', 10_000);
      expect(reasons[0]).to.match(/no leading master detected in ZooKeeper for 1 s/);
    } finally {
      f.stop();
      await master.close();
    }
  });
});
