// Test harness: the master in-process on port 0 (time on a ManualClock), a scripted agent on its
// WebSocket channel and a scripted scheduler on its HTTP API, the way the real peers talk to it.
import { request } from 'node:http';
import pino, { type Logger } from 'pino';
import WebSocket from 'ws';
import {
  AGENT_CHANNEL_PATH, ManualClock, RecordIODecoder, until, type MasterToAgentMessage, type SchedulerEvent,
} from '@tepui/protocol';
import { loadMasterConfig } from '../config';
import { startMaster, type RunningMaster } from '../app';

// One wait-until for every package's tests, with a deadline sized for a loaded machine.
export { until } from '@tepui/protocol';

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** POSTs a raw body (string or bytes) and reads the whole answer. */
export async function postRaw(url: string, body: string | Buffer, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

export class ScriptedAgent {
  readonly received: MasterToAgentMessage[] = [];
  agentId?: string;
  /** The close code of its channel, once the master closed it. */
  closedWith?: number;
  private ws!: WebSocket;

  async connect(url: string, pid = 'slave(1)@127.0.0.1:15051', resources: readonly object[] = DEFAULT_AGENT_RESOURCES): Promise<void> {
    await this.open(url);
    this.send({ type: 'REGISTER_AGENT', version: '1.11.0', pid, capabilities: ['MULTI_ROLE'], agent_info: { hostname: 'scripted', port: 15051, resources } });
    await until(() => this.agentId, 'registration');
  }

  private async open(url: string): Promise<void> {
    this.ws = new WebSocket(url.replace('http', 'ws') + AGENT_CHANNEL_PATH);
    this.ws.on('close', (code: number) => (this.closedWith = code));
    this.ws.on('message', (data: Buffer) => {
      for (const m of JSON.parse(data.toString()) as MasterToAgentMessage[]) {
        if (m.type === 'AGENT_REGISTERED' || m.type === 'AGENT_REREGISTERED') this.agentId = m.agent_id.value;
        if (m.type === 'PING') this.send({ type: 'PONG' });
        this.received.push(m);
      }
    });
    await new Promise((r) => this.ws.once('open', r));
  }

  /** Re-registers as agent `agentId` (after a master failover), reporting no tasks unless `report` names some. */
  async reregister(url: string, agentId: string, pid: string, resources = DEFAULT_AGENT_RESOURCES, report: { tasks?: object[]; executors?: object[]; frameworks?: object[] } = {}): Promise<void> {
    await this.sendReregistration(url, agentId, pid, resources, report);
    await until(() => this.agentId, 're-registration');
  }

  /** Opens a channel and asks to re-register, without waiting for the answer. */
  async sendReregistration(url: string, agentId: string, pid: string, resources = DEFAULT_AGENT_RESOURCES, report: { tasks?: object[]; executors?: object[]; frameworks?: object[] } = {}): Promise<void> {
    this.agentId = undefined;
    await this.open(url);
    this.send({
      type: 'REREGISTER_AGENT', version: '1.11.0', pid, capabilities: ['MULTI_ROLE'],
      agent_info: { hostname: 'scripted', port: 15051, resources, id: { value: agentId } }, tasks: [], executors: [], frameworks: [], ...report,
    });
  }

  send(message: object): void {
    this.ws.send(JSON.stringify([message]));
  }

  close(): void {
    this.ws.terminate();
  }
}

const DEFAULT_AGENT_RESOURCES = [
  { name: 'cpus', type: 'SCALAR', scalar: { value: 4 }, role: '*' },
  { name: 'mem', type: 'SCALAR', scalar: { value: 4096 }, role: '*' },
];

export class ScriptedScheduler {
  readonly events: SchedulerEvent[] = [];
  streamId?: string;
  frameworkId?: string;
  private closeStream?: () => void;

  constructor(private readonly url: string) {}

  subscribe(info: object, frameworkId?: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const body = JSON.stringify({ type: 'SUBSCRIBE', ...(frameworkId ? { framework_id: { value: frameworkId } } : {}), subscribe: { framework_info: info } });
      const req = request(`${this.url}/api/v1/scheduler`, { method: 'POST', headers: { 'Content-Type': 'application/json' } }, (res) => {
        this.streamId = String(res.headers['mesos-stream-id']);
        const decoder = new RecordIODecoder();
        res.on('data', (chunk: Buffer) => {
          for (const record of decoder.push(chunk)) {
            const event = JSON.parse(record.toString()) as SchedulerEvent;
            if (event.subscribed) this.frameworkId = event.subscribed.framework_id.value;
            this.events.push(event);
          }
        });
        resolve();
      });
      this.closeStream = () => req.destroy();
      req.on('error', reject);
      req.end(body);
    });
  }

  async call(body: object, path = '/api/v1/scheduler'): Promise<number> {
    const res = await fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Mesos-Stream-Id': this.streamId ?? '' },
      body: JSON.stringify({ framework_id: { value: this.frameworkId }, ...body }),
    });
    await res.text();
    return res.status;
  }

  find<T>(pick: (e: SchedulerEvent) => T | undefined): T | undefined {
    for (const e of this.events) {
      const v = pick(e);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  all<T>(pick: (e: SchedulerEvent) => T | undefined): T[] {
    return this.events.flatMap((e) => {
      const v = pick(e);
      return v === undefined ? [] : [v];
    });
  }

  disconnect(): void {
    this.closeStream?.();
  }
}

/** The operator API: POSTs a call, returns the status and the parsed JSON of a 200 (text otherwise). */
export async function operatorCall(url: string, body: object): Promise<{ status: number; json?: Record<string, any>; text: string }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const res = await fetch(`${url}/api/v1`, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, text, ...(res.status === 200 && text !== '' ? { json: JSON.parse(text) as Record<string, any> } : {}) }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface InProcessCluster {
  readonly clock: ManualClock;
  master: RunningMaster;
  agent: ScriptedAgent;
  stop(): Promise<void>;
}

/**
 * Starts a master with `flags` and one scripted agent. Work the master schedules "now" (batched
 * allocation) runs whenever the test yields; time itself moves only with `clock.advance`.
 */
export async function startInProcess(flags: readonly string[] = [], log: Logger = pino({ level: 'silent' })): Promise<InProcessCluster> {
  const clock = new ManualClock();
  const pump = setInterval(() => clock.advance(0), 2);
  const config = loadMasterConfig(['--port=0', '--ip=127.0.0.1', '--allocator_seed=1', ...flags]);
  const master = await startMaster(config, { clock, log });
  const agent = new ScriptedAgent();
  await agent.connect(master.url);
  const cluster: InProcessCluster = {
    clock,
    master,
    agent,
    async stop() {
      clearInterval(pump);
      cluster.agent.close();
      await cluster.master.stop();
    },
  };
  return cluster;
}
