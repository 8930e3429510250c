import { expect } from 'chai';
import { killActionFor } from './kill-action';

describe('kill action (how an instance is got rid of)', () => {
  const table = [
    { name: 'running', state: 'TASK_RUNNING', pending: false, expect: 'issue-kill' },
    { name: 'staging', state: 'TASK_STAGING', pending: false, expect: 'issue-kill' },
    { name: 'killing', state: 'TASK_KILLING', pending: false, expect: 'issue-kill' },
    { name: 'stored, LAUNCH not sent', state: 'TASK_STAGING', pending: true, expect: 'cancel-launch' },
    { name: 'unreachable', state: 'TASK_UNREACHABLE', pending: false, expect: 'expunge' },
    { name: 'unknown to Mesos', state: 'TASK_UNKNOWN', pending: false, expect: 'expunge' },
  ] as const;
  for (const row of table) {
    it(`${row.name} → ${row.expect}`, () => {
      expect(killActionFor({ state: row.state }, row.pending)).to.equal(row.expect);
    });
  }
});
