import { expect } from 'chai';
import { parseServersState } from './servers-state';

// `show servers state be_test` from HAProxy 2.6.12: s1 a free slot (`disabled`), s2 after
// `set server … state ready`, s3 after `state drain`, s5 an explicit server.
const ANSWER = `1
# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
3 be_test 1 s1 127.0.0.1 0 5 1 1 1 1 0 0 8 0 0 0 - 1 - 0 0 - - 0
3 be_test 2 s2 127.0.0.1 2 4 1 1 0 1 0 0 8 0 0 0 - 41001 - 0 0 - - 0
3 be_test 3 s3 127.0.0.1 2 12 1 1 0 1 0 0 8 0 0 0 - 41002 - 0 0 - - 0
3 be_test 5 s5 127.0.0.1 2 0 1 1 1 1 0 2 0 0 0 1 - 41003 - 0 0 - - 0
`;

describe('parseServersState', () => {
  const rows = parseServersState(ANSWER);

  it('reads one row per server, by column name', () => {
    expect(rows.map((r) => [r.backend, r.server, r.serverId, r.addr, r.port])).to.deep.equal([
      ['be_test', 's1', 1, '127.0.0.1', 1],
      ['be_test', 's2', 2, '127.0.0.1', 41001],
      ['be_test', 's3', 3, '127.0.0.1', 41002],
      ['be_test', 's5', 5, '127.0.0.1', 41003],
    ]);
  });

  it('a disabled slot is in maintenance; after `state ready` only the configured bit remains and it is not', () => {
    expect(rows.map((r) => [r.server, r.operationalState, r.adminFlags, r.inMaintenance, r.draining])).to.deep.equal([
      ['s1', 'stopped', 5, true, false],
      ['s2', 'running', 4, false, false],
      ['s3', 'running', 12, false, true],
      ['s5', 'running', 0, false, false],
    ]);
  });

  it('an answer without rows (an empty backend) gives none', () => {
    expect(parseServersState('1\n# be_id be_name srv_id\n')).to.deep.equal([]);
  });
});
