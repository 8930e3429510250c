import { expect } from 'chai';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Registry } from 'prom-client';
import { DEFAULT_DNS_CONFIG, type DnsConfig } from '../config/dns-config';
import type { DnsRecord, RecordLookup, RecordType } from '../records/dns-record';
import type { FollowerStatus } from '../state/master-follower';
import { createDnsHttpApi } from './dns-http-api';
import { DnsMetrics } from './dns-metrics';
import { RecordChangeNotifier } from './record-watch';

/** A fixed record set for the API's read paths. */
function stubLookup(records: DnsRecord[]): RecordLookup {
  return {
    lookup: (name: string, type: RecordType) => records.filter((r) => r.name === name && r.type === type),
    exists: (name: string) => records.some((r) => r.name === name),
    serial: 1,
    generation: 1,
    changedNames: () => undefined,
    size: records.length,
  };
}

const RECORDS: DnsRecord[] = [
  { name: 'web.marathon.mesos', type: 'A', address: '10.0.0.1' },
  { name: 'web.marathon.mesos', type: 'A', address: '10.0.0.2' },
  { name: 'web-abcde-s1.marathon.slave.mesos', type: 'A', address: '10.0.0.1' },
  { name: '_web._tcp.marathon.mesos', type: 'SRV', srv: { priority: 0, weight: 1, port: 31001, target: 'web-abcde-s1.marathon.slave.mesos' } },
];

