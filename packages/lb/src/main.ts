#!/usr/bin/env node
// tepui-lb: marathon-lb for Tepui. Follows Marathon's event stream and keeps a master-worker HAProxy
// in step: membership changes through the Runtime API, validated reloads for everything else.
import pino from 'pino';
import { LbOptionsError, parseLbOptions } from './lb-options';
import { startLbService } from './lb-service';

async function main(): Promise<void> {
  let options;
  try {
    options = parseLbOptions(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof LbOptionsError)) throw err;
    process.stderr.write(`tepui-lb: ${err.message}\n`);
    process.exit(1);
  }
  const log = pino({ level: options.logLevel }).child({ component: 'lb' });
  const service = await startLbService(options, log);
  const stop = () => {
    void service.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`tepui-lb failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
