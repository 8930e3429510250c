import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import pino from 'pino';
import { ManualClock } from '@tepui/protocol';
import { EventBus } from '../events/event-bus';
import { createMarathonApp } from './app';

describe('Marathon API basics', () => {
  let server: Server;
  let url: string;

  before(async () => {
    const clock = new ManualClock();
    const app = createMarathonApp({
      log: pino({ level: 'silent' }),
      clock,
      bus: new EventBus(clock),
      system: { version: '1.11.0', leader: () => '127.0.0.1:8080', elected: () => true, frameworkId: () => 'F-0001', config: { framework_name: 'marathon' }, httpPort: 8080 },
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('answers /ping with pong as text, or JSON when only JSON is accepted', async () => {
    const text = await fetch(`${url}/ping`);
    expect(text.headers.get('content-type')).to.match(/^text\/plain/);
    expect(await text.text()).to.equal('pong');
    const json = await fetch(`${url}/ping`, { headers: { Accept: 'application/json' } });
    expect(await json.json()).to.equal('pong');
  });

  it('answers /v2/info and /v2/leader, with X-Marathon-Leader on every response', async () => {
    const info = await fetch(`${url}/v2/info`);
    expect(info.headers.get('x-marathon-leader')).to.equal('http://127.0.0.1:8080');
    expect(await info.json()).to.deep.include({ name: 'marathon', elected: true, leader: '127.0.0.1:8080', frameworkId: 'F-0001' });
    expect(await (await fetch(`${url}/v2/leader`)).json()).to.deep.equal({ leader: '127.0.0.1:8080' });
  });

  it('answers unknown routes with Marathon 404 body', async () => {
    const res = await fetch(`${url}/v2/nothing-here`);
    expect(res.status).to.equal(404);
    expect(await res.json()).to.deep.equal({ message: 'URI not found: /v2/nothing-here' });
  });

  it('refuses /v2/events without Accept: text/event-stream', async () => {
    expect((await fetch(`${url}/v2/events`)).status).to.equal(405);
  });
});
