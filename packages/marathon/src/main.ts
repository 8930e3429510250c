#!/usr/bin/env node
// tepui-marathon: reads flags and environment once, then starts Marathon. With --zk, a Marathon
// that loses its leadership or its ZooKeeper session starts over in the same process as a new
// candidate (Marathon exits and relies on a supervisor to do the same); without it, it exits.
import pino from 'pino';
import { redactZkUrl } from '@tepui/coordination';
import { ConfigError, loadMarathonConfig, marathonHelp, type MarathonConfig } from './config';
import { startMarathon, type RunningMarathon } from './marathon';
import { marathonZkParts } from './marathon-zk';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${marathonHelp()}\n`);
    return;
  }
  let config: MarathonConfig;
  try {
    config = loadMarathonConfig(argv, process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n\n${marathonHelp()}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = pino({ level: config.logLevel, base: { component: 'marathon' } });
  if (config.zk) log.info({ zk: redactZkUrl(config.flags.get('zk') ?? ''), sessionTimeoutMs: config.zk.sessionTimeoutMs }, 'state and leader election in ZooKeeper');

  let running: RunningMarathon | undefined;
  let closeZk: () => Promise<void> = async () => undefined;
  let stopping = false;
  const launch = async (): Promise<void> => {
    const zk = config.zk ? marathonZkParts(config.zk, log.child({ module: 'zookeeper' })) : undefined;
    closeZk = zk?.close ?? (async () => undefined);
    running = await startMarathon(config, {
      log,
      ...(zk?.deps ?? {}),
      // Its leading work has already stopped when this is called.
      onLostLeadership: (reason) => {
        if (stopping) return;
        if (!config.zk) {
          process.stderr.write(`tepui-marathon: lost leadership (${reason}); exiting\n`);
          process.exit(1);
        }
        log.error({ reason }, 'lost leadership; starting over as a new candidate (Marathon exits here)');
        void restart();
      },
    });
  };
  const restart = async (): Promise<void> => {
    const previous = running;
    running = undefined;
    await previous?.stop();
    await closeZk();
    if (!stopping) await launch();
  };
  await launch();

  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'marathon stopping');
    // Leaving the election first lets a standby lead at once, without a session timeout.
    void (running?.stop() ?? Promise.resolve()).then(() => closeZk()).then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`tepui-marathon failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
