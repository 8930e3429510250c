// The label selector of GET /v2/apps?label=… (Marathon's LabelSelectorParsers): comma = AND;
// `key`, `key==v`, `key!=v`, `key in (a,b)`, `key notin (a,b)`; `\` escapes characters outside
// [-A-Za-z0-9_.]. Pure: parse once, then match label maps.
import { IllegalArgument } from '../errors';

export type LabelRequirement =
  | { readonly key: string; readonly op: 'exists' }
  | { readonly key: string; readonly op: '==' | '!='; readonly value: string }
  | { readonly key: string; readonly op: 'in' | 'notin'; readonly values: readonly string[] };

/** Marathon throws IllegalArgumentException here, which its API answers with 422. */
export class LabelSelectorError extends IllegalArgument {}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let current = '';
  const flush = () => {
    if (current !== '') tokens.push(current);
    current = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      current += `\u0000${text[++i]}`;
    } else if (c === ',' || c === '(' || c === ')') {
      flush();
      tokens.push(c);
    } else if (c === ' ') {
      flush();
    } else if ((c === '=' || c === '!') && text[i + 1] === '=') {
      flush();
      tokens.push(`${c}=`);
      i++;
    } else {
      current += c;
    }
  }
  flush();
  return tokens;
}

const unescape = (t: string) => t.replace(/\u0000(.)/g, '$1');
const isWord = (t: string | undefined) => t !== undefined && ![',', '(', ')', '==', '!='].includes(t);

export function parseLabelSelector(text: string): LabelRequirement[] {
  const tokens = tokenize(text);
  const out: LabelRequirement[] = [];
  let i = 0;
  const fail = (why: string): never => {
    throw new LabelSelectorError(`Can not parse label selector ${text}. Reason: ${why}`);
  };
  while (i < tokens.length) {
    const key = tokens[i++];
    if (!isWord(key)) fail('expected a label key');
    const next = tokens[i];
    if (next === undefined || next === ',') {
      out.push({ key: unescape(key!), op: 'exists' });
    } else if (next === '==' || next === '!=') {
      const value = tokens[i + 1];
      if (!isWord(value)) fail(`expected a value after ${next}`);
      out.push({ key: unescape(key!), op: next, value: unescape(value!) });
      i += 2;
    } else if (next === 'in' || next === 'notin') {
      if (tokens[i + 1] !== '(') fail(`expected '(' after ${next}`);
      const values: string[] = [];
      i += 2;
      while (tokens[i] !== ')') {
        if (!isWord(tokens[i])) fail('expected a value in the set');
        values.push(unescape(tokens[i]!));
        i++;
        if (tokens[i] === ',') i++;
        else if (tokens[i] !== ')') fail("expected ',' or ')'");
      }
      i++;
      out.push({ key: unescape(key!), op: next, values });
    } else {
      fail(`unexpected '${next}'`);
    }
    if (i < tokens.length) {
      if (tokens[i] !== ',') fail("expected ','");
      i++;
    }
  }
  return out;
}

export function matchesLabels(requirements: readonly LabelRequirement[], labels: Readonly<Record<string, string>>): boolean {
  return requirements.every((r) => {
    const value = labels[r.key];
    switch (r.op) {
      case 'exists':
        return value !== undefined;
      case '==':
        return value === r.value;
      case '!=':
        return value !== r.value;
      case 'in':
        return value !== undefined && r.values.includes(value);
      case 'notin':
        return value === undefined || !r.values.includes(value);
    }
  });
}
