// A framework process for crash tests: subscribes with raw HTTP, launches one task on the first
// offer, acknowledges only TASK_STARTING, and prints every event as a JSON line so the test can
// kill -9 it at the right moment.
import { RawScheduler } from './raw-scheduler';

async function main(): Promise<void> {
  const [masterUrl, taskId, command] = process.argv.slice(2);
  const scheduler = new RawScheduler(masterUrl!, (status) => status.state === 'TASK_STARTING');
  let printed = 0;
  let launched = false;
  setInterval(() => {
    for (; printed < scheduler.events.length; printed++) process.stdout.write(`${JSON.stringify(scheduler.events[printed])}\n`);
    const offers = scheduler.events.find((e) => e.type === 'OFFERS');
    if (offers && !launched) {
      launched = true;
      const offer = offers.offers.offers[0];
      void scheduler.call({
        type: 'ACCEPT',
        accept: {
          offer_ids: [offer.id],
          operations: [{ type: 'LAUNCH', launch: { task_infos: [{
            name: taskId, task_id: { value: taskId }, agent_id: offer.agent_id, command: { value: command },
            resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 16 } }],
          }] } }],
        },
      });
    }
  }, 10);
  await scheduler.subscribe({ user: 'root', name: 'crashy', failover_timeout: 120, checkpoint: true });
}

void main();
