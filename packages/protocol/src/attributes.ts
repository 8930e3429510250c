// Agent attributes: the Mesos `--attributes` flag syntax and the forms tools read.
import type { Attribute } from './mesos/values';
import { formatRanges, parseRanges } from './ranges';

export class InvalidAttributeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAttributeError';
  }
}

/** `rack:r1;gen:3;ports:[1-10];zones:{a,b}` → typed attributes (scalar, ranges, set or text). */
export function parseAttributes(text: string): Attribute[] {
  const out: Attribute[] = [];
  for (const token of text.split(';').map((t) => t.trim()).filter(Boolean)) {
    const colon = token.indexOf(':');
    if (colon <= 0) throw new InvalidAttributeError(`Bad attribute '${token}': expected name:value`);
    const name = token.slice(0, colon).trim();
    const value = token.slice(colon + 1).trim();
    if (value === '') throw new InvalidAttributeError(`Attribute '${name}' has an empty value`);
    if (value.startsWith('[')) {
      const ranges = parseRanges(value);
      if (!ranges) throw new InvalidAttributeError(`Bad ranges '${value}' for attribute '${name}'`);
      out.push({ name, type: 'RANGES', ranges: { range: ranges } });
    } else if (value.startsWith('{') && value.endsWith('}')) {
      out.push({ name, type: 'SET', set: { item: value.slice(1, -1).split(',').map((s) => s.trim()).filter(Boolean) } });
    } else if (/^-?\d+(\.\d+)?$/.test(value)) {
      out.push({ name, type: 'SCALAR', scalar: { value: Number(value) } });
    } else {
      out.push({ name, type: 'TEXT', text: { value } });
    }
  }
  return out;
}

/** The value of an attribute as text, for constraint matching and display. */
export function attributeValueString(a: Attribute): string {
  switch (a.type) {
    case 'SCALAR':
      return String(a.scalar?.value ?? 0);
    case 'RANGES':
      return formatRanges(a.ranges?.range ?? []);
    case 'SET':
      return `{${(a.set?.item ?? []).join(', ')}}`;
    case 'TEXT':
      return a.text?.value ?? '';
  }
}

/** The object /master/state shows: scalars as numbers, everything else as strings. */
export function attributesToStateJson(attrs: readonly Attribute[]): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const a of attrs) out[a.name] = a.type === 'SCALAR' ? a.scalar?.value ?? 0 : attributeValueString(a);
  return out;
}
