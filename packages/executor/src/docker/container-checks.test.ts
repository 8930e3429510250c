// Where a Docker task's HTTP/TCP checks go, against real sockets: the container's address for a
// container with its own network (a server on 127.0.0.2 stands for it), the host loopback for
// one on the host network, and nowhere for a container with no address.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { containerHealthCheck } from './container-checks';
import { FakeEngine } from './fake-engine';

describe('Docker task health check targets (real sockets)', () => {
  let server: Server;
  let port: number;
  const container = new FakeEngine().getContainer('c');

  before(async () => {
    server = createServer((_q, res) => res.writeHead(200).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.2', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => server.close());

  it('HTTP and TCP go to the container address on its own network', async () => {
    const http = containerHealthCheck({ type: 'HTTP', http: { port } }, container, { kind: 'own', ip: '127.0.0.2' });
    const tcp = containerHealthCheck({ type: 'TCP', tcp: { port } }, container, { kind: 'own', ip: '127.0.0.2' });
    expect(await http!(1000)).to.equal(true);
    expect(await tcp!(1000)).to.equal(true);
  });

  it('on the host network they go to the host loopback (where this server is not)', async () => {
    const http = containerHealthCheck({ type: 'HTTP', http: { port } }, container, { kind: 'host' });
    expect(await http!(1000)).to.equal(false);
  });

  it('a container with its own network but no address cannot be checked over the network', () => {
    expect(containerHealthCheck({ type: 'TCP', tcp: { port } }, container, { kind: 'own', ip: undefined })).to.equal(undefined);
    expect(containerHealthCheck({ type: 'COMMAND', command: { value: 'true' } }, container, { kind: 'own', ip: undefined })).to.be.a('function');
  });
});
