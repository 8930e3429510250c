// Tepui-DNS serving the records of a synthetic GET_STATE (1,000 apps × 10 tasks) while they change
// `argv[2]` times a second, in a process of its own (forked with IPC): each change is an operator
// event through the real record book, a task leaving the answers (KILLING) or coming back (RUNNING).
// Says { port } once serving; on 'stop', says { changes } (how many it applied) and exits.
import { DEFAULT_DNS_CONFIG, DnsServer, RecordBook, syntheticState } from '@tepui/dns';
import type { TaskState } from '@tepui/protocol';

async function main(): Promise<void> {
  const changesPerSecond = Number(process.argv[2] ?? 0);
  const state = syntheticState({ agents: 1000, tasksPerAgent: 10, frameworkName: 'marathon' });
  const config = { ...DEFAULT_DNS_CONFIG, masters: ['127.0.0.1:5050'], listener: '127.0.0.1', port: 0, externalOn: false };
  const book = new RecordBook({ config, now: Date.now });
  book.load(state);
  const server = new DnsServer({ config, records: book });
  await server.start();
  const tasks = state.get_tasks?.tasks ?? [];
  let changes = 0;
  const flip = () => {
    const task = tasks[(changes >> 1) % tasks.length];
    if (!task) throw new Error('a synthetic state without tasks');
    const status = task.statuses?.[0];
    const next: TaskState = changes % 2 === 0 ? 'TASK_KILLING' : 'TASK_RUNNING';
    if (!status) throw new Error('a synthetic task without a status');
    book.apply({ type: 'TASK_UPDATED', task_updated: { framework_id: task.framework_id, state: next, status: { ...status, state: next, timestamp: Date.now() / 1000 } } });
    changes++;
  };
  const timer = changesPerSecond > 0 ? setInterval(flip, 1000 / changesPerSecond) : undefined;
  process.on('message', (message) => {
    if (message !== 'stop') return;
    if (timer) clearInterval(timer);
    void server.stop().then(() => process.send?.({ changes }, () => process.exit(0)));
  });
  process.send?.({ port: server.port });
}

void main();
