// ZooKeeper's result codes by name (the C client's ZOO_ERRORS), and the one error type every
// ZooKeeper call here rejects with, so callers test `code` instead of parsing messages.

export const ZK_CODES = {
  SYSTEMERROR: -1,
  RUNTIMEINCONSISTENCY: -2,
  DATAINCONSISTENCY: -3,
  CONNECTIONLOSS: -4,
  MARSHALLINGERROR: -5,
  UNIMPLEMENTED: -6,
  OPERATIONTIMEOUT: -7,
  BADARGUMENTS: -8,
  INVALIDSTATE: -9,
  APIERROR: -100,
  NONODE: -101,
  NOAUTH: -102,
  BADVERSION: -103,
  NOCHILDRENFOREPHEMERALS: -108,
  NODEEXISTS: -110,
  NOTEMPTY: -111,
  SESSIONEXPIRED: -112,
  INVALIDCALLBACK: -113,
  INVALIDACL: -114,
  AUTHFAILED: -115,
  CLOSING: -116,
  NOTHING: -117,
  SESSIONMOVED: -118,
} as const;

export type ZkCodeName = keyof typeof ZK_CODES;

export function zkCodeName(code: number): ZkCodeName | `UNKNOWN(${number})` {
  for (const [name, value] of Object.entries(ZK_CODES)) if (value === code) return name as ZkCodeName;
  return `UNKNOWN(${code})`;
}

export class ZkError extends Error {
  readonly codeName: string;
  constructor(
    readonly code: number,
    readonly operation: string,
    readonly path: string,
  ) {
    super(`ZooKeeper ${operation} ${path} failed: ${zkCodeName(code)}${code === ZK_CODES.NOAUTH ? ' (not authorised: check the credentials in the zk:// URL)' : ''}`);
    this.name = 'ZkError';
    this.codeName = zkCodeName(code);
  }

  is(name: ZkCodeName): boolean {
    return this.code === ZK_CODES[name];
  }
}

export const isZkError = (err: unknown, name: ZkCodeName): boolean => err instanceof ZkError && err.is(name);
