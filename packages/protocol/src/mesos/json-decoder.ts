// Turns an untrusted request body into a typed Mesos message the way stout's protobuf JSON parser
// (3rdparty/stout/include/stout/protobuf.hpp) does: unknown keys ignored, `null` means unset,
// numeric and boolean strings accepted for numbers and booleans, a lone value accepted for a
// repeated field, an unknown name of an optional enum dropped; any other type mismatch is an
// error naming the field, the first one met (keys in sorted order, as stout's std::map holds
// them). Required fields missing anywhere are reported together by their path, as protobuf's
// InitializationErrorString does. The schemas are the subset of JSON Schema in schema-builders.ts.
import { executorCallSchema, operatorCallSchema, schedulerCallSchema, weightInfosSchema } from './schemas';
import type { Schema } from './schema-builders';
import { MAX_JSON_DEPTH, parseJsonBody } from './json-text';
import type { SchedulerCall } from './scheduler';
import type { ExecutorCall } from './executor';
import type { OperatorCall, WeightInfo } from './operator';

export type Decoded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

type JsonObject = Record<string, unknown>;

class ConversionError extends Error {}

/** A field whose value must be left unset (null, or an unknown name of an optional enum). */
const UNSET = Symbol('unset');

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'object' : typeof value;
}

function notExpecting(value: unknown, field: string): ConversionError {
  return new ConversionError(`Not expecting a JSON ${jsonKind(value)} for field '${field}'`);
}

/** Removes `null` members; Mesos treats them as absent. Callers bound the depth beforehand. */
export function stripNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((v) => v !== null).map(stripNulls);
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = stripNulls(v);
    return out;
  }
  return value;
}

/** stout's JSON::parse<JSON::Number> of a string value. */
function numberFromString(text: string, field: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConversionError(`Failed to parse '${text}' as a JSON number for field '${field}': syntax error at line 1 near: ${text}`);
  }
  if (typeof parsed !== 'number' || !Number.isFinite(parsed)) {
    throw new ConversionError(`Failed to parse '${text}' as a JSON number for field '${field}': Unexpected JSON type parsed`);
  }
  return parsed;
}

const BASE64_CHAR = /[A-Za-z0-9+/]/;

/** stout's base64::decode rules: stop at '=', skip whitespace, refuse anything else; canonical form out. */
function base64(text: string, field: string): string {
  let clean = '';
  for (const ch of text) {
    if (ch === '=') break;
    if (/\s/.test(ch)) continue;
    if (!BASE64_CHAR.test(ch)) throw new ConversionError(`Failed to base64 decode bytes field '${field}': Invalid character '${ch}'`);
    clean += ch;
  }
  return Buffer.from(clean, 'base64').toString('base64');
}

/** How many missing fields an error names (protobuf names them all, however many). */
const MAX_LISTED_FIELDS = 50;

function listFields(paths: readonly string[]): string {
  const listed = paths.slice(0, MAX_LISTED_FIELDS).join(', ');
  return paths.length > MAX_LISTED_FIELDS ? `${listed}, … (${paths.length - MAX_LISTED_FIELDS} more)` : listed;
}

interface MessageShape {
  readonly properties: Readonly<Record<string, Schema>>;
  readonly required: readonly string[];
  readonly requiredSet: ReadonlySet<string>;
  /** Repeated fields answered `[]` when absent. */
  readonly emptyWhenAbsent: readonly string[];
}

export class MesosJsonDecoder<T> {
  private readonly definitions: Readonly<Record<string, Schema>>;
  // Schemas are immutable: what a `$ref` resolves to, and a message's merged shape (per branch
  // choice of its `if` parts), are worked out once. Merging them again for every message made the
  // agent channel's decoding ten times the cost of JSON.parse.
  private readonly resolved = new WeakMap<Schema, Schema>();
  private readonly shapes = new WeakMap<Schema, Map<string, MessageShape>>();
  /** Shapes of messages without `allOf` parts: one per schema, no branch to choose. */
  private readonly plainShapes = new WeakMap<Schema, MessageShape>();
  /** The member constants an `if` schema tests (a union's discriminator). */
  private readonly constTests = new WeakMap<Schema, ReadonlyArray<readonly [string, unknown]>>();

  constructor(
    private readonly schema: Schema,
    private readonly messageName: string,
  ) {
    this.definitions = (schema.definitions as Record<string, Schema> | undefined) ?? {};
  }

  /**
   * Decodes a value parsed from text whose depth was already held to stout's limit (by
   * `parseJsonBody` or `depthViolation`): walking a parsed tree for its depth cost more than
   * decoding it (an agent's registration frame, 25 µs of 40).
   */
  decodeScanned(parsed: unknown): Decoded<T> {
    return this.convert(parsed);
  }

