// A complete framework: launch N copies of a shell command, exit when they have all finished.
//   node examples/dist/run-tasks.js --master http://127.0.0.1:5050 --tasks 4 --cmd 'sleep 1'
import { parseArgs } from 'node:util';
import { OfferResources, SchedulerDriver, buildTaskInfo } from '@tepui/sdk';

const { values: args } = parseArgs({
  options: {
    master: { type: 'string', default: 'http://127.0.0.1:5050' },
    tasks: { type: 'string', default: '4' },
    cmd: { type: 'string', default: 'sleep 1' },
    cpus: { type: 'string', default: '0.1' },
    mem: { type: 'string', default: '32' },
  },
});
const total = Number(args.tasks);
const needs = { cpus: Number(args.cpus), mem: Number(args.mem) };
let launched = 0;
let finished = 0;
let failed = 0;

const driver = new SchedulerDriver({
  master: args.master!,
  frameworkInfo: { user: 'root', name: 'run-tasks', failover_timeout: 60, checkpoint: true },
  handlers: {
    subscribed: ({ frameworkId }) => console.log(`subscribed as ${frameworkId}`),
    async offers(offers, d) {
      for (const offer of offers) {
        const pool = new OfferResources(offer);
        const tasks = [];
        for (let got = pool.take(needs); got && launched < total; got = pool.take(needs)) {
          const id = `run-tasks-${++launched}`;
          tasks.push(buildTaskInfo({ name: id, taskId: id, agentId: offer.agent_id, resources: got.resources, command: args.cmd! }));
        }
        if (tasks.length > 0) await d.launch([offer.id], tasks);
        else await d.decline([offer.id], { refuse_seconds: 60 });
      }
      if (launched === total) await d.suppress();
    },
    async update(status, d) {
      console.log(`${status.task_id.value}: ${status.state}${status.message ? ` (${status.message})` : ''}`);
      if (status.state === 'TASK_FINISHED') finished++;
      else if (['TASK_FAILED', 'TASK_KILLED', 'TASK_LOST', 'TASK_ERROR', 'TASK_DROPPED', 'TASK_GONE'].includes(status.state)) failed++;
      if (finished + failed === total) {
        console.log(`done: ${finished} finished, ${failed} failed`);
        if (status.uuid && status.agent_id) await d.acknowledge(status.agent_id, status.task_id, status.uuid);
        await d.teardown();
        process.exit(failed === 0 ? 0 : 1);
      }
    },
    error: (message) => console.error(`master says: ${message}`),
  },
});

void driver.start();
