import { expect } from 'chai';
import { ConfigError, loadMasterConfig, masterHelp } from './config';

describe('master config', () => {
  it('has Mesos defaults, with durations in ms', () => {
    const c = loadMasterConfig([]);
    expect(c.port).to.equal(5050);
    expect(c.allocationIntervalMs).to.equal(1000);
    expect(c.agentPingTimeoutMs).to.equal(15_000);
    expect(c.maxAgentPingTimeouts).to.equal(5);
    expect(c.heartbeatIntervalMs).to.equal(15_000);
    expect(c.offerTimeoutMs).to.equal(undefined);
    expect(c.minAllocatable.map((m) => Object.fromEntries(m))).to.deep.equal([{ cpus: 0.01 }, { mem: 32 }]);
    expect(Object.isFrozen(c)).to.equal(true);
  });

  it('merges defaults < TEPUI_MASTER_* < flags', () => {
    const c = loadMasterConfig(['--allocation_interval=250ms', '--weights=prod=2,dev=1'], { TEPUI_MASTER_ALLOCATION_INTERVAL: '5secs', TEPUI_MASTER_OFFER_TIMEOUT: '30secs' });
    expect(c.allocationIntervalMs).to.equal(250);
    expect(c.offerTimeoutMs).to.equal(30_000);
    expect(Object.fromEntries(c.weights)).to.deep.equal({ prod: 2, dev: 1 });
    expect(c.flags.get('allocation_interval')).to.equal('250ms');
  });

  const bad: Array<[string, RegExp]> = [
    ['--allocation_interval=fast', /Invalid duration/],
    ['--weights=prod=-1', /Invalid weight/],
    ['--role_sorter=fifo', /'drf' or 'random'/],
    ['--port=-5', /non-negative integer/],
    ['--bogus=1', /unknown flag 'bogus'/],
  ];
  for (const [flag, message] of bad) it(`rejects ${flag}`, () => expect(() => loadMasterConfig([flag])).to.throw(ConfigError, message));

  it('generates --help from the flag table', () => {
    expect(masterHelp()).to.match(/--allocation_interval=VALUE\s+Upper bound between batch allocations\. \(default: 1secs\)/);
  });
});

describe('master ZooKeeper flags', () => {
  it('reads --zk, --quorum and --zk_session_timeout, and hides the password in the flags it reports', () => {
    const config = loadMasterConfig(['--zk=zk://ops:pw@10.0.0.1:2181,10.0.0.2:2181/mesos', '--quorum=2', '--zk_session_timeout=4secs']);
    expect(config.zk).to.deep.include({ quorum: 2, sessionTimeoutMs: 4000 });
    expect(config.zk?.url).to.deep.equal({ servers: '10.0.0.1:2181,10.0.0.2:2181', path: '/mesos', digest: 'ops:pw' });
    expect(config.flags.get('zk')).to.equal('zk://ops:********@10.0.0.1:2181,10.0.0.2:2181/mesos');
    expect(loadMasterConfig([]).zk).to.equal(undefined);
  });

  it('refuses a malformed --zk, a missing --quorum and a --quorum without --zk, naming the flag', () => {
    expect(() => loadMasterConfig(['--zk=zk://nohostport/mesos', '--quorum=1'])).to.throw(ConfigError, /Flag 'zk': ZooKeeper server 'nohostport'/);
    expect(() => loadMasterConfig(['--zk=zk://h:2181/mesos'])).to.throw(ConfigError, /Flag 'quorum' is required when --zk is given/);
    expect(() => loadMasterConfig(['--quorum=2'])).to.throw(ConfigError, /only meaningful with --zk/);
    expect(() => loadMasterConfig(['--zk=zk://h:2181/mesos', '--quorum=0'])).to.throw(ConfigError, /at least 1/);
  });
});
