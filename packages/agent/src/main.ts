#!/usr/bin/env node
// tepui-agent: reads flags and environment once, then starts the agent.
import { AgentConfigError, agentHelp, loadAgentConfig } from './config';
import { startAgent } from './agent';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${agentHelp()}\n`);
    return;
  }
  let config;
  try {
    config = loadAgentConfig(argv, process.env);
  } catch (err) {
    if (err instanceof AgentConfigError) {
      process.stderr.write(`${err.message}\n\n${agentHelp()}\n`);
      process.exit(1);
    }
    throw err;
  }
  const agent = await startAgent(config);
  let stopping = false;
  // SIGTERM/SIGINT leave executors running, as Mesos agents do, so a restarted agent recovers
  // them; SIGUSR1 shuts the agent down for good and kills its executors, as in Mesos.
  const stop = (killExecutors: boolean) => {
    if (stopping) return;
    stopping = true;
    void agent.stop({ killExecutors }).then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop(false));
  process.on('SIGTERM', () => stop(false));
  process.on('SIGUSR1', () => stop(true));
}

main().catch((err: unknown) => {
  process.stderr.write(`tepui-agent failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
