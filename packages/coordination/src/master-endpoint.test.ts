import { expect } from 'chai';
import { fixedMasterDetector, masterEndpoint } from './master-endpoint';

describe('master endpoints', () => {
  it('reaches a master at its advertised address IP, else its hostname', () => {
    expect(masterEndpoint({ id: 'a', ip: 16842762, port: 5050, hostname: 'm1', address: { hostname: 'm1', ip: '10.0.1.1', port: 5050 } })).to.equal('10.0.1.1:5050');
    expect(masterEndpoint({ id: 'a', ip: 0, port: 5051, hostname: 'm2' })).to.equal('m2:5051');
    expect(masterEndpoint({ id: 'a', ip: 0, port: 5050, address: { ip: '::1', port: 5050 } })).to.equal('[::1]:5050');
  });

  it('describes a master given as host:port, and refuses anything else naming it', () => {
    expect(masterEndpoint(fixedMasterDetector('127.0.0.1:5050').current())).to.equal('127.0.0.1:5050');
    expect(() => fixedMasterDetector('zk://x')).to.throw("Expected a master as host:port, got 'zk://x'");
  });
});
