// Run as a child process by the follower's test: follows a fake Marathon until the view is loaded,
// stops the follower and the fake, and then must exit by itself (no timer or socket left behind).
import pino from 'pino';
import { MarathonClient } from '../marathon-client';
import { MarathonFollower } from '../marathon-follower';
import { MarathonView } from '../marathon-view';
import { FakeMarathon } from './fake-marathon';
import { appJson, taskJson } from './fixtures';

async function main(): Promise<void> {
  const fake = await FakeMarathon.start({ keepAliveMs: 50 });
  fake.apps = [appJson('/probe', [taskJson('/probe', 1)])];
  const view = new MarathonView();
  let loaded!: () => void;
  const ready = new Promise<void>((resolve) => (loaded = resolve));
  const follower = new MarathonFollower({
    client: new MarathonClient({ urls: [fake.url] }), view, log: pino({ level: 'silent' }),
    sink: { onChange: (change) => change.full && loaded() },
    // A resync timer or a stall timer left running would hold the process for a minute.
    resyncSeconds: 60, stallTimeoutMs: 60_000,
  });
  follower.start();
  await ready;
  await follower.stop();
  await fake.close();
  process.stdout.write(`stopped with ${view.size} app\n`);
}

void main();
