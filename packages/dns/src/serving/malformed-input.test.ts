// Hostile and broken input over UDP and TCP: FORMERR when a header with an id can be read,
// silence (UDP) or a closed connection (TCP) otherwise, and after each the server still answers.
import { expect } from 'chai';
import * as dnsPacket from 'dns-packet';
import { RCODE } from './dns-codes';
import type { DnsServer } from './dns-server';
import { digShort } from './testing/dig';
import { MemoryRecords } from './testing/memory-records';
import { queryBytes, rcodeOfReply } from './testing/query-bytes';
import { RawTcpClient, RawUdpClient } from './testing/raw-clients';
import { TestServers } from './testing/test-servers';

/** A header with id `id`, RD, and the given QDCOUNT, and nothing after it. */
const header = (id: number, qdcount: number): Buffer => Buffer.from([id >> 8, id & 0xff, 0x01, 0x00, 0, qdcount, 0, 0, 0, 0, 0, 0]);

const MALFORMED_WITH_HEADER: ReadonlyArray<{ name: string; bytes: Buffer }> = [
  { name: 'a header promising a question that is not there', bytes: header(0x0101, 1) },
  { name: 'a question name pointing at itself', bytes: Buffer.concat([header(0x0102, 1), Buffer.from([0xc0, 0x0c, 0, 1, 0, 1])]) },
  { name: 'two pointers pointing at each other', bytes: Buffer.concat([header(0x0103, 1), Buffer.from([0xc0, 0x0e, 0xc0, 0x0c, 0, 1, 0, 1])]) },
  { name: 'a label running past the end', bytes: Buffer.concat([header(0x0104, 1), Buffer.from([40, 0x61, 0x62])]) },
  { name: 'a label length with the reserved top bits', bytes: Buffer.concat([header(0x0105, 1), Buffer.from([0x80, 0x61, 0, 0, 1, 0, 1])]) },
  { name: 'QDCOUNT 2', bytes: dnsPacket.encode({ type: 'query', id: 0x0106, questions: [{ type: 'A', name: 'a.mesos' }, { type: 'A', name: 'b.mesos' }] }) },
  { name: 'QDCOUNT 0', bytes: header(0x0107, 0) },
  { name: 'ARCOUNT 65535 with no records', bytes: Buffer.concat([queryBytes({ name: 'web.marathon.mesos', id: 0x0108 }).subarray(0, 10), Buffer.from([0xff, 0xff]), queryBytes({ name: 'web.marathon.mesos' }).subarray(12)]) },
];

function book(): MemoryRecords {
  return new MemoryRecords(Math.floor(Date.now() / 1000) - 10).a('web.marathon.mesos', '10.0.0.1');
}

async function stillAnswers(server: DnsServer): Promise<void> {
  expect(await digShort(server.port, 'web.marathon.mesos')).to.deep.equal(['10.0.0.1']);
  expect(await digShort(server.port, 'web.marathon.mesos', 'A', ['+tcp'])).to.deep.equal(['10.0.0.1']);
}

describe('DnsServer with malformed input', () => {
  const servers = new TestServers();
  afterEach(() => servers.stopAll());

  describe('over UDP', () => {
    for (const { name, bytes } of MALFORMED_WITH_HEADER) {
      it(`answers ${name} with FORMERR`, async () => {
        const server = await servers.start(book());
        const client = new RawUdpClient(server.port);
        try {
          client.send(bytes);
          const reply = await client.replyWithId(bytes.readUInt16BE(0));
          expect(rcodeOfReply(reply)).to.equal(RCODE.FORMERR);
          await stillAnswers(server);
        } finally {
          await client.close();
        }
      });
    }

    it('drops what has no header, and responses, and answers the good query sent after them', async () => {
      const server = await servers.start(book());
      const client = new RawUdpClient(server.port);
      try {
        client.send(Buffer.from([1, 2, 3]));
        client.send(Buffer.alloc(11, 0x42));
        client.send(Buffer.alloc(4000, 0xff));
        client.send(Buffer.alloc(0));
        client.send(queryBytes({ name: 'web.marathon.mesos', id: 0x7777 }));
        await client.replyWithId(0x7777);
        // Loopback datagrams are handled in order: the garbage came first and got nothing.
        expect(client.replies).to.have.length(1);
        await stillAnswers(server);
      } finally {
        await client.close();
      }
    });

    it('answers a large datagram of random bytes after a valid header with FORMERR', async () => {
      const server = await servers.start(book());
      const client = new RawUdpClient(server.port);
      try {
        const garbage = Buffer.alloc(60_000);
        for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) & 0xff;
        garbage.set(header(0x0909, 3), 0);
        client.send(garbage);
        expect(rcodeOfReply(await client.replyWithId(0x0909))).to.equal(RCODE.FORMERR);
        await stillAnswers(server);
      } finally {
        await client.close();
      }
    });

    it('answers an unknown opcode with NOTIMP', async () => {
      const server = await servers.start(book());
      const client = new RawUdpClient(server.port);
      try {
        client.send(queryBytes({ name: 'web.marathon.mesos', id: 0x0a0a, flags: 5 << 11 }));
        expect(rcodeOfReply(await client.replyWithId(0x0a0a))).to.equal(RCODE.NOTIMP);
      } finally {
        await client.close();
      }
    });
  });

  describe('over TCP', () => {
    for (const { name, bytes } of MALFORMED_WITH_HEADER) {
      it(`answers ${name} with FORMERR and keeps the connection`, async () => {
        const server = await servers.start(book());
        const client = await RawTcpClient.open(server.port);
        try {
          client.send(bytes);
          expect(rcodeOfReply(await client.replyWithId(bytes.readUInt16BE(0)))).to.equal(RCODE.FORMERR);
          client.send(queryBytes({ name: 'web.marathon.mesos', id: 0x6666 }));
          expect(dnsPacket.decode(await client.replyWithId(0x6666)).answers).to.have.length(1);
        } finally {
          await client.close();
        }
      });
    }

    it('closes the connection on a message too short for a header', async () => {
      const server = await servers.start(book());
      const client = await RawTcpClient.open(server.port);
      try {
        client.send(Buffer.from([0x12, 0x34, 0x01, 0x00, 0x00]));
        await client.closedByServer();
        await stillAnswers(server);
      } finally {
        await client.close();
      }
    });

    it('survives 70 kB of garbage on a connection', async () => {
      const server = await servers.start(book());
      const client = await RawTcpClient.open(server.port);
      try {
        const garbage = Buffer.alloc(70_000);
        for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 2654435761) >>> 24;
        client.write(garbage);
        client.end();
        await client.closedByServer();
        await stillAnswers(server);
      } finally {
        await client.close();
      }
    });

    it('forgets half a frame when the client closes, and answers the next client', async () => {
      const server = await servers.start(book());
      const client = await RawTcpClient.open(server.port);
      try {
        client.write(Buffer.concat([Buffer.from([0x00, 0x40]), Buffer.alloc(20, 0x41)]));
        client.end();
        await client.closedByServer();
        await stillAnswers(server);
      } finally {
        await client.close();
      }
    });

    it('keeps serving other clients while one holds half a frame open', async () => {
      const server = await servers.start(book());
      const stuck = await RawTcpClient.open(server.port);
      try {
        stuck.write(Buffer.from([0x00, 0x40, 0x12]));
        await stillAnswers(server);
        expect(stuck.isClosed).to.equal(false);
      } finally {
        await stuck.close();
      }
    });
  });
});
