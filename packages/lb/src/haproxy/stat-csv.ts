// `show stat` parsed into rows. The answer is CSV whose first line is the header prefixed with
// "# " (pxname,svname,qcur,…). Fields keep HAProxy's own names (the wire's spelling); the few that
// tests and benchmarks read are typed, every other one stays available as text in `fields`.

/** The `type` column: what a row describes. */
export type StatRowType = 'frontend' | 'backend' | 'server' | 'listener';

const ROW_TYPES: readonly StatRowType[] = ['frontend', 'backend', 'server', 'listener'];

export interface StatRow {
  /** Proxy (frontend or backend) name. */
  readonly pxname: string;
  /** Server name, or FRONTEND / BACKEND for the proxy's own row. */
  readonly svname: string;
  readonly type: StatRowType;
  /** UP, DOWN, MAINT, DRAIN, no check, OPEN… as HAProxy prints it. */
  readonly status: string;
  /** Current sessions. */
  readonly scur: number;
  readonly smax: number;
  /** Sessions since start. */
  readonly stot: number;
  /** Queued requests. */
  readonly qcur: number;
  /** Times the server was chosen by the balancer. */
  readonly lbtot: number;
  readonly weight: number;
  /** ip:port of a server row; empty for other rows. */
  readonly addr: string;
  readonly fields: Readonly<Record<string, string>>;
}

export function parseStatCsv(text: string): StatRow[] {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  const header = lines[0];
  if (header === undefined || !header.startsWith('#')) return [];
  const names = header.replace(/^#\s*/, '').split(',');
  return lines.slice(1).map((line) => {
    const values = splitCsvLine(line);
    const fields: Record<string, string> = {};
    names.forEach((name, i) => {
      if (name !== '') fields[name] = values[i] ?? '';
    });
    const count = (name: string): number => Number.parseInt(fields[name] ?? '', 10) || 0;
    return {
      pxname: fields.pxname ?? '',
      svname: fields.svname ?? '',
      type: ROW_TYPES[count('type')] ?? 'server',
      status: fields.status ?? '',
      scur: count('scur'),
      smax: count('smax'),
      stot: count('stot'),
      qcur: count('qcur'),
      lbtot: count('lbtot'),
      weight: count('weight'),
      addr: fields.addr ?? '',
      fields,
    };
  });
}

/** Splits one CSV line; HAProxy double-quotes free-text fields (last_chk, desc) that hold a comma. */
function splitCsvLine(line: string): string[] {
  const values: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else current += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      values.push(current);
      current = '';
    } else current += ch;
  }
  values.push(current);
  return values;
}
