// /v2/events over a real socket: framing, filters, attach/detach events, keep-alives.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { ManualClock } from '@tepui/protocol';
import { EventBus } from '../events/event-bus';
import { acceptsEventStream, serveEventStream } from './events-sse';

describe('/v2/events (SSE)', () => {
  let server: Server;
  let bus: EventBus;
  let clock: ManualClock;
  let port: number;

  beforeEach(async () => {
    clock = new ManualClock(Date.parse('2026-01-01T00:00:00.000Z'));
    bus = new EventBus(clock);
    server = createServer((req, res) => serveEventStream(req, res, bus, clock));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterEach(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));

  function open(query = ''): Promise<{ text: () => string; close: () => void; headers: Record<string, unknown> }> {
    return new Promise((resolve) => {
      let text = '';
      const req = request(`http://127.0.0.1:${port}/v2/events${query}`, { headers: { Accept: 'text/event-stream' } }, (res) => {
        res.on('data', (d: Buffer) => (text += d.toString()));
        resolve({ text: () => text, close: () => req.destroy(), headers: res.headers });
      });
      req.on('error', () => undefined); // the test closes streams abruptly
      req.end();
    });
  }

  const until = async (check: () => boolean) => {
    // A deadline sized for a loaded machine: the events cross a real socket.
    const deadline = Date.now() + 10_000;
    while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(check()).to.equal(true);
  };

  it('frames events with CRLF, attaches first, filters by event_type', async () => {
    const all = await open();
    const filtered = await open('?event_type=deployment_success');
    expect(all.headers['content-type']).to.equal('text/event-stream');
    await until(() => all.text().includes('event_stream_attached'));
    bus.publish({ eventType: 'app_terminated_event', appId: '/web' });
    bus.publish({ eventType: 'deployment_success', id: 'd1', plan: { id: 'd1', steps: [], version: '2026-01-01T00:00:00.000Z' } });
    await until(() => all.text().includes('deployment_success') && filtered.text().includes('deployment_success'));
    expect(all.text()).to.include('event: app_terminated_event\r\ndata: {"eventType":"app_terminated_event","appId":"/web","timestamp":"2026-01-01T00:00:00.000Z"}\r\n\r\n');
    expect(filtered.text()).to.not.include('app_terminated_event');
    expect(filtered.text()).to.not.include('event_stream_attached');
    all.close();
    await until(() => filtered.text().includes('event_stream_detached') === false && bus.subscriberCount === 1);
    filtered.close();
  });

  it('writes an empty keep-alive line every 10 seconds', async () => {
    const s = await open();
    await until(() => s.text().includes('event_stream_attached'));
    const before = s.text().length;
    clock.advance(10_000);
    await until(() => s.text().length === before + 2);
    expect(s.text().endsWith('\r\n\r\n\r\n')).to.equal(true);
    s.close();
  });

  it('recognises text/event-stream in an Accept list', () => {
    expect(acceptsEventStream('text/event-stream')).to.equal(true);
    expect(acceptsEventStream('application/json, text/event-stream;q=0.9')).to.equal(true);
    expect(acceptsEventStream('application/json')).to.equal(false);
  });
});

describe('EventBus', () => {
  it('drops a subscriber that falls too far behind', () => {
    const bus = new EventBus(new ManualClock(), 2);
    let backlog = 0;
    let droppedWith = '';
    bus.subscribe({ eventTypes: new Set(), deliver: () => ++backlog, dropped: (r) => (droppedWith = r) });
    for (let i = 0; i < 3; i++) bus.publish({ eventType: 'scheduler_disconnected_event' });
    expect(droppedWith).to.match(/more than 2 events behind/);
    expect(bus.subscriberCount).to.equal(0);
  });
});
