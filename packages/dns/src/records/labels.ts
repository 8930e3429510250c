// Host-name labels made the way Mesos-DNS makes them (records/labels/labels.go), so every name
// Tepui-DNS publishes is the name a Mesos-DNS user already resolves: lower case, `.` and `_` become
// `-`, anything else outside `a-z0-9-` is dropped, then the label is trimmed and cut to length.

/** Turns one piece of a name (a task name, one part of a framework name) into a single DNS label. */
export type LabelFunction = (name: string) => string;

const RFC1123_MAX_LENGTH = 63;
const RFC952_MAX_LENGTH = 24;

const DASH = 45; // '-'
const isDigit = (code: number): boolean => code >= 48 && code <= 57;
const isDash = (code: number): boolean => code === DASH;
const isDashOrDigit = (code: number): boolean => code === DASH || isDigit(code);

/** `a-z0-9` kept, `A-Z` lowered, `-` `.` `_` → `-`, every other character dropped. */
function mapCharacters(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if ((code >= 97 && code <= 122) || isDigit(code)) out += name[i];
    else if (code >= 65 && code <= 90) out += String.fromCharCode(code + 32);
    else if (code === DASH || code === 46 || code === 95) out += '-';
  }
  return out;
}

function trimStart(text: string, cut: (code: number) => boolean): string {
  let start = 0;
  while (start < text.length && cut(text.charCodeAt(start))) start++;
  return text.slice(start);
}

function trimEnd(text: string, cut: (code: number) => boolean): string {
  let end = text.length;
  while (end > 0 && cut(text.charCodeAt(end - 1))) end--;
  return text.slice(0, end);
}

/**
 * Mesos-DNS' trimCut: trim the start, cut at `maxLength`, trim the end; when that end trim shortened
 * the label, refill it from what followed the cut (its leading dashes skipped) back up to the cut
 * length. The refill is not trimmed again, exactly as in Mesos-DNS, so in rare cases (a dash inside
 * the refilled part landing last) the label can end in `-`.
 */
function trimCut(label: string, maxLength: number, startCut: (code: number) => boolean): string {
  const trimmed = trimStart(label, startCut);
  const size = Math.min(trimmed.length, maxLength);
  const head = trimEnd(trimmed.slice(0, size), isDash);
  if (head.length === size) return head;
  const tail = trimStart(trimmed.slice(size), isDash);
  return head + tail.slice(0, size - head.length);
}

/** RFC 1123 labels (Mesos-DNS' default): at most 63 characters, no leading or trailing `-`. */
export const rfc1123Label: LabelFunction = (name) => trimCut(mapCharacters(name), RFC1123_MAX_LENGTH, isDash);

/** RFC 952 labels (`enforceRFC952`): at most 24 characters, starting with a letter, no trailing `-`. */
export const rfc952Label: LabelFunction = (name) => trimCut(mapCharacters(name), RFC952_MAX_LENGTH, isDashOrDigit);

export function labelFunction(enforceRFC952: boolean): LabelFunction {
  return enforceRFC952 ? rfc952Label : rfc1123Label;
}

/**
 * A name that may span several labels (a framework name): split on `.`, each part made a label,
 * empty ones dropped (Mesos-DNS' DomainFrag), so `marathon.prod` stays two labels.
 */
export function domainFragment(name: string, label: LabelFunction): string {
  const parts: string[] = [];
  for (const part of name.split('.')) {
    const made = label(part);
    if (made !== '') parts.push(made);
  }
  return parts.join('.');
}
