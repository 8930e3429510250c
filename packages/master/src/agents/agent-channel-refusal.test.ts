// A connection the master refuses to upgrade (not the agent channel, or a master that does not
// lead) may be reset by its client before or after the refusal is written: agents trying every
// master after a failover do exactly that. The master must shrug it off, not die of an unhandled
// ECONNRESET (a standby crashing this way left a cluster with no quorum of contenders).
import { expect } from 'chai';
import { connect } from 'node:net';
import { startInProcess, type InProcessCluster } from '../testing/in-process';

describe('agent channel: a refused upgrade reset by its client (in-process master)', () => {
  let cluster: InProcessCluster;
  beforeEach(async () => {
    cluster = await startInProcess();
  });
  afterEach(async () => {
    await cluster.stop();
  });

  it('answers 404, survives the reset, and keeps serving', async () => {
    const { hostname, port } = new URL(cluster.master.url);
    for (let i = 0; i < 5; i++) {
      const socket = connect(Number(port), hostname);
      const answer = await new Promise<string>((resolve, reject) => {
        let received = '';
        socket.on('error', reject);
        socket.on('data', (chunk: Buffer) => {
          received += chunk.toString();
          if (received.includes('\r\n\r\n')) resolve(received);
        });
        socket.write(`GET /not-the-agent-channel HTTP/1.1\r\nHost: ${hostname}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`);
      });
      expect(answer).to.match(/^HTTP\/1\.1 404 /);
      // An RST rather than a FIN: the master's end of the socket reads ECONNRESET.
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.resetAndDestroy();
      });
    }
    const health = await fetch(`${cluster.master.url}/health`);
    expect(health.status).to.equal(200);
  });
});
