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
});
