// /ping, /v2/info, /v2/leader (and DELETE to abdicate): what tools poll to find and check Marathon (reference §2.5).
import { Router } from 'express';
import { NoLeader } from '../errors';

export interface SystemInfo {
  readonly version: string;
  /** host:port of the leading Marathon, undefined when none. */
  leader(): string | undefined;
  elected(): boolean;
  frameworkId(): string | undefined;
  readonly config: Readonly<Record<string, unknown>>;
  readonly zookeeperConfig?: Readonly<Record<string, unknown>>;
  readonly httpPort: number;
  /** Gives leadership up (DELETE /v2/leader); absent where there is no election. */
  readonly abdicate?: () => void;
}

export function systemRoutes(info: SystemInfo): Router {
  const router = Router();
  router.get('/ping', (req, res) => {
    if (req.accepts(['text/plain', 'application/json']) === 'application/json') res.json('pong');
    else res.type('text/plain').send('pong');
  });
  router.get('/v2/info', (_req, res) => {
    res.json({
      name: 'marathon',
      version: info.version,
      buildref: 'tepui',
      elected: info.elected(),
      leader: info.leader() ?? null,
      frameworkId: info.frameworkId() ?? null,
      marathon_config: info.config,
      zookeeper_config: info.zookeeperConfig ?? {},
      http_config: { http_port: info.httpPort, https_port: 8443 },
    });
  });
  router.get('/v2/leader', (_req, res) => {
    const leader = info.leader();
    if (!leader) throw new NoLeader();
    res.json({ leader });
  });
  // Marathon answers first and steps down shortly after; a standby never gets here (it proxies).
  router.delete('/v2/leader', (_req, res) => {
    if (!info.elected() || !info.abdicate) throw new NoLeader();
    res.json({ message: 'Leadership abdicated' });
    res.on('finish', () => info.abdicate?.());
  });
  return router;
}
