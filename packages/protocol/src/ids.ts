// Identifiers that cross process boundaries.
import { randomBytes, randomUUID } from 'node:crypto';

/** A fresh RFC-4122 v4 UUID as 16 raw bytes, base64-encoded: the form of TaskStatus.uuid in JSON. */
export function newStatusUuid(): string {
  const bytes = randomBytes(16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return bytes.toString('base64');
}

/** True when `b64` decodes to exactly 16 bytes, as Mesos requires of executor updates. */
export function isStatusUuid(b64: string | undefined): boolean {
  if (!b64 || !/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) return false;
  return Buffer.from(b64, 'base64').length === 16;
}

/** The canonical 8-4-4-4-12 text of a base64 status uuid, for logs and file names. */
export function statusUuidText(b64: string): string {
  const hex = Buffer.from(b64, 'base64').toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export function newUuid(): string {
  return randomUUID();
}
