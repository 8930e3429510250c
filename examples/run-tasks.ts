// Hello world of a Tepui framework: run N copies of a shell command, exit 0 when all finished.
//   node examples/dist/run-tasks.js --master http://127.0.0.1:5050 --tasks 10 --cmd 'sleep 1' --cpus 0.1 --mem 32
import { parseArgs } from 'node:util';
import { isTerminalState, type TaskInfo } from '@tepui/protocol';
import { OfferResources, SchedulerDriver, commandTask } from '@tepui/sdk';

const { values: args } = parseArgs({
  options: {
    master: { type: 'string', default: 'http://127.0.0.1:5050' },
    tasks: { type: 'string', default: '4' },
    cmd: { type: 'string', default: 'sleep 1' },
    cpus: { type: 'string', default: '0.1' },
    mem: { type: 'string', default: '32' },
    verbose: { type: 'boolean', default: false },
  },
});
const total = Number(args.tasks);
const needs = { cpus: Number(args.cpus), mem: Number(args.mem) };
const ended = new Map<string, boolean>(); // task id → finished successfully
let launched = 0;

// --verbose: the driver's own log (connections, leaders detected, retries) on stderr.
const say = (level: string) => (obj: object, msg?: string) => console.error(JSON.stringify({ level, msg, ...obj }));
const log = args.verbose ? { debug: say('debug'), info: say('info'), warn: say('warn'), error: say('error') } : undefined;

const driver = new SchedulerDriver({
  master: args.master,
  logger: log,
  frameworkInfo: { user: process.env.USER ?? 'root', name: 'run-tasks' },
  handlers: {
    onSubscribed: ({ frameworkId }) => console.log(`subscribed as ${frameworkId}`),

    async onOffers(offers, d) {
      for (const offer of offers) {
        // Pack as many tasks into this offer as fit; decline what is left over.
        const pool = new OfferResources(offer);
        const tasks: TaskInfo[] = [];
        for (let claim = pool.take(needs); claim && launched < total; claim = pool.take(needs)) {
          const id = `run-tasks-${++launched}`;
          tasks.push(commandTask(offer, claim, { name: id, taskId: id, shell: args.cmd }));
        }
        if (tasks.length === 0) await d.decline([offer.id], { refuse_seconds: 30 });
        else await d.launch([offer.id], tasks).catch(() => (launched -= tasks.length)); // retried on a later offer
      }
      if (launched === total) await d.suppress();
      console.log(`launched ${launched}/${total}`);
    },

    async onUpdate(status, d) {
      console.log(`${status.task_id.value} ${status.state}${status.message ? `: ${status.message}` : ''}`);
      if (!isTerminalState(status.state)) return;
      ended.set(status.task_id.value, status.state === 'TASK_FINISHED');
      const failed = [...ended.values()].filter((ok) => !ok).length;
      console.log(`progress: ${ended.size - failed} finished, ${failed} failed, ${total - ended.size} to go`);
      if (ended.size < total) return;
      // The update is acknowledged when this handler returns; teardown removes the framework.
      setImmediate(() => void d.teardown().finally(() => process.exit(failed === 0 ? 0 : 1)));
    },

    onDisconnected: (reason) => console.error(`disconnected: ${reason}`),
    onError: (message) => console.error(`master: ${message}`),
  },
});

driver.start().catch((err: Error) => {
  console.error(err.message);
  process.exit(2);
});
