// Non-leading masters redirect to the leader with a scheme-less Location (reference §1.1, §9.5).
import type { IncomingMessage } from 'node:http';
import type { MasterInfo } from '@tepui/protocol';
import type { LeaderView } from '../election/leader-view';
import { ServiceUnavailable, TemporaryRedirect } from '../errors';

export function leaderAuthority(leader: MasterInfo): string {
  const host = leader.hostname ?? leader.address?.hostname ?? leader.address?.ip ?? '';
  return `//${host}:${leader.port}`;
}

export function requireLeader(detector: LeaderView, req: IncomingMessage): void {
  if (detector.isLeader()) return;
  const leader = detector.leader();
  if (!leader) throw new ServiceUnavailable('No leader elected');
  throw new TemporaryRedirect(`${leaderAuthority(leader)}${req.url ?? '/'}`);
}
