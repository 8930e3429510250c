// Names outside the domain, forwarded to upstream resolvers the tests start on loopback: another
// DnsServer authoritative for example.org, one that never answers, and a port nobody listens on.
import { until } from '@tepui/protocol';
import { expect } from 'chai';
import * as dnsPacket from 'dns-packet';
import { parseResolverAddress } from '../config/resolver-address';
import { dig } from './testing/dig';
import { MemoryRecords } from './testing/memory-records';
import { queryBytes } from './testing/query-bytes';
import { RawUdpClient } from './testing/raw-clients';
import { closedPort, SilentResolver } from './testing/silent-resolver';
import { TestServers } from './testing/test-servers';
import type { QueryEvent } from './query-event';

function exampleOrg(): MemoryRecords {
  const book = new MemoryRecords(Math.floor(Date.now() / 1000) - 10).a('www.example.org', '192.0.2.10');
  for (let i = 1; i <= 40; i++) book.a('big.example.org', `192.0.2.${100 + i}`);
  return book;
}

const MESOS = new MemoryRecords(Math.floor(Date.now() / 1000) - 10).a('web.marathon.mesos', '10.0.0.1');

describe('forwarding', () => {
  const servers = new TestServers();
  const silent: SilentResolver[] = [];
  afterEach(async () => {
    await servers.stopAll();
    await Promise.all(silent.splice(0).map((s) => s.close()));
  });

  async function upstream(): Promise<{ port: number; events: QueryEvent[] }> {
    const { server, events } = await servers.startObserved(exampleOrg(), { domain: 'example.org' });
    return { port: server.port, events };
  }

  async function silentResolver(): Promise<SilentResolver> {
    const resolver = await SilentResolver.start();
    silent.push(resolver);
    return resolver;
  }

  it('relays the upstream answer over the client’s transport', async () => {
    const up = await upstream();
    const { server, events } = await servers.startObserved(MESOS, { resolvers: [`127.0.0.1:${up.port}`] });
    const udp = await dig(server.port, 'www.example.org');
    expect(udp.status).to.equal('NOERROR');
    expect(udp.answers.map((a) => a.data)).to.deep.equal(['192.0.2.10']);
    const tcp = await dig(server.port, 'www.example.org', 'A', ['+tcp']);
    expect(tcp.answers.map((a) => a.data)).to.deep.equal(['192.0.2.10']);
    expect(up.events.map((e) => e.transport)).to.deep.equal(['udp', 'tcp']);
    expect(events).to.deep.equal([
      { type: 'A', rcode: 'NOERROR', transport: 'udp', forwarded: true },
      { type: 'A', rcode: 'NOERROR', transport: 'tcp', forwarded: true },
    ]);
    expect(await dig(server.port, 'web.marathon.mesos').then((r) => r.answers.length)).to.equal(1);
  });

  it('relays upstream negative answers as they are', async () => {
    const up = await upstream();
    const server = await servers.start(MESOS, { resolvers: [`127.0.0.1:${up.port}`] });
    const missing = await dig(server.port, 'nothing.example.org');
    expect(missing.status).to.equal('NXDOMAIN');
    expect(missing.authority.map((a) => a.type)).to.deep.equal(['SOA']);
  });

  it('gives the client its own id back', async () => {
    const up = await upstream();
    const server = await servers.start(MESOS, { resolvers: [`127.0.0.1:${up.port}`] });
    const client = new RawUdpClient(server.port);
    try {
      client.send(queryBytes({ name: 'www.example.org', id: 0x4321 }));
      const reply = dnsPacket.decode(await client.replyWithId(0x4321));
      expect(reply.answers?.map((a) => a.type === 'A' && a.data)).to.deep.equal(['192.0.2.10']);
    } finally {
      await client.close();
    }
  });

  it('tries the resolvers in order, past a refusing and a silent one', async () => {
    const up = await upstream();
    const quiet = await silentResolver();
    const server = await servers.start(MESOS, {
      resolvers: [`127.0.0.1:${await closedPort()}`, `127.0.0.1:${quiet.port}`, `127.0.0.1:${up.port}`], timeout: 0.3,
    });
    for (const transport of ['+notcp', '+tcp']) {
      const reply = await dig(server.port, 'www.example.org', 'A', [transport]);
      expect(reply.answers.map((a) => a.data), transport).to.deep.equal(['192.0.2.10']);
    }
    expect(quiet.received).to.equal(2);
  });

  it('answers SERVFAIL when every resolver fails', async () => {
    const quiet = await silentResolver();
    const { server, events } = await servers.startObserved(MESOS, { resolvers: [`127.0.0.1:${await closedPort()}`, `127.0.0.1:${quiet.port}`], timeout: 0.3 });
    expect((await dig(server.port, 'www.example.org')).status).to.equal('SERVFAIL');
    expect((await dig(server.port, 'www.example.org', 'A', ['+tcp'])).status).to.equal('SERVFAIL');
    expect(events.map((e) => e.rcode)).to.deep.equal(['SERVFAIL', 'SERVFAIL']);
    expect((await dig(server.port, 'web.marathon.mesos')).answers).to.have.length(1);
  });

  it('refuses names outside the domain with externalOn false', async () => {
    const up = await upstream();
    const server = await servers.start(MESOS, { externalOn: false, resolvers: [`127.0.0.1:${up.port}`] });
    expect((await dig(server.port, 'www.example.org')).status).to.equal('REFUSED');
    expect(up.events).to.have.length(0);
  });

  it('passes a truncated upstream reply through with TC, and the whole one over TCP', async () => {
    const up = await upstream();
    const server = await servers.start(MESOS, { resolvers: [`127.0.0.1:${up.port}`] });
    const udp = await dig(server.port, 'big.example.org', 'A', ['+notcp', '+ignore', '+noedns']);
    expect(udp.flags).to.include('tc');
    expect(udp.answers.length).to.be.within(1, 39);
    const tcp = await dig(server.port, 'big.example.org', 'A', ['+tcp']);
    expect(tcp.answers).to.have.length(40);
  });

  it('stops without waiting for a silent resolver', async () => {
    const quiet = await silentResolver();
    const server = await servers.start(MESOS, { resolvers: [`127.0.0.1:${quiet.port}`], timeout: 30 });
    const client = new RawUdpClient(server.port);
    try {
      client.send(queryBytes({ name: 'www.example.org', id: 1 }));
      await until(() => quiet.received === 1, 'the query to reach the silent resolver');
      const started = Date.now();
      await servers.stopAll();
      expect(Date.now() - started).to.be.below(5_000);
    } finally {
      await client.close();
    }
  });
});

describe('parseResolverAddress', () => {
  it('reads ip, ip:port and [ipv6]:port, port 53 by default', () => {
    expect(parseResolverAddress('8.8.8.8')).to.include({ host: '8.8.8.8', port: 53, family: 4 });
    expect(parseResolverAddress('127.0.0.1:5353')).to.include({ host: '127.0.0.1', port: 5353 });
    expect(parseResolverAddress('2001:db8::1')).to.include({ host: '2001:db8::1', port: 53, family: 6 });
    expect(parseResolverAddress('[2001:db8::1]:54')).to.include({ host: '2001:db8::1', port: 54, label: '[2001:db8::1]:54' });
  });

  it('rejects anything else, naming it', () => {
    for (const bad of ['', 'dns.google', '1.2.3.4:0', '1.2.3.4:70000', '1.2.3.4:x', '[1.2.3.4]:53', '2001:db8::1:53x']) {
      expect(() => parseResolverAddress(bad), bad).to.throw(`'${bad}'`);
    }
  });
});
