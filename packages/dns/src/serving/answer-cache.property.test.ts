// The answer cache's promise: a server that caches answers says what one that builds every answer
// says, whatever changes the records go through between queries (record sets compared as sets: the
// two rotate independently). The records are the real index, stamped after each change as the book
// stamps after each event.
import { expect } from 'chai';
import * as dnsPacket from 'dns-packet';
import fc from 'fast-check';
import { DEFAULT_DNS_CONFIG } from '../config/dns-config';
import { RecordIndex } from '../records/record-index';
import type { Forwarder } from './forwarder';
import { QueryHandler } from './query-handler';
import { silentLog } from './serving-log';
import { queryBytes } from './testing/query-bytes';

const NO_FORWARDING: Forwarder = { forward: () => Promise.resolve(undefined), close: () => undefined };
const ADDRESS_NAMES = ['web.marathon.mesos', 'api.marathon.mesos'];
const SRV_NAMES = ['_web._tcp.marathon.mesos', '_api._tcp.marathon.mesos'];
// One address at most each: the additional section holds a target's first address, which the
// two servers' rotations would make differ.
const TARGETS = ['t1.marathon.slave.mesos', 't2.marathon.slave.mesos', 't3.marathon.slave.mesos'];
const ASKED = [...ADDRESS_NAMES, ...SRV_NAMES, ...TARGETS, 'Web.Marathon.Mesos', 'marathon.mesos', 'gone.marathon.mesos', 'mesos'];

const change = fc.record({
  kind: fc.constant('change' as const),
  add: fc.boolean(),
  of: fc.constantFrom('address' as const, 'srv' as const, 'target' as const),
  name: fc.nat(5),
  value: fc.nat(3),
  clockMs: fc.constantFrom(0, 0, 1000),
});
const query = fc.record({
  kind: fc.constant('query' as const),
  name: fc.constantFrom(...ASKED),
  type: fc.constantFrom('A' as const, 'A' as const, 'SRV' as const, 'SRV' as const, 'TXT' as const, 'SOA' as const, 'ANY' as const),
  tcp: fc.boolean(),
});

/** A reply with its record sets in a fixed order. */
function normalised(reply: Buffer): unknown {
  const packet = dnsPacket.decode(reply);
  const sorted = (records: dnsPacket.Answer[] | undefined) => (records ?? []).map((r) => JSON.stringify(r)).sort();
  return { flags: packet.flags, answers: sorted(packet.answers), authorities: sorted(packet.authorities), additionals: sorted(packet.additionals) };
}

describe('answer cache against no cache', () => {
  it('gives the same answers through any changes to the records', () => {
    fc.assert(fc.property(fc.array(fc.oneof(change, query, query), { minLength: 20, maxLength: 200, size: 'large' }), (steps) => {
      let nowMs = 1_700_000_000_000;
      const index = new RecordIndex({ now: () => nowMs, srvWeight: 1 });
      index.adding.address('web.marathon.mesos', '10.0.0.1');
      index.stamp();
      const handler = (cacheAnswers: boolean) => new QueryHandler({ config: DEFAULT_DNS_CONFIG, records: index, forwarder: NO_FORWARDING, log: silentLog(), cacheAnswers });
      const cached = handler(true);
      const fresh = handler(false);
      const refs = new Map<string, number>();
      const targetAddress = new Map<string, string>();
      let id = 0;
      for (const step of steps) {
        if (step.kind === 'change') {
          if (step.of === 'target') {
            // The target's one address moves, or goes.
            const target = TARGETS[step.name % TARGETS.length]!;
            const before = targetAddress.get(target);
            if (before !== undefined) index.removing.address(target, before);
            targetAddress.delete(target);
            if (step.add) {
              targetAddress.set(target, `10.0.1.${step.value}`);
              index.adding.address(target, `10.0.1.${step.value}`);
            }
          } else {
            const srv = step.of === 'srv';
            const name = srv ? SRV_NAMES[step.name % SRV_NAMES.length]! : ADDRESS_NAMES[step.name % ADDRESS_NAMES.length]!;
            const key = `${srv} ${name} ${step.value}`;
            const held = refs.get(key) ?? 0;
            if (!step.add && held === 0) continue;
            refs.set(key, held + (step.add ? 1 : -1));
            const sink = step.add ? index.adding : index.removing;
            if (srv) sink.srv(name, TARGETS[step.value % TARGETS.length]!, 31000 + step.value);
            else sink.address(name, `10.0.0.${step.value + 1}`);
          }
          nowMs += step.clockMs;
          index.stamp();
          continue;
        }
        const bytes = queryBytes({ name: step.name, type: step.type, id: id++ });
        const transport = step.tcp ? 'tcp' : 'udp';
        // Twice: the second answer of a name is the one the cache completes its rotation with.
        for (let again = 0; again < 2; again++) {
          const a = cached.handle(bytes, transport);
          const b = fresh.handle(bytes, transport);
          if (!Buffer.isBuffer(a) || !Buffer.isBuffer(b)) throw new Error('no immediate reply');
          expect(normalised(a), `${step.name} ${step.type}`).to.deep.equal(normalised(b));
        }
      }
    }), { numRuns: 200 });
  });
});
