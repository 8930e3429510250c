// The one way every reader of the master flag (agents, the SDK, Marathon, later DNS and the CLI)
// turns `--master` into a detector: `zk://…`/`file://…` follow the election in ZooKeeper, and
// `host:port` names a single master.
import type { MasterInfo } from '@tepui/protocol';
import type { LeaderDetector } from './leadership';
import { fixedMasterDetector, sameMaster } from './master-endpoint';
import { masterInfoCodec } from './zookeeper/leader-codec';
import { ZkDetector } from './zookeeper/zk-detector';
import type { ZkLog } from './zookeeper/zk-session';
import { parseZkUrl, type ZkUrl } from './zookeeper/zk-url';

export type MasterLocation = { readonly zk: ZkUrl } | { readonly hostPort: string };

export const isZkLocation = (text: string): boolean => /^\s*(zk|file):\/\//.test(text);

/** Parses `--master`; throws (ZkUrlError, or Error for a bad host:port) naming what is wrong. */
export function parseMasterLocation(text: string): MasterLocation {
  if (isZkLocation(text)) return { zk: parseZkUrl(text) };
  const hostPort = text.replace(/^https?:\/\//, '').replace(/\/+$/, '');
  fixedMasterDetector(hostPort); // validates host:port
  return { hostPort };
}

export function masterDetector(location: MasterLocation, options: { sessionTimeoutMs: number; log: ZkLog }): LeaderDetector<MasterInfo> {
  if ('hostPort' in location) return fixedMasterDetector(location.hostPort);
  return new ZkDetector(location.zk, location.zk.path, masterInfoCodec, sameMaster, options);
}
