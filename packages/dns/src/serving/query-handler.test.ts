// The transport-free path from query bytes to reply bytes: the answer cache's rotation and
// invalidation, with time given by the test.
import { expect } from 'chai';
import * as dnsPacket from 'dns-packet';
import { DEFAULT_DNS_CONFIG } from '../config/dns-config';
import { MAX_ROTATION } from './answer-cache';
import { RecordBook } from '../records/record-book';
import { syntheticState } from '../records/synthetic-state';
import type { Forwarder } from './forwarder';
import { QueryHandler } from './query-handler';
import type { QueryEvent } from './query-event';
import { silentLog } from './serving-log';
import { MemoryRecords } from './testing/memory-records';
import { queryBytes } from './testing/query-bytes';

const SERIAL = 1_700_000_000;
const NO_FORWARDING: Forwarder = { forward: () => Promise.resolve(undefined), close: () => undefined };

/** Counts the book's lookups, to tell cache hits from fresh answers. */
class CountingRecords extends MemoryRecords {
  lookups = 0;

  override lookup(...args: Parameters<MemoryRecords['lookup']>): ReturnType<MemoryRecords['lookup']> {
    this.lookups++;
    return super.lookup(...args);
  }
}

function setUp() {
  const records = new CountingRecords(SERIAL).a('web.marathon.mesos', '10.0.0.1', '10.0.0.2', '10.0.0.3');
  const events: QueryEvent[] = [];
  const handler = new QueryHandler({
    config: DEFAULT_DNS_CONFIG, records, forwarder: NO_FORWARDING, log: silentLog(), observer: (e) => events.push(e),
  });
  const ask = (id: number, name = 'web.marathon.mesos'): dnsPacket.DecodedPacket => {
    const reply = handler.handle(queryBytes({ name, id }), 'udp');
    if (!Buffer.isBuffer(reply)) throw new Error('no immediate reply');
    return dnsPacket.decode(reply);
  };
  return { records, events, handler, ask };
}

const firstAddress = (reply: dnsPacket.DecodedPacket): string => {
  const first = reply.answers?.[0];
  return first?.type === 'A' ? first.data : '';
};

