// The parts of a task's canonical DNS name (`<task>-<hash>-<agent tail>`) that Mesos-DNS derives
// from ids (records/generator.go): a short hash of the task id, so instances of one app get distinct
// names, and the last part of the agent id, so the name also says where the task runs.
import * as crypto from 'node:crypto';

// Zimmermann's z-base-32 alphabet (human-oriented base-32), as Mesos-DNS' zbase32 package uses it.
const Z_BASE_32 = 'ybndrfg8ejkmcpqxot1uwisza345h769';

/** How many characters of the encoded hash Mesos-DNS keeps (25 bits: collisions stay rare per app). */
const TASK_HASH_LENGTH = 5;

/**
 * z-base-32 of `bytes`: 5 bits per character, most significant bit first, the last group padded with
 * zero bits and no padding characters (20 bytes → 32 characters).
 */
export function zBase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xfff; // at most 4 leftover bits + 8 new ones
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += Z_BASE_32[(buffer >> bits) & 31];
    }
  }
  if (bits > 0) out += Z_BASE_32[(buffer << (5 - bits)) & 31];
  return out;
}

/** First 5 characters of z-base-32(SHA-1(task id)): `shop_web.7f3c2a10-…` → `w19ez`. */
export function taskIdHash(taskId: string): string {
  // Only the first 4 bytes reach the first 5 characters; encoding the rest would be thrown away.
  const digest = sha1(taskId);
  return zBase32(digest.subarray(0, 4)).slice(0, TASK_HASH_LENGTH);
}

/** One-shot `crypto.hash` (Node ≥ 20.12) is twice as fast as a Hash object; a full load hashes every task. */
function sha1(text: string): Buffer {
  return typeof crypto.hash === 'function' ? crypto.hash('sha1', text, 'buffer') : crypto.createHash('sha1').update(text, 'utf8').digest();
}

/** The last `-` separated part of an agent id, lower case: `…-S3` → `s3`. */
export function agentIdTail(agentId: string): string {
  return agentId.slice(agentId.lastIndexOf('-') + 1).toLowerCase();
}
