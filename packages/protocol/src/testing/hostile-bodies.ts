// Bodies a Mesos-side HTTP API must answer with a 4xx (or, where stout's rules make them valid,
// a normal answer) and survive: shared by the master's and agent's unit tests and the integration
// tests, so every API is tried with the same list.

export interface HostileBody {
  readonly name: string;
  readonly body: string | Buffer;
}

const nestedObjects = (n: number): string => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
const nestedArrays = (n: number): string => `${'['.repeat(n)}${']'.repeat(n)}`;

/** The values each field of a valid call is replaced with, one at a time. */
const WRONG_VALUES: ReadonlyArray<[string, unknown]> = [
  ['a number', 7],
  ['a fraction', -1.5],
  ['a string', 'x'],
  ['a boolean', true],
  ['an empty object', {}],
  ['an empty array', []],
  ['nested arrays', [[{}], [1]]],
];

/** Every path of a JSON value, with the value there (the root excluded). */
function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [];
  const entries: Array<[string | number, unknown]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
}

function replaced(root: unknown, path: ReadonlyArray<string | number>, value: unknown): unknown {
  const copy: unknown = structuredClone(root);
  let at = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1]!] = value;
  return copy;
}

/**
 * Malformed, oversized-in-shape and wrongly typed variants of `valid` (a call that is harmless to
 * accept): broken JSON, deep nesting, huge arrays, invalid UTF-8, and every field of it replaced
 * by each value of another type.
 */
export function hostileBodies(valid: object): HostileBody[] {
  const json = JSON.stringify(valid);
  const inner = json.slice(1, -1);
  const bodies: HostileBody[] = [
    { name: 'an empty body', body: '' },
    { name: 'whitespace', body: ' \r\n\t ' },
    { name: 'truncated JSON', body: json.slice(0, Math.floor(json.length / 2)) },
    { name: 'trailing characters', body: `${json} }` },
    { name: 'two JSON values', body: `${json}${json}` },
    { name: 'null', body: 'null' },
    { name: 'a number', body: '42' },
    { name: 'a string', body: '"SUBSCRIBE"' },
    { name: 'an array of the call', body: `[${json}]` },
    { name: '5,000 nested objects', body: nestedObjects(5000) },
    { name: '5,000 nested arrays', body: nestedArrays(5000) },
    { name: '100,000 nested arrays', body: nestedArrays(100_000) },
    { name: '201 nested objects beside the call', body: `{${inner},"zz":${nestedObjects(201)}}` },
    { name: 'a huge array beside the call', body: `{${inner},"zz":[${'0,'.repeat(1_000_000)}0]}` },
    { name: 'a huge array of objects as the call type', body: `{"type":[${'{},'.repeat(200_000)}{}]}` },
    { name: 'a number no double holds', body: `{${inner},"zz":1e400}` },
    { name: 'invalid UTF-8', body: Buffer.concat([Buffer.from(`{${inner},"zz":"`), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]) },
    { name: 'a lone UTF-16 surrogate escape', body: `{${inner},"zz":"\\ud800"}` },
    { name: 'a byte-order mark', body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]) },
    { name: 'NUL bytes', body: `{${inner},"zz":"\u0000"}\u0000` },
  ];
  for (const path of paths(valid)) {
    for (const [what, value] of WRONG_VALUES) {
      bodies.push({ name: `${what} at ${path.join('.')}`, body: JSON.stringify(replaced(valid, path, value)) });
    }
  }
  return bodies;
}
