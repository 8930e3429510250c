// Narrowing JSON that arrived from the Mesos master or an agent as `unknown`.

export type JsonObject = Readonly<Record<string, unknown>>;

/** A JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