describe('QueryHandler', () => {
  it('builds the other rotation orders on the second miss, then serves them in turn with each client’s id', () => {
    const { records, ask, events } = setUp();
    ask(0);
    expect(records.lookups).to.equal(1);
    const orders = [1, 2, 3, 4, 5, 6].map((id) => ask(id));
    expect(records.lookups).to.equal(3);
    expect(orders.map((r) => r.id)).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect(orders.map(firstAddress)).to.deep.equal(['10.0.0.2', '10.0.0.3', '10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.1']);
    expect(events).to.have.length(7);
    expect(events[5]).to.deep.equal({ type: 'A', rcode: 'NOERROR', transport: 'udp', forwarded: false });
  });

  it('keeps a positive answer through changes to other names and the serial, and drops it when its own records change', () => {
    const { records, ask } = setUp();
    for (let id = 0; id < 4; id++) ask(id);
    records.serial++;
    records.a('api.marathon.mesos', '10.0.0.9');
    ask(10);
    expect(records.lookups).to.equal(3);
    records.a('web.marathon.mesos', '10.0.0.4');
    expect(ask(11).answers).to.have.length(4);
    expect(records.lookups).to.equal(4);
  });

  it('drops negative answers on any change: they carry the serial, and name other names’ existence', () => {
    const { records, ask } = setUp();
    const serialOf = (reply: dnsPacket.DecodedPacket) => {
      const soa = reply.authorities?.[0];
      return soa?.type === 'SOA' ? soa.data.serial : undefined;
    };
    for (let id = 0; id < 3; id++) expect((ask(id, 'api.marathon.mesos').flags ?? 0) & 0xf).to.equal(3);
    expect(records.lookups).to.equal(0);
    records.serial++;
    expect(serialOf(ask(3, 'api.marathon.mesos'))).to.equal(SERIAL + 1);
    records.a('api.marathon.mesos', '10.0.0.9');
    expect(ask(4, 'api.marathon.mesos').answers).to.have.length(1);
  });

  it('drops an SRV answer when the address of one of its targets changes (the additional section)', () => {
    const { records, handler } = setUp();
    records.srv('_web._tcp.marathon.mesos', 'web-1.marathon.slave.mesos', 31000).a('web-1.marathon.slave.mesos', '10.0.0.1');
    const srv = (id: number) => dnsPacket.decode(handler.handle(queryBytes({ name: '_web._tcp.marathon.mesos', type: 'SRV', id }), 'udp') as Buffer);
    expect(srv(1).additionals).to.deep.include({ name: 'web-1.marathon.slave.mesos', type: 'A', ttl: 60, class: 'IN', flush: false, data: '10.0.0.1' });
    srv(2);
    records.remove('web-1.marathon.slave.mesos', 'A').a('web-1.marathon.slave.mesos', '10.0.0.7');
    expect(srv(3).additionals?.map((r) => r.type === 'A' && r.data)).to.deep.equal(['10.0.0.7']);
  });

  it('starts over when the book cannot say what changed (rebuilt, or too far back)', () => {
    const { records, ask } = setUp();
    for (let id = 0; id < 4; id++) ask(id);
    records.forgetChanges();
    records.a('api.marathon.mesos', '10.0.0.9');
    ask(10);
    expect(records.lookups).to.equal(4);
  });

  it('caches however recent the last change was, and drops it on a change within the same second', () => {
    const { records, ask } = setUp();
    for (let id = 0; id < 6; id++) ask(id);
    expect(records.lookups).to.equal(3);
    // The serial (Unix seconds) does not move; the generation does.
    records.a('web.marathon.mesos', '10.0.0.4');
    expect(records.serial).to.equal(SERIAL);
    expect(ask(6).answers).to.have.length(4);
  });

  it('keeps answers through a full resync that changes nothing, and drops the ones a resync changes', () => {
    class CountingBook extends RecordBook {
      lookups = 0;

      override lookup(...args: Parameters<RecordBook['lookup']>): ReturnType<RecordBook['lookup']> {
        this.lookups++;
        return super.lookup(...args);
      }
    }
    const book = new CountingBook({ config: { ...DEFAULT_DNS_CONFIG, masters: ['10.0.0.1:5050'] }, now: () => SERIAL * 1000 });
    const cluster = syntheticState({ agents: 4, tasksPerAgent: 2, instancesPerApp: 4 });
    book.load(cluster);
    const handler = new QueryHandler({ config: DEFAULT_DNS_CONFIG, records: book, forwarder: NO_FORWARDING, log: silentLog() });
    const ask = (id: number, name: string) => dnsPacket.decode(handler.handle(queryBytes({ name, id }), 'udp') as Buffer);
    for (let id = 0; id < 3; id++) for (const app of [0, 1]) ask(id, `app-${app}-group-${app}.marathon.mesos`);
    const built = book.lookups;
    book.load(cluster);
    expect(ask(10, 'app-0-group-0.marathon.mesos').answers).to.have.length(4);
    expect(book.lookups).to.equal(built);
    const [first, ...rest] = cluster.get_tasks?.tasks ?? [];
    book.load({ ...cluster, get_tasks: { tasks: [{ ...first!, state: 'TASK_KILLING' }, ...rest] } });
    expect(ask(11, 'app-0-group-0.marathon.mesos').answers).to.have.length(3);
    expect(ask(12, 'app-1-group-1.marathon.mesos').answers).to.have.length(4);
    expect(book.lookups).to.equal(built + 1);
  });

  it('does not cache record sets with more orders than it keeps', () => {
    const { records, ask } = setUp();
    for (let i = 0; i <= MAX_ROTATION; i++) records.a('huge.marathon.mesos', `10.1.${i >> 8}.${i & 0xff}`);
    for (let id = 0; id < 3; id++) ask(id, 'huge.marathon.mesos');
    expect(records.lookups).to.equal(3);
  });

  it('caches negative answers too', () => {
    const { records, ask } = setUp();
    ask(1, 'web.marathon.mesos');
    const before = records.lookups;
    for (let id = 0; id < 3; id++) expect(ask(id, 'nothing.mesos').authorities?.[0]?.type).to.equal('SOA');
    expect(records.lookups).to.equal(before);
  });

  it('sends nothing for bytes without a header or with QR set', () => {
    const { handler } = setUp();
    expect(handler.handle(Buffer.from([1, 2, 3]), 'udp')).to.equal(undefined);
    const response = queryBytes({ name: 'web.marathon.mesos' });
    response[2] |= 0x80;
    expect(handler.handle(response, 'udp')).to.equal(undefined);
  });
});