async function withApi(config: Partial<DnsConfig>, status: FollowerStatus, test: (base: string) => Promise<void>): Promise<void> {
  const registry = new Registry();
  const lookup = stubLookup(RECORDS);
  const metrics = new DnsMetrics(registry, () => lookup, () => status, () => 10_000);
  metrics.observe({ type: 'A', rcode: 'NOERROR', transport: 'udp', forwarded: false });
  const server: Server = createDnsHttpApi({
    config: { ...DEFAULT_DNS_CONFIG, masters: ['10.0.0.9:5050'], ...config }, lookup: () => lookup, status: () => status, registry,
    enumerate: () => ({ frameworks: [] }), axfrRecords: () => ({ As: {} }), now: () => 10_000,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await test(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const CONNECTED: FollowerStatus = { connected: true, master: '10.0.0.9:5050', lastSyncMs: 4_000, lastUpdateMs: 9_000, resyncs: 0, events: 3 };

describe('the Mesos-DNS HTTP API', () => {
  it('answers hosts and services in Mesos-DNS’ shapes, with its not-found placeholders', async () => {
    await withApi({}, CONNECTED, async (base) => {
      const hosts = await (await fetch(`${base}/v1/hosts/Web.Marathon.Mesos.`)).json();
      expect(hosts).to.deep.equal([{ host: 'web.marathon.mesos.', ip: '10.0.0.1' }, { host: 'web.marathon.mesos.', ip: '10.0.0.2' }]);
      expect(await (await fetch(`${base}/v1/hosts/nothing.mesos`)).json()).to.deep.equal([{ host: '', ip: '' }]);
      const services = await (await fetch(`${base}/v1/services/_web._tcp.marathon.mesos`)).json();
      expect(services).to.deep.equal([{ service: '_web._tcp.marathon.mesos', host: 'web-abcde-s1.marathon.slave.mesos.', ip: '10.0.0.1', port: '31001' }]);
      expect(await (await fetch(`${base}/v1/services/_none._tcp.mesos`)).json()).to.deep.equal([{ service: '', host: '', ip: '', port: '' }]);
      const ports = await fetch(`${base}/v1/hosts/web.marathon.mesos/ports`);
      expect(ports.status).to.equal(501);
      expect((await fetch(`${base}/v1/hosts/%E0%A4%A`)).status).to.equal(400);
    });
  });

  it('shows the configuration under Go field names with the ZooKeeper password redacted', async () => {
    await withApi({ zk: 'zk://dns:s3cret@10.0.0.1:2181/mesos' }, CONNECTED, async (base) => {
      const config = (await (await fetch(`${base}/v1/config`)).json()) as Record<string, unknown>;
      expect(config).to.include({ Domain: 'mesos', TTL: 60, Zk: 'zk://dns:********@10.0.0.1:2181/mesos', SOAMname: 'ns1.mesos.' });
      expect(JSON.stringify(config)).not.to.contain('s3cret');
      const version = (await (await fetch(`${base}/v1/version`)).json()) as Record<string, unknown>;
      expect(version.Service).to.equal('Mesos-DNS');
    });
  });

  it('serves enumeration only when it is on', async () => {
    await withApi({ enumerationOn: false }, CONNECTED, async (base) => {
      expect((await fetch(`${base}/v1/enumerate`)).status).to.equal(404);
      expect((await fetch(`${base}/v1/axfr`)).status).to.equal(404);
    });
    await withApi({}, CONNECTED, async (base) => {
      expect(await (await fetch(`${base}/v1/axfr`)).json()).to.deep.equal({
        TTL: 60, Serial: 1, RefreshSeconds: 60, Mname: 'ns1.mesos.', Rname: 'root.ns1.mesos.', Domain: 'mesos', Records: { As: {} },
      });
    });
  });

  it('says when the records are stale because no master answers, and exports metrics', async () => {
    const stale: FollowerStatus = { connected: false, lastSyncMs: 4_000, lastUpdateMs: 4_000, unreachableSinceMs: 8_000, error: 'connect ECONNREFUSED', resyncs: 1, events: 3 };
    await withApi({}, stale, async (base) => {
      const status = (await (await fetch(`${base}/v1/status`)).json()) as Record<string, unknown>;
      expect(status).to.deep.include({ connected: false, records: 4, lastUpdateAgeSeconds: 6, stale: { since: new Date(8_000).toISOString(), reason: 'connect ECONNREFUSED' } });
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).to.match(/tepui_dns_queries_total\{type="A",rcode="NOERROR",transport="udp",forwarded="false"\} 1/);
      expect(metrics).to.match(/tepui_dns_records 4/);
      expect(metrics).to.match(/tepui_dns_last_update_age_seconds 6/);
      expect(metrics).to.match(/tepui_dns_master_connected 0/);
      expect((await fetch(`${base}/v1/hosts/x`, { method: 'POST' })).status).to.equal(405);
    });
    await withApi({}, { connected: false, resyncs: 0, events: 0 }, async (base) => {
      expect((await fetch(`${base}/health`)).status).to.equal(503);
    });
  });

  it('streams a record-change event at once and after each change (/v1/watch)', async () => {
    const registry = new Registry();
    const notifier = new RecordChangeNotifier();
    let generation = 7;
    const lookup: RecordLookup = { ...stubLookup(RECORDS), get generation() {
      return generation;
    } };
    const server = createDnsHttpApi({
      config: { ...DEFAULT_DNS_CONFIG, masters: ['10.0.0.9:5050'] }, lookup: () => lookup, status: () => CONNECTED, registry,
      enumerate: () => ({}), axfrRecords: () => ({}), changes: notifier.subscribe,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const controller = new AbortController();
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/watch`, { signal: controller.signal });
      expect(res.headers.get('content-type')).to.equal('text/event-stream');
      const reader = res.body!.getReader();
      let text = '';
      const events = () => [...text.matchAll(/data: (.*)\n/g)].map((m) => JSON.parse(m[1]!) as { generation: number; records: number });
      const read = async (count: number) => {
        while (events().length < count) text += new TextDecoder().decode((await reader.read()).value);
      };
      await read(1);
      expect(events()[0]).to.deep.equal({ generation: 7, serial: 1, records: 4 });
      // Two changes in one turn make one event; a notification without a change makes none.
      generation = 9;
      notifier.changed();
      notifier.changed();
      await read(2);
      notifier.changed();
      generation = 10;
      notifier.changed();
      await read(3);
      expect(events().map((e) => e.generation)).to.deep.equal([7, 9, 10]);
    } finally {
      controller.abort();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
