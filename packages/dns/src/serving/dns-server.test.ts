// The DNS server through the real dig binary and raw sockets, on loopback port 0.
import { expect } from 'chai';
import * as dnsPacket from 'dns-packet';
import { connect } from 'node:net';
import { RCODE } from './dns-codes';
import { dig, digShort } from './testing/dig';
import { MemoryRecords } from './testing/memory-records';
import { queryBytes, rcodeOfReply } from './testing/query-bytes';
import { RawTcpClient } from './testing/raw-clients';
import { TestServers } from './testing/test-servers';

function cluster(): MemoryRecords {
  const book = new MemoryRecords(Math.floor(Date.now() / 1000) - 10)
    .a('web.marathon.mesos', '10.0.0.1', '10.0.0.2', '10.0.0.3')
    .a('web-a1-s1.marathon.slave.mesos', '10.0.1.1')
    .srv('_web._tcp.marathon.mesos', 'web-a1-s1.marathon.slave.mesos', 31000)
    .a('db.marathon.mesos', 'fd00::5')
    .ptr('1.1.0.10.in-addr.arpa', 'web-a1-s1.marathon.mesos');
  for (let i = 1; i <= 40; i++) book.a('many.marathon.mesos', `10.2.0.${i}`);
  return book;
}

describe('DnsServer', () => {
  const servers = new TestServers();
  afterEach(() => servers.stopAll());

  it('listens on one picked port for UDP and TCP, and answers dig on both', async () => {
    const server = await servers.start(cluster());
    expect(server.port).to.be.above(0);
    expect(await digShort(server.port, 'web.marathon.mesos')).to.have.members(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(await digShort(server.port, 'web.marathon.mesos', 'A', ['+tcp'])).to.have.members(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    const udp = await dig(server.port, 'web.marathon.mesos', 'A', ['+notcp']);
    expect(udp.transport).to.equal('UDP');
    expect(udp.flags).to.include.members(['qr', 'aa', 'rd', 'ra']);
    expect(udp.answers.every((a) => a.ttl === 60)).to.equal(true);
  });

  it('answers SRV with the target address in the additional section, and NXDOMAIN/NODATA with the SOA', async () => {
    const server = await servers.start(cluster());
    const srv = await dig(server.port, '_web._tcp.marathon.mesos', 'SRV');
    expect(srv.answers.map((a) => a.data)).to.deep.equal(['0 1 31000 web-a1-s1.marathon.slave.mesos.']);
    expect(srv.additional.map((a) => `${a.name} ${a.data}`)).to.deep.equal(['web-a1-s1.marathon.slave.mesos. 10.0.1.1']);
    const missing = await dig(server.port, 'nothing.marathon.mesos', 'SRV');
    expect(missing.status).to.equal('NXDOMAIN');
    expect(missing.authority.map((a) => a.type)).to.deep.equal(['SOA']);
    const nodata = await dig(server.port, 'web.marathon.mesos', 'TXT');
    expect(nodata.status).to.equal('NOERROR');
    expect(nodata.answers).to.have.length(0);
    expect(nodata.authority.map((a) => a.type)).to.deep.equal(['SOA']);
  });

  it('answers AAAA, and PTR for the reverse names it holds', async () => {
    const server = await servers.start(cluster());
    expect(await digShort(server.port, 'db.marathon.mesos', 'AAAA')).to.deep.equal(['fd00::5']);
    expect(await digShort(server.port, '1.1.0.10.in-addr.arpa', 'PTR')).to.deep.equal(['web-a1-s1.marathon.mesos.']);
    // Not held, and no resolvers to forward it to.
    expect((await dig(server.port, '2.1.0.10.in-addr.arpa', 'PTR')).status).to.equal('REFUSED');
  });

  it('truncates 40 A records over UDP with TC, and gives all 40 over TCP and to a large EDNS buffer', async () => {
    const server = await servers.start(cluster());
    const udp = await dig(server.port, 'many.marathon.mesos', 'A', ['+notcp', '+ignore', '+noedns']);
    expect(udp.flags).to.include('tc');
    expect(udp.answers.length).to.be.within(1, 39);
    const tcp = await dig(server.port, 'many.marathon.mesos', 'A', ['+tcp']);
    expect(tcp.flags).not.to.include('tc');
    expect(tcp.answers).to.have.length(40);
    const large = await dig(server.port, 'many.marathon.mesos', 'A', ['+notcp', '+bufsize=4096']);
    expect(large.transport).to.equal('UDP');
    expect(large.flags).not.to.include('tc');
    expect(large.answers).to.have.length(40);
    const small = await dig(server.port, 'many.marathon.mesos', 'A', ['+notcp', '+ignore', '+bufsize=600']);
    expect(small.flags).to.include('tc');
    expect(small.answers.length).to.be.above(udp.answers.length).and.below(40);
  });

  it('clears TC when setTruncateBit is false, though the answer was cut', async () => {
    const server = await servers.start(cluster(), { setTruncateBit: false });
    const udp = await dig(server.port, 'many.marathon.mesos', 'A', ['+notcp', '+ignore', '+noedns']);
    expect(udp.flags).not.to.include('tc');
    expect(udp.answers.length).to.be.within(1, 39);
  });

  it('reports each reply to the observer by type, rcode and transport', async () => {
    const { server, events } = await servers.startObserved(cluster());
    await dig(server.port, 'web.marathon.mesos', 'A');
    await dig(server.port, 'nothing.mesos', 'AAAA', ['+tcp']);
    await dig(server.port, 'example.org', 'A');
    expect(events).to.deep.equal([
      { type: 'A', rcode: 'NOERROR', transport: 'udp', forwarded: false },
      { type: 'AAAA', rcode: 'NXDOMAIN', transport: 'tcp', forwarded: false },
      { type: 'A', rcode: 'REFUSED', transport: 'udp', forwarded: false },
    ]);
  });

  it('serves rotated answers from its cache, and new records as soon as the serial or size changes', async () => {
    const book = cluster();
    const server = await servers.start(book);
    const firsts = new Set<string>();
    for (let i = 0; i < 6; i++) firsts.add((await digShort(server.port, 'web.marathon.mesos'))[0] ?? '');
    expect(firsts.size).to.equal(3);
    book.a('web.marathon.mesos', '10.0.0.4');
    expect(await digShort(server.port, 'web.marathon.mesos')).to.have.length(4);
    book.remove('web.marathon.mesos', 'A').a('web.marathon.mesos', '10.9.9.9', '10.9.9.8', '10.9.9.7', '10.9.9.6');
    book.serial++;
    expect(await digShort(server.port, 'web.marathon.mesos')).to.include('10.9.9.9');
  });

  it('answers several queries on one TCP connection, pipelined and split across writes', async () => {
    const server = await servers.start(cluster());
    const client = await RawTcpClient.open(server.port);
    try {
      const framed = Buffer.concat([1, 2, 3].map((id) => {
        const query = queryBytes({ name: 'web.marathon.mesos', id });
        const length = Buffer.alloc(2);
        length.writeUInt16BE(query.length);
        return Buffer.concat([length, query]);
      }));
      client.write(framed.subarray(0, 5));
      client.write(framed.subarray(5, 40));
      client.write(framed.subarray(40));
      for (const id of [1, 2, 3]) expect(dnsPacket.decode(await client.replyWithId(id)).answers).to.have.length(3);
      client.send(queryBytes({ name: 'nothing.mesos', id: 4 }));
      expect(rcodeOfReply(await client.replyWithId(4))).to.equal(RCODE.NXDOMAIN);
    } finally {
      await client.close();
    }
  });

  it('closes an idle TCP connection', async () => {
    const server = await servers.start(cluster(), {}, { tcpIdleTimeoutMs: 200 });
    const client = await RawTcpClient.open(server.port);
    try {
      client.send(queryBytes({ name: 'web.marathon.mesos', id: 1 }));
      await client.replyWithId(1);
      await client.closedByServer();
    } finally {
      await client.close();
    }
  });

  it('answers the queries of a client that ended its side, then closes', async () => {
    const server = await servers.start(cluster());
    const client = await RawTcpClient.open(server.port);
    try {
      client.send(queryBytes({ name: 'web.marathon.mesos', id: 9 }));
      client.end();
      await client.replyWithId(9);
      await client.closedByServer();
    } finally {
      await client.close();
    }
  });

  it('refuses TCP connections beyond the limit, and serves the others', async () => {
    const server = await servers.start(cluster(), {}, { maxTcpConnections: 2 });
    const clients = await Promise.all([1, 2].map(() => RawTcpClient.open(server.port)));
    const extra = await RawTcpClient.open(server.port);
    try {
      await extra.closedByServer();
      clients[0]!.send(queryBytes({ name: 'web.marathon.mesos', id: 5 }));
      await clients[0]!.replyWithId(5);
    } finally {
      await Promise.all([...clients, extra].map((c) => c.close()));
    }
  });

  it('stops with connections open, and frees its port', async () => {
    const server = await servers.start(cluster());
    const client = await RawTcpClient.open(server.port);
    const port = server.port;
    await server.stop();
    await client.closedByServer();
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(false);
      });
      socket.on('error', () => resolve(true));
    });
    expect(refused).to.equal(true);
  });

  it('answers SERVFAIL when the records throw, and answers again once they do not', async () => {
    const book = cluster();
    let broken = true;
    let serialBroken = false;
    const flaky = {
      get serial() {
        if (serialBroken) throw new Error('serial unreadable');
        return book.serial;
      },
      get size() {
        return book.size;
      },
      get generation() {
        if (serialBroken) throw new Error('generation unreadable');
        return book.generation;
      },
      exists: (name: string) => book.exists(name),
      changedNames: (since: number) => book.changedNames(since),
      lookup: (name: string, type: 'A' | 'AAAA' | 'SRV' | 'PTR') => {
        if (broken) throw new Error('record book exploded');
        return book.lookup(name, type);
      },
    };
    const server = await servers.start(flaky);
    expect((await dig(server.port, 'web.marathon.mesos')).status).to.equal('SERVFAIL');
    expect((await dig(server.port, 'web.marathon.mesos', 'A', ['+tcp'])).status).to.equal('SERVFAIL');
    serialBroken = true;
    expect((await dig(server.port, 'web.marathon.mesos', 'A', ['+tcp'])).status).to.equal('SERVFAIL');
    expect((await dig(server.port, 'web.marathon.mesos', 'A')).status).to.equal('SERVFAIL');
    serialBroken = false;
    broken = false;
    expect(await digShort(server.port, 'web.marathon.mesos')).to.have.length(3);
  });

  it('keeps answering when the observer throws', async () => {
    const server = await servers.start(cluster(), {}, { observer: () => {
      throw new Error('metrics broke');
    } });
    expect(await digShort(server.port, 'web.marathon.mesos')).to.have.length(3);
  });

});
