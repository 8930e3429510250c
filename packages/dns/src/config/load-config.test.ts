import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommandLine } from './command-line';
import { DEFAULT_DNS_CONFIG } from './dns-config';
import { DnsConfigError, loadDnsConfig } from './load-config';

const refused = (file: unknown, flags: Array<[string, string]> = []): string => {
  try {
    loadDnsConfig(file, new Map(flags));
  } catch (err) {
    expect(err).to.be.instanceOf(DnsConfigError);
    return (err as Error).message;
  }
  throw new Error('the configuration was accepted');
};

describe('Tepui-DNS configuration', () => {
  it('takes Mesos-DNS keys case-insensitively, over the defaults', () => {
    const config = loadDnsConfig({
      zk: 'zk://127.0.0.1:2181/mesos', masters: ['10.0.0.1:5050', '10.0.0.2:5050'], refreshSeconds: 30, TTL: 5,
      Domain: 'Cluster.Local', port: 8053, resolvers: ['10.0.0.53', '10.0.0.54:5353', '[::1]:53'], ExternalOn: false,
      ipsources: ['host'], SOAMname: 'ns1.cluster.local.', SOARname: 'admin@cluster.local', httpport: 0,
      mesosHTTPSOn: false, mesosAuthentication: '', zoneResolvers: {},
    });
    expect(config).to.deep.include({
      zk: 'zk://127.0.0.1:2181/mesos', masters: ['10.0.0.1:5050', '10.0.0.2:5050'], refreshSeconds: 30, ttl: 5,
      domain: 'cluster.local', port: 8053, externalOn: false, ipSources: ['host'], soaMname: 'ns1.cluster.local',
      soaRname: 'admin.cluster.local', httpPort: 0, listener: DEFAULT_DNS_CONFIG.listener, healthAware: true,
    });
  });

  it('lets flags override the file', () => {
    const config = loadDnsConfig({ masters: ['10.0.0.1:5050'], port: 53 }, new Map([['port', '8053'], ['masters', '127.0.0.1:5050,127.0.0.1:5051'], ['externalon', 'false']]));
    expect(config.port).to.equal(8053);
    expect(config.masters).to.deep.equal(['127.0.0.1:5050', '127.0.0.1:5051']);
    expect(config.externalOn).to.equal(false);
  });

  it('refuses unknown keys and bad values, naming the key', () => {
    expect(refused({ masters: ['a:1'], refreshSecond: 5 })).to.equal('unknown config key "refreshSecond"');
    expect(refused({ masters: ['a:1'], ttl: 'soon' })).to.match(/"ttl": expected an integer ≥ 0, got "soon"/);
    expect(refused({ masters: ['a:1'], port: 70000 })).to.match(/"port": expected a port number/);
    expect(refused({ masters: ['a:1'], domain: 'bad_domain!' })).to.match(/"domain"/);
    expect(refused({ masters: ['a:1', 'a:1'] })).to.match(/"masters": "a:1" is listed twice/);
    expect(refused({ masters: ['nohostport'] })).to.match(/"masters": "nohostport" is not host:port/);
    expect(refused({ masters: ['a:1'], resolvers: ['dns.example'] })).to.match(/"resolvers": "dns.example" is not an IP/);
    expect(refused({ masters: ['a:1'], IPSources: ['host', 'cloud'] })).to.match(/"IPSources": unknown source "cloud"/);
    expect(refused({ masters: ['a:1'], IPSources: [] })).to.match(/"IPSources"/);
    expect(refused({ zk: 'http://not-zk' })).to.match(/"zk"/);
    expect(refused({})).to.match(/"zk" or "masters" is required/);
    expect(refused({ masters: ['a:1'], dnson: false, httpon: false })).to.match(/nothing would be served/);
    expect(refused({ masters: ['a:1'], TTL: 1, ttl: 2 })).to.match(/"TTL" and "ttl" are the same key/);
    expect(refused([1, 2])).to.match(/JSON object/);
    expect(refused({ masters: ['a:1'] }, [['ttl', '-1']])).to.match(/--ttl: expected an integer ≥ 0/);
    expect(refused({ masters: ['a:1'] }, [['dnson', 'yes']])).to.match(/--dnson: expected true or false/);
  });

  it('refuses what Mesos-DNS does and Tepui-DNS cannot yet, instead of ignoring it', () => {
    expect(refused({ masters: ['a:1'], mesosHTTPSOn: true })).to.match(/"mesosHTTPSOn": TLS to the master is not supported yet/);
    expect(refused({ masters: ['a:1'], mesosAuthentication: 'basic' })).to.match(/"mesosAuthentication"/);
    expect(refused({ masters: ['a:1'], mesosCredentials: { principal: 'p', secret: 's' } })).to.match(/"mesosCredentials"/);
    expect(refused({ masters: ['a:1'], zoneResolvers: { 'corp.': ['10.0.0.1'] } })).to.match(/"zoneResolvers"/);
  });
});

describe('Tepui-DNS command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tepui-dns-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads -config and lets Go-style and Mesos-style flags override it', () => {
    const file = join(dir, 'ok.json');
    writeFileSync(file, JSON.stringify({ masters: ['10.0.0.1:5050'], ttl: 30 }));
    const line = parseCommandLine([`-config=${file}`, '--ttl=5', '-v=1'], dir);
    if (line.printVersion) throw new Error('not a version request');
    expect(line.config).to.include({ ttl: 5 });
    expect(line.logLevel).to.equal('debug');
    expect(parseCommandLine(['-version'], dir).printVersion).to.equal(true);
  });

  it('stops with a message naming a missing, broken or wrong config file', () => {
    const failure = (argv: string[]) => {
      try {
        parseCommandLine(argv, dir);
      } catch (err) {
        expect(err).to.be.instanceOf(DnsConfigError);
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(failure([`--config=${join(dir, 'missing.json')}`])).to.match(/cannot read the config file .*missing.json: ENOENT/);
    writeFileSync(join(dir, 'broken.json'), '{"masters": [');
    expect(failure([`--config=${join(dir, 'broken.json')}`])).to.match(/broken.json is not JSON/);
    writeFileSync(join(dir, 'unknown.json'), '{"masters": ["a:1"], "dnsport": 53}');
    expect(failure([`--config=${join(dir, 'unknown.json')}`])).to.equal('unknown config key "dnsport"');
    expect(failure(['--masters=a:1', '--bogus=1'])).to.match(/unknown flag 'bogus'/);
    expect(failure(['--masters=a:1', '-v=7'])).to.match(/-v: expected 0, 1 or 2/);
  });
});