  /** The error for a body nested deeper than stout allows. */
  tooDeep(): { readonly ok: false; readonly error: string } {
    return this.fail(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
  }

  decode(body: string | Uint8Array): Decoded<T> {
    const parsed = parseJsonBody(body);
    if (!parsed.ok) return { ok: false, error: `Failed to parse body into JSON: ${parsed.error}` };
    return this.convert(parsed.value);
  }

  private fail(why: string): { readonly ok: false; readonly error: string } {
    return { ok: false, error: `Failed to convert JSON into ${this.messageName} protobuf: ${why}` };
  }

  private convert(parsed: unknown): Decoded<T> {
    if (!isObject(parsed)) return this.fail('Expecting a JSON object');
    const missing: string[] = [];
    try {
      const value = this.message(this.schema, parsed, '', missing);
      if (missing.length > 0) return this.fail(`Missing required fields: ${listFields(missing)}`);
      return { ok: true, value: value as T };
    } catch (err) {
      if (err instanceof ConversionError) return this.fail(err.message);
      throw err;
    }
  }

  private resolve(schema: Schema): Schema {
    if (typeof schema.$ref !== 'string') return schema;
    let target = this.resolved.get(schema);
    if (target === undefined) {
      target = schema;
      while (typeof target.$ref === 'string') target = this.definitions[target.$ref.replace('#/definitions/', '')] ?? {};
      this.resolved.set(schema, target);
    }
    return target;
  }

  /** The fields of a message schema, with `allOf` parts and matching `if`/`then` parts merged in. */
  private shape(schema: Schema, value: JsonObject): MessageShape {
    if (schema.allOf === undefined) {
      let plain = this.plainShapes.get(schema);
      if (plain === undefined) this.plainShapes.set(schema, (plain = this.mergeShape(schema, value)));
      return plain;
    }
    let byChoice = this.shapes.get(schema);
    if (byChoice === undefined) this.shapes.set(schema, (byChoice = new Map()));
    const choice = this.branchChoice(schema, value);
    let shape = byChoice.get(choice);
    if (shape === undefined) byChoice.set(choice, (shape = this.mergeShape(schema, value)));
    return shape;
  }

  /** Which `if` parts of the schema (and of the parts they pull in) hold for this value, as a key. */
  private branchChoice(schema: Schema, value: JsonObject): string {
    const parts = schema.allOf as Schema[] | undefined;
    if (parts === undefined) return '';
    let key = '';
    for (const part of parts) {
      const branch = part.if !== undefined ? (this.matches(part.if as Schema, value) ? (part.then as Schema) : undefined) : part;
      if (part.if !== undefined) key += branch === undefined ? '0' : '1';
      if (branch === undefined) continue;
      const resolved = this.resolve(branch);
      if (resolved.allOf !== undefined) key += `(${this.branchChoice(resolved, value)})`;
    }
    return key;
  }

  private mergeShape(schema: Schema, value: JsonObject): MessageShape {
    const properties: Record<string, Schema> = { ...((schema.properties as Record<string, Schema> | undefined) ?? {}) };
    const required = new Set((schema.required as string[] | undefined) ?? []);
    for (const part of (schema.allOf as Schema[] | undefined) ?? []) {
      const branch = part.if !== undefined ? (this.matches(part.if as Schema, value) ? (part.then as Schema) : undefined) : part;
      if (branch === undefined) continue;
      const merged = this.shape(this.resolve(branch), value);
      Object.assign(properties, merged.properties);
      for (const r of merged.required) required.add(r);
    }
    const emptyWhenAbsent = Object.keys(properties).filter((key) => this.resolve(properties[key]!).emptyWhenAbsent === true);
    return { properties, required: [...required], requiredSet: required, emptyWhenAbsent };
  }

  /** `if` schemas only test constants of members (the agent channel's message unions). */
  private matches(test: Schema, value: JsonObject): boolean {
    let tests = this.constTests.get(test);
    if (tests === undefined) {
      const properties = (test.properties as Record<string, Schema> | undefined) ?? {};
      tests = Object.entries(properties).filter(([, s]) => s.const !== undefined).map(([k, s]) => [k, s.const] as const);
      this.constTests.set(test, tests);
    }
    for (const [key, constant] of tests) if (value[key] !== constant) return false;
    return true;
  }

  private isMessage(schema: Schema): boolean {
    return schema.properties !== undefined || schema.allOf !== undefined;
  }

  private message(schema: Schema, value: JsonObject, path: string, missing: string[]): JsonObject {
    const { properties, required, requiredSet, emptyWhenAbsent } = this.shape(this.resolve(schema), value);
    const out: JsonObject = {};
    // protobuf lists a message's own missing fields before those of its sub-messages.
    const nested: string[] = [];
    for (const key of Object.keys(value).sort()) {
      const raw = value[key];
      const field = properties[key];
      if (raw === null) continue;
      if (field === undefined) {
        // Unknown to Tepui's schema: kept as given (minus nulls) for the code that reads it.
        out[key] = stripNulls(raw);
        continue;
      }
      const converted = this.field(field, raw, key, `${path}${key}`, nested, requiredSet.has(key));
      if (converted !== UNSET) out[key] = converted;
    }
    for (const key of required) if (out[key] === undefined) missing.push(`${path}${key}`);
    for (const key of emptyWhenAbsent) if (out[key] === undefined) out[key] = [];
    for (const path of nested) missing.push(path);
    return out;
  }

  private field(schema: Schema, value: unknown, name: string, path: string, missing: string[], required: boolean): unknown {
    const s = this.resolve(schema);
    if (value === null) return UNSET;
    if (Array.isArray(s.anyOf)) return this.anyOf(s.anyOf as Schema[], value, name, path, missing, required);
    if (s.type === 'array') return this.repeated(s.items as Schema, value, name, path, missing);
    if (Array.isArray(value)) throw notExpecting(value, name);
    if (s.type === 'object' || this.isMessage(s)) {
      if (!isObject(value)) throw notExpecting(value, name);
      if (isObject(s.additionalProperties)) {
        const entries: JsonObject = {};
        for (const key of Object.keys(value).sort()) {
          const v = this.field(s.additionalProperties, value[key], name, `${path}.${key}`, missing, false);
          if (v !== UNSET) entries[key] = v;
        }
        return entries;
      }
      if (!this.isMessage(s)) return stripNulls(value); // a message Tepui passes on without reading
      return this.message(s, value, `${path}.`, missing);
    }
    return this.scalar(s, value, name, required);
  }

  private anyOf(alternatives: readonly Schema[], value: unknown, name: string, path: string, missing: string[], required: boolean): unknown {
    let first: unknown;
    for (const alternative of alternatives) {
      const tried: string[] = [];
      try {
        const converted = this.field(alternative, value, name, path, tried, required);
        for (const path of tried) missing.push(path);
        return converted;
      } catch (err) {
        if (!(err instanceof ConversionError)) throw err;
        first ??= err;
      }
    }
    throw first;
  }

  /** A repeated field takes an array (nested arrays flattened, nulls skipped) or a lone value. */
  private repeated(items: Schema, value: unknown, name: string, path: string, missing: string[]): unknown[] {
    const out: unknown[] = [];
    const add = (v: unknown): void => {
      if (Array.isArray(v)) {
        for (const element of v) add(element);
        return;
      }
      const converted = this.field(items, v, name, `${path}[${out.length}]`, missing, false);
      if (converted !== UNSET) out.push(converted);
    };
    add(value);
    return out;
  }

  private scalar(s: Schema, value: unknown, name: string, required: boolean): unknown {
    switch (s.type) {
      case 'string': {
        if (typeof value !== 'string') throw notExpecting(value, name);
        if (Array.isArray(s.enum) && !s.enum.includes(value)) {
          // proto2: an unknown name of an optional enum leaves the field unset.
          if (required) throw new ConversionError(`Failed to find enum for '${value}'`);
          return UNSET;
        }
        return s.contentEncoding === 'base64' ? base64(value, name) : value;
      }
      case 'number':
      case 'integer': {
        let n: number;
        if (typeof value === 'number') n = value;
        else if (typeof value === 'string') {
          if (s.acceptsInfinity === true && (value === 'Infinity' || value === '-Infinity')) return value === 'Infinity' ? Infinity : -Infinity;
          n = numberFromString(value, name);
        } else throw notExpecting(value, name);
        if (s.type === 'integer' && !Number.isInteger(n)) throw new ConversionError(`Expecting an integer for field '${name}', got ${n}`);
        if (typeof s.minimum === 'number' && n < s.minimum) throw new ConversionError(`Expecting a non-negative value for field '${name}', got ${n}`);
        return n;
      }
      case 'boolean': {
        if (typeof value === 'boolean') return value;
        if (typeof value !== 'string') throw notExpecting(value, name);
        if (value.trim() === 'true') return true;
        if (value.trim() === 'false') return false;
        throw new ConversionError(`Failed to parse '${value}' as a JSON boolean for field '${name}': Unexpected JSON type parsed`);
      }
      default:
        return stripNulls(value);
    }
  }
}

let schedulerDecoder: MesosJsonDecoder<SchedulerCall> | undefined;
let executorDecoder: MesosJsonDecoder<ExecutorCall> | undefined;
let operatorDecoder: MesosJsonDecoder<OperatorCall> | undefined;
let weightsDecoder: MesosJsonDecoder<{ weight_infos?: WeightInfo[] }> | undefined;

// Built once, on first use, and immutable afterwards.
export function schedulerCallDecoder(): MesosJsonDecoder<SchedulerCall> {
  return (schedulerDecoder ??= new MesosJsonDecoder<SchedulerCall>(schedulerCallSchema, 'Call'));
}

export function executorCallDecoder(): MesosJsonDecoder<ExecutorCall> {
  return (executorDecoder ??= new MesosJsonDecoder<ExecutorCall>(executorCallSchema, 'Call'));
}

export function operatorCallDecoder(): MesosJsonDecoder<OperatorCall> {
  return (operatorDecoder ??= new MesosJsonDecoder<OperatorCall>(operatorCallSchema, 'Call'));
}

/** The body of `PUT /weights`, a JSON array of WeightInfo, once wrapped as `{weight_infos: [...]}`. */
export function weightInfosDecoder(): MesosJsonDecoder<{ weight_infos?: WeightInfo[] }> {
  return (weightsDecoder ??= new MesosJsonDecoder<{ weight_infos?: WeightInfo[] }>(weightInfosSchema, 'WeightInfo'));
}
