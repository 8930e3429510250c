import { expect } from 'chai';
import { ConfigError, loadMarathonConfig } from './config';

describe('Marathon configuration', () => {
  it('takes Marathon flag names, milliseconds as Marathon gives them, with its defaults', () => {
    const config = loadMarathonConfig(['--master=127.0.0.1:5050', '--kill_retry_timeout=2500', '--decline_offer_duration=4000']);
    expect(config.masters).to.deep.equal(['http://127.0.0.1:5050']);
    expect(config.killRetryMs).to.equal(2500);
    expect(config.declineOfferSeconds).to.equal(4);
    expect(loadMarathonConfig(['--master=m:5050']).killRetryMs).to.equal(10_000);
    expect(loadMarathonConfig(['--master=m:5050']).launchConfirmTimeoutMs).to.equal(300_000);
  });

  it('refuses a value that is not a number, naming the flag', () => {
    expect(() => loadMarathonConfig(['--master=m:5050', '--kill_retry_timeout=soon'])).to.throw(ConfigError, "--kill_retry_timeout");
  });

  it('takes --zk for state and election (HA on by default), redacting the password in what it reports', () => {
    const config = loadMarathonConfig(['--master=zk://z1:2181,z2:2181/mesos', '--zk=zk://marathon:secret@z1:2181,z2:2181/marathon', '--zk_session_timeout=4000']);
    expect(config.masters).to.deep.equal(['zk://z1:2181,z2:2181/mesos']);
    expect(config.zk?.url).to.deep.include({ servers: 'z1:2181,z2:2181', path: '/marathon', digest: 'marathon:secret' });
    expect(config.zk?.sessionTimeoutMs).to.equal(4000);
    expect(config.zk?.maxNodeBytes).to.equal(1_024_000);
    expect(config.flags.get('zk')).to.equal('zk://marathon:********@z1:2181,z2:2181/marathon');
    expect(loadMarathonConfig(['--master=m:5050']).zk).to.equal(undefined);
  });

  it('refuses a malformed --zk or zk:// --master, HA without --zk, and --disable_ha with --zk, naming the flag', () => {
    expect(() => loadMarathonConfig(['--zk=zk://z1/marathon'])).to.throw(ConfigError, "Flag 'zk'");
    expect(() => loadMarathonConfig(['--zk=http://z1:2181/marathon'])).to.throw(ConfigError, "Flag 'zk'");
    expect(() => loadMarathonConfig(['--zk=zk://z1:2181'])).to.throw(ConfigError, 'needs a path');
    expect(() => loadMarathonConfig(['--master=zk://z1:port/mesos'])).to.throw(ConfigError, "Flag 'master'");
    expect(() => loadMarathonConfig(['--ha'])).to.throw(ConfigError, "Flag 'ha' needs --zk");
    expect(() => loadMarathonConfig(['--zk=zk://z1:2181/marathon', '--disable_ha'])).to.throw(ConfigError, "Flag 'disable_ha'");
    expect(() => loadMarathonConfig(['--zk=zk://z1:2181/marathon', '--ha=false'])).to.throw(ConfigError, "Flag 'disable_ha'");
    expect(loadMarathonConfig(['--disable_ha']).zk).to.equal(undefined);
  });
});
