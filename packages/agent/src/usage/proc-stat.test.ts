// Parsing /proc/<pid>/stat and status as the kernel writes them, including command names that
// hold the characters a naive split trips on.
import { expect } from 'chai';
import { parseProcStat, parseRssBytes } from './proc-stat';

// proc(5) fields from 3 on: state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
// utime stime cutime cstime priority nice num_threads itrealvalue starttime vsize rss …
const line = (comm: string) => `4242 (${comm}) S 4200 4242 4242 0 -1 4194560 120 0 0 0 250 30 7 3 20 0 3 0 8618236 3133440 362 18446744073709551615 0`;

describe('parseProcStat', () => {
  const rows: Array<{ name: string; comm: string }> = [
    { name: 'a plain command name', comm: 'sh' },
    { name: 'a name with spaces', comm: 'my task' },
    { name: 'a name with parentheses and a closing one inside', comm: 'x) S 1 1 1 (y' },
  ];
  for (const row of rows) {
    it(row.name, () => {
      expect(parseProcStat(line(row.comm))).to.deep.equal({
        pid: 4242, state: 'S', ppid: 4200, pgrp: 4242, session: 4242, utime: 250, stime: 30, cutime: 7, cstime: 3, threads: 3,
      });
    });
  }

  it('reads a zombie (state Z)', () => {
    expect(parseProcStat('77 (defunct) Z 1 77 77 0 -1 0 0 0 0 0 12 4 0 0 20 0 1 0')?.state).to.equal('Z');
  });

  it('refuses what is not a stat line', () => {
    expect(parseProcStat('')).to.equal(undefined);
    expect(parseProcStat('4242 (sh S 1 2 3')).to.equal(undefined);
    expect(parseProcStat('4242 (sh) S 1 2')).to.equal(undefined);
    expect(parseProcStat('x (sh) S 4200 4242 4242 0 -1 4194560 120 0 0 0 250 30 7 3 20 0 3 0')).to.equal(undefined);
  });
});

describe('parseRssBytes', () => {
  it('VmRSS in kB, as bytes', () => {
    expect(parseRssBytes('Name:\tsh\nVmPeak:\t  9000 kB\nVmRSS:\t    1964 kB\nThreads:\t1\n')).to.equal(1964 * 1024);
  });
  it('none for a kernel thread or zombie, which has no VmRSS line', () => {
    expect(parseRssBytes('Name:\tkworker/0:1\nState:\tI (idle)\nThreads:\t1\n')).to.equal(0);
  });
  it('is not fooled by VmRSS-like text elsewhere', () => {
    expect(parseRssBytes('Name:\tVmRSS: 5 kB\n')).to.equal(0);
  });
});
