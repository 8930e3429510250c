import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import pino from 'pino';
import { encodeRecord, ManualClock } from '@tepui/protocol';
import { EventBus } from '../events/event-bus';
import { createMarathonApp } from './app';

const listen = async (server: Server): Promise<string> => {
  server.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

describe('the master proxy at /ui/api/mesos', () => {
  const seen: string[] = [];
  let leader: Server;
  let standby: Server;
  let marathon: Server;
  let leaderUrl: string;
  let standbyUrl: string;
  let url: string;
  let masterForMarathon: string | undefined;

  before(async () => {
    leader = createServer((req: IncomingMessage, res: ServerResponse) => {
      seen.push(`${req.method} ${req.url}`);
      if (req.method === 'POST' && req.url === '/api/v1') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write(encodeRecord(JSON.stringify({ type: 'SUBSCRIBED', subscribed: { get_state: {}, heartbeat_interval_seconds: 15 } })));
        res.end(encodeRecord(JSON.stringify({ type: 'AGENT_REMOVED', agent_removed: { agent_id: { value: 'a1' } } })));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ path: req.url }));
    });
    leaderUrl = await listen(leader);
    const leaderAuthority = leaderUrl.replace('http:', '');
    standby = createServer((req, res) => res.writeHead(307, { Location: `${leaderAuthority}${req.url}` }).end());
    standbyUrl = await listen(standby);
    const clock = new ManualClock();
    const app = createMarathonApp({
      log: pino({ level: 'silent' }), clock, bus: new EventBus(clock),
      system: { version: '1.11.0', leader: () => '127.0.0.1:8080', elected: () => true, frameworkId: () => 'F', config: {}, httpPort: 8080 },
      masterUpstream: { leadingMaster: () => masterForMarathon, timeoutMs: 5_000, clock },
    });
    marathon = app.listen(0, '127.0.0.1');
    await new Promise((r) => marathon.once('listening', r));
    url = `http://127.0.0.1:${(marathon.address() as AddressInfo).port}`;
  });
  after(async () => {
    for (const s of [leader, standby, marathon]) s.closeAllConnections();
    await Promise.all([leader, standby, marathon].map((s) => new Promise((r) => s.close(r))));
  });
  beforeEach(() => {
    seen.length = 0;
    masterForMarathon = leaderUrl;
  });

  it('passes each allow-listed GET to the leader, following a standby redirect', async () => {
    masterForMarathon = standbyUrl;
    for (const path of ['/master/state', '/master/roles', '/master/slaves', '/master/frameworks', '/master/state-summary', '/metrics/snapshot']) {
      const res = await fetch(`${url}/ui/api/mesos${path}`);
      expect(res.status, path).to.equal(200);
      expect(await res.json()).to.deep.equal({ path });
    }
    expect(seen).to.have.length(6);
  });

  it('refuses anything else: 404 for other paths, 405 for other methods; nothing reaches the master', async () => {
    expect((await fetch(`${url}/ui/api/mesos/master/teardown`, { method: 'POST', body: 'frameworkId=F' })).status).to.equal(404);
    expect((await fetch(`${url}/ui/api/mesos/api/v1`, { method: 'POST', body: '{"type":"DRAIN_AGENT"}' })).status).to.equal(404);
    expect((await fetch(`${url}/ui/api/mesos/master/weights`)).status).to.equal(404);
    expect((await fetch(`${url}/ui/api/nothing`)).status).to.equal(404);
    const put = await fetch(`${url}/ui/api/mesos/master/roles`, { method: 'PUT', body: '[]' });
    expect(put.status).to.equal(405);
    expect(await put.json()).to.have.property('message').that.contains('read-only');
    expect((await fetch(`${url}/ui/api/mesos/events`, { method: 'POST', body: '{}' })).status).to.equal(405);
    expect(seen).to.deep.equal([]);
  });

  it('answers 503 while no master is known', async () => {
    masterForMarathon = undefined;
    const res = await fetch(`${url}/ui/api/mesos/master/state`);
    expect(res.status).to.equal(503);
    expect(((await res.json()) as { message: string }).message).to.contain('not subscribed');
  });

  it("streams the operator API's events as Server-Sent Events", async () => {
    const res = await fetch(`${url}/ui/api/mesos/events`);
    expect(res.headers.get('content-type')).to.contain('text/event-stream');
    const text = await res.text();
    expect(seen).to.deep.equal(['POST /api/v1']);
    expect(text).to.contain('event: SUBSCRIBED\ndata: {"type":"SUBSCRIBED","subscribed":{"heartbeat_interval_seconds":15}}\n\n');
    expect(text).to.contain('event: AGENT_REMOVED\n');
  });
});
