import { expect } from 'chai';
import { parseConfigAlerts } from './alerts';

describe('parseConfigAlerts', () => {
  const cases: Array<{ name: string; lines: string[]; expect: Array<{ line?: number; message: string }> }> = [
    {
      name: 'a parsing alert names its line; the summaries after it are dropped',
      lines: [
        '[NOTICE]   (20275) : haproxy version is 2.6.12-1+deb12u4',
        "[ALERT]    (20275) : config : parsing [/d/haproxy.cfg:13] : unknown keyword 'bogus' in 'backend' section",
        '[ALERT]    (20275) : config : Error(s) found in configuration file : /d/haproxy.cfg',
        '[ALERT]    (20275) : config : Fatal errors found in configuration.',
      ],
      expect: [{ line: 13, message: "unknown keyword 'bogus' in 'backend' section" }],
    },
    {
      name: 'a server-line alert',
      lines: ["[ALERT]    (20275) : config : [/d/haproxy.cfg:12] : 'server b/s1' : unknown keyword 'weird'."],
      expect: [{ line: 12, message: "'server b/s1' : unknown keyword 'weird'." }],
    },
    {
      name: 'an alert without a location',
      lines: [
        "[ALERT]    (20279) : config : Proxy 'f': unable to find required default_backend: 'nope'.",
        '[ALERT]    (20279) : config : Fatal errors found in configuration.',
      ],
      expect: [{ message: "Proxy 'f': unable to find required default_backend: 'nope'." }],
    },
    {
      name: 'a bind failure names the file line, not the address',
      lines: [
        '[ALERT]    (18640) : Binding [/d/haproxy.cfg:17] for frontend g: cannot bind socket (Address already in use) for [127.0.0.1:19555]',
      ],
      expect: [
        { line: 17, message: 'Binding [/d/haproxy.cfg:17] for frontend g: cannot bind socket (Address already in use) for [127.0.0.1:19555]' },
      ],
    },
    {
      name: 'only summaries: they are all there is to say',
      lines: ['[ALERT]    (1) : config : Fatal errors found in configuration.'],
      expect: [{ message: 'Fatal errors found in configuration.' }],
    },
    { name: 'warnings are not problems', lines: ["[WARNING]  (1) : config : missing timeouts for frontend 'f'."], expect: [] },
  ];
  for (const c of cases) {
    it(c.name, () => expect(parseConfigAlerts(c.lines)).to.deep.equal(c.expect));
  }
});
