#!/usr/bin/env node
// tepui-marathon: reads flags and environment once, then starts Marathon.
import { ConfigError, loadMarathonConfig, marathonHelp } from './config';
import { startMarathon } from './marathon';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${marathonHelp()}\n`);
    return;
  }
  let config;
  try {
    config = loadMarathonConfig(argv, process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n\n${marathonHelp()}\n`);
      process.exit(1);
    }
    throw err;
  }
  const running = await startMarathon(config, {
    // As Marathon does: an instance that lost its leadership or its ZooKeeper session exits, and its
    // supervisor starts it again as a standby. Its leading work has already stopped.
    onLostLeadership: (reason) => {
      process.stderr.write(`tepui-marathon: lost leadership (${reason}); exiting\n`);
      process.exit(1);
    },
  });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    running.log.info({ signal }, 'marathon stopping');
    void running.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`tepui-marathon failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
