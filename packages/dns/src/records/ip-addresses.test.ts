import { expect } from 'chai';
import {
  canonicalIp, hostAddresses, joinHostPort, masterHostPort, reverseName, splitHostPort, upidHostPort,
} from './ip-addresses';

describe('ip addresses', () => {
  it('spells addresses one way, and refuses what is not an address', () => {
    expect(canonicalIp('10.0.2.7')).to.equal('10.0.2.7');
    expect(canonicalIp('2001:DB8:0:0::0001')).to.equal('2001:db8::1');
    expect(canonicalIp('::ffff:10.0.2.7')).to.equal('10.0.2.7');
    expect(canonicalIp('fe80::1%eth0')).to.equal(undefined);
    expect(canonicalIp('agent-3.example.org')).to.equal(undefined);
    expect(canonicalIp('')).to.equal(undefined);
  });

  it('turns a host into addresses: a literal as is, a name through the resolver', () => {
    const resolve = (host: string) => (host === 'agent-3' ? ['10.0.2.7', '10.0.2.7', 'garbage', '2001:db8::7'] : []);
    expect(hostAddresses('10.0.2.8', resolve)).to.deep.equal(['10.0.2.8']);
    expect(hostAddresses('[2001:db8::1]', resolve)).to.deep.equal(['2001:db8::1']);
    expect(hostAddresses('agent-3', resolve)).to.deep.equal(['10.0.2.7', '2001:db8::7']);
    expect(hostAddresses('unknown', resolve)).to.deep.equal([]);
    expect(hostAddresses('', resolve)).to.deep.equal([]);
  });

  it('reads host:port, UPIDs and MasterInfo', () => {
    expect(splitHostPort('10.0.0.1:5050')).to.deep.equal({ host: '10.0.0.1', port: 5050 });
    expect(splitHostPort('[2001:db8::1]:5050')).to.deep.equal({ host: '2001:db8::1', port: 5050 });
    expect(splitHostPort('master-1:5050')).to.deep.equal({ host: 'master-1', port: 5050 });
    expect(splitHostPort('10.0.0.1')).to.equal(undefined);
    expect(upidHostPort('slave(1)@10.0.0.5:5051')).to.deep.equal({ host: '10.0.0.5', port: 5051 });
    expect(upidHostPort('no-at-sign')).to.equal(undefined);
    expect(joinHostPort({ host: '2001:db8::1', port: 5050 })).to.equal('[2001:db8::1]:5050');
    // The address IP first, else the packed IPv4 (network order read little-endian), else the hostname.
    expect(masterHostPort({ id: 'm', ip: 0, port: 5050, address: { ip: '10.0.0.1', port: 5051 } })).to.deep.equal({ host: '10.0.0.1', port: 5051 });
    expect(masterHostPort({ id: 'm', ip: 16777226, port: 5050 })).to.deep.equal({ host: '10.0.0.1', port: 5050 });
    expect(masterHostPort({ id: 'm', ip: 0, port: 5050, hostname: 'master-1' })).to.deep.equal({ host: 'master-1', port: 5050 });
  });

  it('names reverse lookups', () => {
    expect(reverseName('10.0.2.7')).to.equal('7.2.0.10.in-addr.arpa');
    expect(reverseName('2001:db8::567:89ab')).to.equal('b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa');
    expect(reverseName('::1')).to.equal(`1.${'0.'.repeat(31)}ip6.arpa`);
  });
});
