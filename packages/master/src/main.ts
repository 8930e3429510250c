#!/usr/bin/env node
// tepui-master: reads flags and environment once, then starts the master.
import { ConfigError, loadMasterConfig, masterHelp } from './config';
import { startMaster } from './app';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${masterHelp()}\n`);
    return;
  }
  let config;
  try {
    config = loadMasterConfig(argv, process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n\n${masterHelp()}\n`);
      process.exit(1);
    }
    throw err;
  }
  const running = await startMaster(config, {
    // As Mesos does: a master that lost its leadership (or its ZooKeeper session) exits, and its
    // supervisor starts it again as a contender. It has already stopped acting as the leader.
    onLostLeadership: (reason) => {
      process.stderr.write(`tepui-master: lost leadership (${reason}); exiting\n`);
      process.exit(1);
    },
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.master.log.info({ signal }, 'master stopping');
    void running.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`tepui-master failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
