// Turns an untrusted request body into a typed Mesos message the way stout's protobuf JSON
// parser does: unknown keys ignored, `null` means unset, numeric and boolean strings accepted,
// missing required fields reported by their dotted path.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { executorCallSchema, operatorCallSchema, schedulerCallSchema } from './schemas';
import type { Schema } from './schema-builders';
import type { SchedulerCall } from './scheduler';
import type { ExecutorCall } from './executor';
import type { OperatorCall } from './operator';

export type Decoded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Removes `null` members recursively; Mesos treats them as absent. */
export function stripNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripNulls);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== null) out[k] = stripNulls(v);
    }
    return out;
  }
  return value;
}

function dotted(instancePath: string): string {
  return instancePath.split('/').filter((s) => s.length > 0).join('.');
}

function describe(errors: readonly ErrorObject[]): string {
  const missing: string[] = [];
  const other: string[] = [];
  for (const e of errors) {
    const at = dotted(e.instancePath);
    if (e.keyword === 'required') {
      const field = String((e.params as { missingProperty?: unknown }).missingProperty);
      missing.push(at ? `${at}.${field}` : field);
    } else if (e.keyword === 'anyOf' || e.keyword === '$ref') {
      continue;
    } else if (e.keyword === 'enum') {
      other.push(`Failed to parse enum for field '${at}': ${e.message ?? 'unknown value'}`);
    } else {
      other.push(`Field '${at}' ${e.message ?? 'is invalid'}`);
    }
  }
  if (missing.length > 0) return `Missing required fields: ${[...new Set(missing)].join(', ')}`;
  return [...new Set(other)].join('; ') || 'Invalid message';
}

export class MesosJsonDecoder<T> {
  private readonly validate: ValidateFunction;

  constructor(
    schema: Schema,
    private readonly messageName: string,
  ) {
    const ajv = new Ajv({ coerceTypes: true, allErrors: true, strict: false, useDefaults: false });
    this.validate = ajv.compile(schema);
  }

  /** Decodes a body already parsed from JSON. */
  decodeValue(parsed: unknown): Decoded<T> {
    const value = stripNulls(parsed);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { ok: false, error: `Failed to convert JSON into ${this.messageName} protobuf: Expecting a JSON object` };
    }
    if (!this.validate(value)) {
      const why = describe(this.validate.errors ?? []);
      return { ok: false, error: `Failed to convert JSON into ${this.messageName} protobuf: ${why}` };
    }
    return { ok: true, value: value as T };
  }

  decode(body: string | Buffer): Decoded<T> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(typeof body === 'string' ? body : body.toString('utf8'));
    } catch (err) {
      return { ok: false, error: `Failed to parse body into JSON: ${(err as Error).message}` };
    }
    return this.decodeValue(parsed);
  }
}

let schedulerDecoder: MesosJsonDecoder<SchedulerCall> | undefined;
let executorDecoder: MesosJsonDecoder<ExecutorCall> | undefined;
let operatorDecoder: MesosJsonDecoder<OperatorCall> | undefined;

// Compiled once, on first use, and immutable afterwards.
export function schedulerCallDecoder(): MesosJsonDecoder<SchedulerCall> {
  return (schedulerDecoder ??= new MesosJsonDecoder<SchedulerCall>(schedulerCallSchema, 'Call'));
}

export function executorCallDecoder(): MesosJsonDecoder<ExecutorCall> {
  return (executorDecoder ??= new MesosJsonDecoder<ExecutorCall>(executorCallSchema, 'Call'));
}

export function operatorCallDecoder(): MesosJsonDecoder<OperatorCall> {
  return (operatorDecoder ??= new MesosJsonDecoder<OperatorCall>(operatorCallSchema, 'Call'));
}
