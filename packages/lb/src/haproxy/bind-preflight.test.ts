import { expect } from 'chai';
import { createServer } from 'node:net';
import { findTakenNewPorts, tcpBindAddresses } from './bind-preflight';

describe('bind preflight', () => {
  it('reads host:port binds and skips unix sockets and fd@', () => {
    const text = ['frontend a', '  bind *:80', '  bind 127.0.0.1:9090 ssl crt /x.pem', '  bind :81,10.0.0.1:82', '  bind /run/x.sock', '  bind fd@3'].join('\n');
    expect(tcpBindAddresses(text)).to.deep.equal([
      { host: '0.0.0.0', port: 80 },
      { host: '127.0.0.1', port: 9090 },
      { host: '0.0.0.0', port: 81 },
      { host: '10.0.0.1', port: 82 },
    ]);
  });

  it('reports a new port another process listens on, not the ports the current config already binds', async () => {
    const other = createServer();
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const port = (other.address() as { port: number }).port;
    try {
      expect(await findTakenNewPorts('', `  bind 127.0.0.1:${port}`)).to.deep.equal([{ host: '127.0.0.1', port }]);
      expect(await findTakenNewPorts(`  bind 127.0.0.1:${port}`, `  bind 127.0.0.1:${port}`)).to.deep.equal([]);
    } finally {
      other.close();
    }
  });
});
