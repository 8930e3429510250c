// Inclusive integer ranges as Mesos' Value.Ranges: kept sorted, non-overlapping, non-adjacent.
import type { Range } from './mesos/values';

export function normalizeRanges(ranges: readonly Range[]): Range[] {
  const sorted = ranges.map((r) => ({ begin: r.begin, end: r.end })).sort((a, b) => a.begin - b.begin);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.begin <= last.end + 1) last.end = Math.max(last.end, r.end);
    else out.push(r);
  }
  return out;
}

export function rangesUnion(a: readonly Range[], b: readonly Range[]): Range[] {
  return normalizeRanges([...a, ...b]);
}

/** a − b, both normalized. */
export function rangesDifference(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  let j = 0;
  for (const r of a) {
    let begin = r.begin;
    const end = r.end;
    while (j < b.length && b[j]!.end < begin) j++;
    let k = j;
    while (k < b.length && b[k]!.begin <= end && begin <= end) {
      const cut = b[k]!;
      if (cut.begin > begin) out.push({ begin, end: Math.min(end, cut.begin - 1) });
      begin = Math.max(begin, cut.end + 1);
      k++;
    }
    if (begin <= end) out.push({ begin, end });
  }
  return out;
}

/** Whether every value of `inner` lies in `outer` (both normalized). */
export function rangesContain(outer: readonly Range[], inner: readonly Range[]): boolean {
  let i = 0;
  for (const r of inner) {
    while (i < outer.length && outer[i]!.end < r.begin) i++;
    const o = outer[i];
    if (!o || o.begin > r.begin || o.end < r.end) return false;
  }
  return true;
}

export function rangesSize(ranges: readonly Range[]): number {
  return ranges.reduce((n, r) => n + (r.end - r.begin + 1), 0);
}

/** `[31000-31004, 31006-32000]`, the form /master/state and flags use. */
export function formatRanges(ranges: readonly Range[], separator = ', '): string {
  return `[${ranges.map((r) => `${r.begin}-${r.end}`).join(separator)}]`;
}

/** Parses `[1-10,20-30]` (the brackets are optional); undefined when malformed. */
export function parseRanges(text: string): Range[] | undefined {
  const body = text.trim().replace(/^\[/, '').replace(/\]$/, '').trim();
  if (body === '') return [];
  const out: Range[] = [];
  for (const part of body.split(',')) {
    const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(part);
    if (!m) return undefined;
    const begin = Number(m[1]);
    const end = Number(m[2]);
    if (begin > end) return undefined;
    out.push({ begin, end });
  }
  return normalizeRanges(out);
}
