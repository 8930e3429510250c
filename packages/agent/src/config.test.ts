import { expect } from 'chai';
import { AgentConfigError, loadAgentConfig } from './config';

describe('agent config', () => {
  it('uses Mesos flag names, durations in ms, and detects unspecified resources', () => {
    const config = loadAgentConfig(['--master=127.0.0.1:5050', '--port=0', '--work_dir=/tmp/x', '--resources=cpus:2;mem:512', '--attributes=rack:r1', '--executor_registration_timeout=30secs']);
    expect(config.resources.scalar('cpus')).to.equal(2);
    expect(config.resources.scalar('mem')).to.equal(512);
    expect(config.resources.scalar('disk')).to.be.greaterThan(0);
    expect(config.resources.ranges('ports')).to.deep.equal([{ begin: 31000, end: 32000 }]);
    expect(config.attributes).to.deep.equal([{ name: 'rack', type: 'TEXT', text: { value: 'r1' } }]);
    expect(config.executorRegistrationTimeoutMs).to.equal(30_000);
    expect(config.statusUpdateRetryIntervalMinMs).to.equal(10_000);
    expect(Object.isFrozen(config)).to.equal(true);
  });

  it('has Mesos garbage-collection defaults and duration syntax', () => {
    const defaults = loadAgentConfig(['--work_dir=/tmp/x']);
    expect(defaults.gcDelayMs).to.equal(7 * 24 * 3_600_000);
    expect(defaults.gcDiskHeadroom).to.equal(0.1);
    expect(defaults.diskWatchIntervalMs).to.equal(60_000);
    expect(defaults.flags.get('gc_delay')).to.equal('1weeks');
    const set = loadAgentConfig(['--work_dir=/tmp/x', '--gc_delay=2secs', '--gc_disk_headroom=0', '--disk_watch_interval=500ms']);
    expect([set.gcDelayMs, set.gcDiskHeadroom, set.diskWatchIntervalMs]).to.deep.equal([2000, 0, 500]);
  });

  it('takes TEPUI_AGENT_* from the environment under command-line flags', () => {
    const config = loadAgentConfig(['--port=7000'], { TEPUI_AGENT_PORT: '6000', TEPUI_AGENT_HOSTNAME: 'from-env' });
    expect(config.port).to.equal(7000);
    expect(config.hostname).to.equal('from-env');
  });

  const bad: Array<[string[], RegExp]> = [
    [['--no_such_flag=1'], /unknown flag 'no_such_flag'/],
    [['--resources=cpus:-1'], /Bad scalar/],
    [['--recover=maybe'], /reconnect' or 'cleanup/],
    [['--executor_registration_timeout=soon'], /Invalid duration/],
    [['--port=99999'], /port number/],
    [['--gc_disk_headroom=1.5'], /'gc_disk_headroom' must be between 0.0 and 1.0/],
    [['--gc_disk_headroom=-0.1'], /'gc_disk_headroom' must be between 0.0 and 1.0/],
    [['--gc_disk_headroom=lots'], /'gc_disk_headroom' must be between 0.0 and 1.0/],
    [['--gc_delay=soon'], /Flag 'gc_delay': Invalid duration/],
    [['--disk_watch_interval=1'], /Flag 'disk_watch_interval': Invalid duration/],
  ];
  for (const [argv, message] of bad) {
    it(`rejects ${argv.join(' ')}`, () => expect(() => loadAgentConfig(argv)).to.throw(AgentConfigError, message));
  }
});

describe('agent --master', () => {
  it('takes host:port or a ZooKeeper URL, and names the flag when it is malformed', () => {
    expect(loadAgentConfig(['--master=10.0.0.1:5050']).master).to.deep.equal({ hostPort: '10.0.0.1:5050' });
    expect(loadAgentConfig(['--master=zk://h1:2181,h2:2181/mesos']).master).to.deep.equal({ zk: { servers: 'h1:2181,h2:2181', path: '/mesos' } });
    expect(() => loadAgentConfig(['--master=zk://h1/mesos'])).to.throw(AgentConfigError, /Flag 'master': ZooKeeper server 'h1'/);
    expect(() => loadAgentConfig(['--master=nonsense'])).to.throw(AgentConfigError, /Flag 'master': Expected a master as host:port/);
  });
});
