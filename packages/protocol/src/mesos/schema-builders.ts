// Small builders for the JSON Schemas of proto2 messages that json-decoder.ts interprets: unknown
// keys are allowed (Mesos ignores them), required fields are listed, enums are their names.

export type Schema = Record<string, unknown>;

export function obj(properties: Record<string, Schema>, required: readonly string[] = []): Schema {
  return required.length > 0
    ? { type: 'object', properties, required: [...required] }
    : { type: 'object', properties };
}

export const str: Schema = { type: 'string' };
export const num: Schema = { type: 'number' };
export const bool: Schema = { type: 'boolean' };
export const int: Schema = { type: 'integer' };
export const uint: Schema = { type: 'integer', minimum: 0 };
/** proto `bytes`: base64 (stout's decoder rules), kept in canonical form. */
export const bytes: Schema = { type: 'string', contentEncoding: 'base64' };
/** A double that also takes the strings "Infinity" / "-Infinity", as stout's parser does. */
export const unboundedNum: Schema = { type: 'number', acceptsInfinity: true };
/** Optional enums accept any string: Mesos drops unknown names of optional enums instead of failing. */
export const looseEnum: Schema = { type: 'string' };

export function arr(items: Schema): Schema {
  return { type: 'array', items };
}

/**
 * A repeated field whose TypeScript type is not optional (`labels.labels`, `ranges.range`…): when
 * its message is given without it, it decodes as [] — what protobuf reads there — rather than
 * leaving code that trusts the type to read `undefined`.
 */
export function list(items: Schema): Schema {
  return { type: 'array', items, emptyWhenAbsent: true };
}

export function strictEnum(values: readonly string[]): Schema {
  return { type: 'string', enum: [...values] };
}

export function ref(name: string): Schema {
  return { $ref: `#/definitions/${name}` };
}

/** Scalar value that also accepts "Infinity" / "-Infinity" like stout's double parser. */
export const double: Schema = { anyOf: [{ type: 'number' }, { type: 'string', enum: ['Infinity', '-Infinity'] }] };
