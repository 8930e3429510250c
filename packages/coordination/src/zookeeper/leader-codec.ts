// How a leader is written into, and read back from, its election znode. Mesos masters write
// `json.info_<seq>` holding MasterInfo as protobuf-JSON (snake_case keys, sorted, `ip` packed);
// Marathon's Curator leader latch writes `_c_<uuid>-latch-<seq>` holding `host:port`. Tools that
// read either (Mesos-DNS, libmesos, Marathon standbys) find the leader the same way here: the
// lowest sequence among the nodes of that shape.
import { randomUUID } from 'node:crypto';
import type { MasterInfo } from '@tepui/protocol';

export interface LeaderCodec<Leader> {
  /** The name to create (ephemeral, sequential) for a contender; ZooKeeper appends the sequence. */
  nodePrefix(): string;
  /** The sequence of a child that is a candidate's node, or undefined for other children. */
  sequence(child: string): number | undefined;
  encode(leader: Leader): Buffer;
  /** Throws a message naming what is wrong when the data is not a leader. */
  decode(data: Buffer): Leader;
}

const SEQ = /(\d{10})$/;

/** Sorted-key JSON, as the protobuf JSON writer Mesos uses emits it. */
function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${sortedJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const masterInfoCodec: LeaderCodec<MasterInfo> = {
  nodePrefix: () => 'json.info_',
  sequence: (child) => (child.startsWith('json.info_') ? Number(SEQ.exec(child)?.[1] ?? NaN) : undefined),
  encode: (info) => Buffer.from(sortedJson(info)),
  decode: (data) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data.toString('utf8'));
    } catch {
      throw new Error(`not JSON (${data.length} bytes starting '${data.toString('utf8', 0, 24).replace(/[^\x20-\x7e]/g, '?')}')`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a MasterInfo JSON object');
    const info = parsed as Partial<MasterInfo>;
    if (typeof info.id !== 'string') throw new Error("MasterInfo has no string 'id'");
    if (typeof info.port !== 'number' && typeof info.address?.port !== 'number') throw new Error("MasterInfo has no 'port' or 'address.port'");
    if (typeof info.ip !== 'number' && typeof info.address?.ip !== 'string' && typeof info.address?.hostname !== 'string' && typeof info.hostname !== 'string') {
      throw new Error("MasterInfo has neither 'address' nor 'ip' nor 'hostname'");
    }
    return { ip: 0, port: info.address?.port ?? 0, ...info } as MasterInfo;
  },
};

const HOST_PORT = /^\[?[^\s\]]+\]?:\d{1,5}$/;

/** Marathon's leader latch: the candidate's `host:port` as the node's data. */
export const marathonLatchCodec: LeaderCodec<string> = {
  nodePrefix: () => `_c_${randomUUID()}-latch-`,
  sequence: (child) => (child.includes('-latch-') ? Number(SEQ.exec(child)?.[1] ?? NaN) : undefined),
  encode: (hostPort) => Buffer.from(hostPort),
  decode: (data) => {
    const text = data.toString('utf8');
    if (!HOST_PORT.test(text)) throw new Error(`'${text.slice(0, 40)}' is not host:port`);
    return text;
  },
};

/** The candidate nodes among `children`, lowest sequence (the leader) first. */
export function candidatesInOrder<L>(codec: LeaderCodec<L>, children: readonly string[]): string[] {
  return children
    .map((child) => ({ child, seq: codec.sequence(child) }))
    .filter((c): c is { child: string; seq: number } => c.seq !== undefined && Number.isFinite(c.seq))
    .sort((a, b) => a.seq - b.seq)
    .map((c) => c.child);
}
