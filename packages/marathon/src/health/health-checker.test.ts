import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { runMarathonCheck } from './health-checker';

describe('Marathon-side health check runner (real sockets)', () => {
  let server: Server;
  let port: number;
  before(async () => {
    server = createServer((req, res) => {
      res.statusCode = req.url === '/ok' ? 200 : req.url === '/redirect' ? 302 : 500;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('treats 200–399 as healthy and names the status of a failure', async () => {
    expect(await runMarathonCheck({ protocol: 'HTTP', path: '/ok' }, { host: '127.0.0.1', port }, 1000)).to.deep.equal({ ok: true });
    expect(await runMarathonCheck({ protocol: 'HTTP', path: '/redirect' }, { host: '127.0.0.1', port }, 1000)).to.deep.equal({ ok: true });
    expect(await runMarathonCheck({ protocol: 'HTTP', path: '/bad' }, { host: '127.0.0.1', port }, 1000)).to.deep.equal({ ok: false, cause: '500 Internal Server Error' });
  });

  it('checks TCP by connecting, and reports refused connections', async () => {
    expect(await runMarathonCheck({ protocol: 'TCP' }, { host: '127.0.0.1', port }, 1000)).to.deep.equal({ ok: true });
    const closed = await runMarathonCheck({ protocol: 'TCP' }, { host: '127.0.0.1', port: 1 }, 1000);
    expect(closed).to.have.property('ok', false);
  });
});
