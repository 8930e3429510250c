// Building the records of a large cluster from GET_STATE, in this process: time and heap growth.
import { DEFAULT_DNS_CONFIG, RecordBook, syntheticState } from '@tepui/dns';

export function measureRecordBuild(agents: number, tasks: number): { ms: number; heapMb: number; records: number } {
  const state = syntheticState({ agents, tasksPerAgent: Math.ceil(tasks / agents) });
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const book = new RecordBook({ config: { ...DEFAULT_DNS_CONFIG, masters: ['127.0.0.1:5050'] }, now: Date.now });
  const summary = book.load(state);
  const ms = performance.now() - started;
  gc?.();
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1048576;
  return { ms, heapMb, records: summary.records };
}
