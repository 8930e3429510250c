// HAProxy's [ALERT] lines turned into problems with line numbers. HAProxy 2.6 writes them as
//   [ALERT]    (20275) : config : parsing [/d/haproxy.cfg:13] : unknown keyword 'bogus' in 'backend' section
//   [ALERT]    (20275) : config : [/d/haproxy.cfg:12] : 'server b/s1' : unknown keyword 'weird'.
//   [ALERT]    (20279) : config : Proxy 'f': unable to find required default_backend: 'nope'.
//   [ALERT]    (18640) : Binding [/d/haproxy.cfg:17] for frontend g: cannot bind socket (Address already in use) for [127.0.0.1:19555]
// followed by summaries ("Error(s) found in configuration file : …", "Fatal errors found in
// configuration.") that repeat nothing useful when a specific alert came before them.
import type { ConfigProblem } from './errors';

const ALERT = /^\[ALERT\]\s+(?:\(\d+\)\s+)?:\s+(.*)$/;
const COMPONENT = /^(?:config|parsing) : /;
/** The location leads: the rest is the message. */
const LOCATED = /^(?:parsing )?\[[^\]]*?:(\d+)\] : (.*)$/;
/** The location sits inside the sentence ("Binding [file:17] for frontend g: …"): keep the sentence. */
/** A file path, not an address: "[127.0.0.1:19555]" in the same sentence names no line. */
const MENTIONS_LINE = /\[[^\]\s]*[A-Za-z/][^\]\s]*?:(\d+)\]/;
const SUMMARY = /^(Error\(s\) found in configuration file|Fatal errors found in configuration)/;

/** Problems named by the [ALERT] lines among `lines`; other lines (NOTICE, WARNING) are ignored. */
export function parseConfigAlerts(lines: readonly string[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const summaries: ConfigProblem[] = [];
  for (const line of lines) {
    const alert = ALERT.exec(line.trim());
    if (!alert) continue;
    const text = (alert[1] ?? '').replace(COMPONENT, '');
    const located = LOCATED.exec(text);
    const mentioned = located ? null : MENTIONS_LINE.exec(text);
    if (located) problems.push({ line: Number(located[1]), message: located[2] ?? '' });
    else if (mentioned) problems.push({ line: Number(mentioned[1]), message: text });
    else if (SUMMARY.test(text)) summaries.push({ message: text });
    else problems.push({ message: text });
  }
  return problems.length > 0 ? problems : summaries;
}
