// Documents larger than a znode may hold (ZooKeeper refuses requests over jute.maxbuffer, 1 MB by
// default; Marathon splits its large group trees for the same reason). Such a document is written
// as chunks under `<root>/#chunks` first, where nothing reads them, and the key's own node then gets
// a small manifest naming them, in the same transaction as the rest of its batch. A reader sees
// the old manifest or the new one, never a half-written document.
import { randomUUID } from 'node:crypto';

/** The directory of chunk nodes, beside the documents; `#` never appears in a document key. */
export const CHUNKS_DIR = '#chunks';

/** A manifest starts with a NUL byte, which no JSON document does. */
const MANIFEST_MARK = 0;

export interface ChunkManifest {
  /** Names this write's chunks: `<gen>.<i>` under the chunks directory. */
  readonly gen: string;
  readonly count: number;
  readonly bytes: number;
}

export function chunkNames(manifest: ChunkManifest): string[] {
  return Array.from({ length: manifest.count }, (_, i) => `${manifest.gen}.${i}`);
}

/** Splits a serialised document into chunks of at most `chunkBytes`. */
export function splitDocument(data: Buffer, chunkBytes: number): { manifest: ChunkManifest; chunks: Buffer[] } {
  const chunks: Buffer[] = [];
  for (let at = 0; at < data.length; at += chunkBytes) chunks.push(data.subarray(at, at + chunkBytes));
  return { manifest: { gen: randomUUID(), count: chunks.length, bytes: data.length }, chunks };
}

export function encodeManifest(manifest: ChunkManifest): Buffer {
  return Buffer.concat([Buffer.from([MANIFEST_MARK]), Buffer.from(JSON.stringify(manifest))]);
}

/** The manifest a node holds, or undefined when it holds a document itself. */
export function decodeManifest(data: Buffer): ChunkManifest | undefined {
  if (data.length === 0 || data[0] !== MANIFEST_MARK) return undefined;
  const parsed = JSON.parse(data.subarray(1).toString('utf8')) as Partial<ChunkManifest>;
  if (typeof parsed.gen !== 'string' || !Number.isInteger(parsed.count) || !Number.isInteger(parsed.bytes)) {
    throw new Error('a chunk manifest without gen, count and bytes');
  }
  return parsed as ChunkManifest;
}

/** Joins chunks read back, checking that none is missing or cut short. */
export function joinChunks(manifest: ChunkManifest, chunks: readonly Buffer[]): Buffer {
  const data = Buffer.concat(chunks);
  if (chunks.length !== manifest.count || data.length !== manifest.bytes) {
    throw new Error(`expected ${manifest.count} chunks of ${manifest.bytes} bytes in all, read ${chunks.length} of ${data.length}`);
  }
  return data;
}
