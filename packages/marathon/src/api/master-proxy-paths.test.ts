import { expect } from 'chai';
import { operatorEventToSse, PROXIED_MASTER_PATHS, proxiedMasterPath, redirectTarget } from './master-proxy-paths';

describe('the master proxy: pure decisions', () => {
  it('passes exactly the allow-listed read-only endpoints', () => {
    const table: Array<[string, string | undefined]> = [
      ['/ui/api/mesos/master/state', '/master/state'],
      ['/ui/api/mesos/master/state-summary', '/master/state-summary'],
      ['/ui/api/mesos/master/roles/', '/master/roles'],
      ['/ui/api/mesos/master/frameworks', '/master/frameworks'],
      ['/ui/api/mesos/master/slaves', '/master/slaves'],
      ['/ui/api/mesos/metrics/snapshot', '/metrics/snapshot'],
      ['/ui/api/mesos/api/v1', undefined],
      ['/ui/api/mesos/master/teardown', undefined],
      ['/ui/api/mesos/master/weights', undefined],
      ['/ui/api/mesos/master/maintenance/schedule', undefined],
      ['/ui/api/mesos/master/state/../teardown', undefined],
      ['/ui/api/mesos/master/flags', undefined],
      ['/ui/api/mesos/files/read', undefined],
      ['/master/state', undefined],
    ];
    for (const [path, expected] of table) expect(proxiedMasterPath(path), path).to.equal(expected);
    expect(PROXIED_MASTER_PATHS).to.have.length(6);
  });

  it("follows a standby's protocol-relative redirect to the leader, and nothing but http(s)", () => {
    expect(redirectTarget('//10.0.0.2:5050/master/state', 'http://10.0.0.1:5050/master/state')).to.equal('http://10.0.0.2:5050/master/state');
    expect(redirectTarget('https://m2:5050/api/v1', 'http://m1:5050/api/v1')).to.equal('https://m2:5050/api/v1');
    expect(redirectTarget('file:///etc/passwd', 'http://m1:5050/master/state')).to.equal(undefined);
  });

  it('turns each operator event into one SSE message named by its type; SUBSCRIBED loses its state', () => {
    const added = { type: 'AGENT_ADDED', agent_added: { agent: { agent_info: { id: { value: 'a1' } } } } };
    expect(operatorEventToSse(JSON.stringify(added))).to.equal(`event: AGENT_ADDED\ndata: ${JSON.stringify(added)}\n\n`);
    const subscribed = { type: 'SUBSCRIBED', subscribed: { get_state: { get_agents: { agents: [1, 2, 3] } }, heartbeat_interval_seconds: 15 } };
    expect(operatorEventToSse(JSON.stringify(subscribed))).to.equal('event: SUBSCRIBED\ndata: {"type":"SUBSCRIBED","subscribed":{"heartbeat_interval_seconds":15}}\n\n');
    expect(operatorEventToSse('not json')).to.equal(undefined);
    expect(operatorEventToSse('[1]')).to.equal(undefined);
    expect(operatorEventToSse('{"type":"X\\ndata: forged"}'), 'a type that would break the framing').to.equal(undefined);
  });
});
