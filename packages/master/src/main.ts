#!/usr/bin/env node
// tepui-master: reads flags and environment once, then starts the master. With --zk, a master
// that loses its leadership or its ZooKeeper session starts over as a fresh contender with empty
// state in the same process (Mesos aborts and relies on a supervisor to do the same).
import pino from 'pino';
import type { MasterInfo } from '@tepui/protocol';
import { masterInfoCodec, redactZkUrl, sameMaster, ZkElection } from '@tepui/coordination';
import { ConfigError, loadMasterConfig, masterHelp, type MasterConfig } from './config';
import { startMaster, type MasterDeps, type RunningMaster } from './app';
import { ZkMasterRegistry } from './registry/zk-registry';

function zkDeps(config: MasterConfig, log: pino.Logger): { deps: MasterDeps; close: () => Promise<void> } {
  const zk = config.zk!;
  const election = new ZkElection<MasterInfo>(zk.url, zk.url.path, masterInfoCodec, sameMaster, { sessionTimeoutMs: zk.sessionTimeoutMs, log });
  const registryPath = zk.url.path === '/' ? '/registry' : `${zk.url.path}/registry`;
  return {
    deps: {
      log,
      contender: (self) => election.contender(self),
      detector: () => election.detector(),
      masterRegistry: new ZkMasterRegistry(() => election.candidacy(), registryPath),
      coordinationTrouble: () => election.trouble(),
      awaitQuorum: () => election.awaitCandidates(zk.quorum),
    },
    close: () => election.close(),
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${masterHelp()}\n`);
    return;
  }
  let config: MasterConfig;
  try {
    config = loadMasterConfig(argv, process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n\n${masterHelp()}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = pino({ level: config.logLevel }).child({ component: 'master' });
  if (config.zk) log.info({ zk: redactZkUrl(config.zk.text), quorum: config.zk.quorum, sessionTimeoutMs: config.zk.sessionTimeoutMs }, 'leader election through ZooKeeper');

  let running: RunningMaster | undefined;
  let closeElection: () => Promise<void> = async () => undefined;
  let stopping = false;
  const launch = async (): Promise<void> => {
    const zk = config.zk ? zkDeps(config, log) : undefined;
    closeElection = zk?.close ?? (async () => undefined);
    running = await startMaster(config, {
      ...(zk?.deps ?? { log }),
      // The master has already stopped acting as the leader when this is called.
      onLostLeadership: (reason) => {
        if (stopping) return;
        if (!config.zk) {
          process.stderr.write(`tepui-master: lost leadership (${reason}); exiting\n`);
          process.exit(1);
        }
        log.error({ reason }, 'lost leadership; starting over as a new contender with empty state (Mesos aborts here)');
        void restart();
      },
    });
  };
  const restart = async (): Promise<void> => {
    const previous = running;
    running = undefined;
    await previous?.stop();
    await closeElection();
    if (!stopping) await launch();
  };
  await launch();

  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'master stopping');
    // Withdrawing from the election first lets a standby lead at once, without a session timeout.
    void (running?.stop() ?? Promise.resolve()).then(() => closeElection()).then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`tepui-master failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
