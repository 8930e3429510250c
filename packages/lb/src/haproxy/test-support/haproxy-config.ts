// The configurations the experiments run: one HTTP frontend and one backend of server-template
// slots, rendered the way the LB renders them (free slots `disabled` at FREE_SLOT_ADDRESS).
import { FREE_SLOT_ADDRESS } from '../../model/layout';

export interface TestConfigInput {
  readonly adminSocket: string;
  readonly frontendPort: number;
  /** The proxies' mode (default http). */
  readonly mode?: 'http' | 'tcp';
  /** Template slots s1..sN, disabled at the placeholder address. */
  readonly slots: number;
  /** Server lines after the template (e.g. an explicit `server s5 … id 5`). */
  readonly extraServers?: readonly string[];
  /** Options appended to the template line (e.g. `check inter 1s`). */
  readonly templateOptions?: string;
  /** `expose-fd listeners` on the stats socket (marathon-lb's setting; not needed on 2.6). */
  readonly exposeFd?: boolean;
  /** Lines added at the end (e.g. another frontend for a reload that changes something). */
  readonly extraLines?: readonly string[];
}

export function renderTestConfig(input: TestConfigInput): string {
  const exposeFd = input.exposeFd ? ' expose-fd listeners' : '';
  const template = `  server-template s 1-${input.slots} ${FREE_SLOT_ADDRESS} disabled${input.templateOptions ? ` ${input.templateOptions}` : ''}`;
  return [
    'global',
    '  maxconn 2000',
    `  stats socket ${input.adminSocket} mode 600 level admin${exposeFd}`,
    '  hard-stop-after 10s',
    'defaults',
    `  mode ${input.mode ?? 'http'}`,
    '  timeout connect 2s',
    '  timeout client 30s',
    '  timeout server 30s',
    '  retries 2',
    '  option redispatch',
    'frontend fe_test',
    `  bind 127.0.0.1:${input.frontendPort}`,
    '  default_backend be_test',
    'backend be_test',
    '  balance roundrobin',
    template,
    ...(input.extraServers ?? []).map((line) => `  ${line}`),
    ...(input.extraLines ?? []),
    '',
  ].join('\n');
}
