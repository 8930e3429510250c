// One event stream against a fake Marathon: the request, the events, and each way it ends.
import { expect } from 'chai';
import { until, type MarathonEvent } from '@tepui/protocol';
import { openEventStream, type MarathonEventStream } from './event-stream';
import { LB_EVENT_TYPES } from './event-decoder';
import { MarathonClient } from './marathon-client';
import { statusUpdate, taskJson } from './testing/fixtures';
import { FakeMarathon } from './testing/fake-marathon';

describe('openEventStream', () => {
  let fake: FakeMarathon;
  let stream: MarathonEventStream | undefined;
  const events: MarathonEvent[] = [];
  beforeEach(async () => {
    fake = await FakeMarathon.start({ keepAliveMs: 50 });
    events.length = 0;
  });
  afterEach(async () => {
    stream?.close('test over');
    await fake.close();
  });

  async function open(stallTimeoutMs = 1500): Promise<MarathonEventStream> {
    const client = new MarathonClient({ urls: [fake.url] });
    stream = await openEventStream(client, fake.url, { onEvent: (e) => events.push(e), stallTimeoutMs });
    return stream;
  }

  it('asks for light plans and the load balancer’s event types, and delivers their events in order', async () => {
    await open();
    const url = new URL(fake.lastEventsUrl!, 'http://x');
    expect(url.pathname).to.equal('/v2/events');
    expect(url.searchParams.get('plan-format')).to.equal('light');
    expect(url.searchParams.getAll('event_type')).to.deep.equal([...LB_EVENT_TYPES]);
    const t = taskJson('/a', 1);
    fake.push(statusUpdate(t, 'TASK_RUNNING'));
    fake.push({ eventType: 'scheduler_disconnected_event' }); // filtered out by the fake, as by Marathon
    fake.push(statusUpdate(t, 'TASK_KILLED'));
    await until(() => events.length === 2, 'two events');
    expect(events.map((e) => (e.eventType === 'status_update_event' ? e.taskStatus : e.eventType))).to.deep.equal(['TASK_RUNNING', 'TASK_KILLED']);
  });

  it('stays open while keep-alive lines come, and reports a stall when nothing comes', async () => {
    // 1 s: far above the 50 ms between keep-alives, so a loaded machine does not fake a stall.
    const s = await open(1000);
    const opened = fake.streamRequests;
    let ended = false;
    void s.ended.then(() => (ended = true));
    // Keep-alives every 50 ms: wait through more than two stall periods (1 s) of them.
    const sent = fake.keepAlivesSent;
    await until(() => fake.keepAlivesSent >= sent + 44, 'keep-alives for 2.2 s');
    expect(ended).to.equal(false);
    fake.stall();
    const end = await s.ended;
    expect(end.kind).to.equal('stalled');
    expect(end.reason).to.include('sent nothing for 1000 ms');
    expect(fake.streamRequests).to.equal(opened);
    await until(() => fake.openStreams === 0, 'the stalled socket closed by the client');
  });

  it('reports a malformed event', async () => {
    const s = await open();
    fake.pushRaw('event: status_update_event\r\ndata: {"eventType":"status_update_event",\r\n\r\n');
    expect((await s.ended).kind).to.equal('malformed');
  });

  it('reports Marathon closing the stream, and close() as cancelled', async () => {
    const s = await open();
    fake.closeStreams();
    expect((await s.ended).kind).to.equal('closed');
    const s2 = await open();
    s2.close('bye');
    expect(await s2.ended).to.deep.equal({ kind: 'cancelled', reason: 'bye' });
  });

  it('follows a redirect to the leader', async () => {
    const standby = await FakeMarathon.start();
    try {
      standby.redirectTo = fake.url;
      stream = await openEventStream(new MarathonClient({ urls: [standby.url] }), standby.url, { onEvent: (e) => events.push(e) });
      fake.push(statusUpdate(taskJson('/a', 1), 'TASK_RUNNING'));
      await until(() => events.length === 1, 'the leader’s event');
    } finally {
      await standby.close();
    }
  });
});
