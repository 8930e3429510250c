import { expect } from 'chai';
import { parseProcessList } from './process-list';

// `show proc` answers captured from HAProxy 2.6.12.
const AFTER_FAILED_RELOAD = `#<PID>          <type>          <reloads>       <uptime>        <version>
18640           master          5 [failed: 1]   0d00h01m25s     2.6.12-1+deb12u4
# workers
19246           worker          1               0d00h00m07s     2.6.12-1+deb12u4
# programs

`;

const WHILE_OLD_WORKER_DRAINS = `#<PID>          <type>          <reloads>       <uptime>        <version>
100             master          2 [failed: 0]   0d00h00m09s     2.6.12-1+deb12u4
# workers
300             worker          0               0d00h00m01s     2.6.12-1+deb12u4
200             worker          1               0d00h00m05s     2.6.12-1+deb12u4
# programs
`;

describe('parseProcessList', () => {
  it('reads the master reload count and the failed reloads since the last success', () => {
    expect(parseProcessList(AFTER_FAILED_RELOAD)).to.deep.equal({
      master: { pid: 18640, reloads: 5, failedReloads: 1 },
      workers: [{ pid: 19246, reloads: 1 }],
    });
  });

  it('lists old workers beside the new generation (reloads 0)', () => {
    const list = parseProcessList(WHILE_OLD_WORKER_DRAINS);
    expect(list?.workers).to.deep.equal([
      { pid: 300, reloads: 0 },
      { pid: 200, reloads: 1 },
    ]);
  });

  it('returns undefined for text that is not a show proc answer', () => {
    expect(parseProcessList('Unknown command.\n')).to.equal(undefined);
  });
});
