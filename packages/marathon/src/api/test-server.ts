// For tests: the whole v2 API over a Marathon scheduler with an in-memory store and a manual
// clock, served on port 0. Real routes and state; no Mesos, so nothing is ever launched.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { ManualClock, type MarathonEvent } from '@tepui/protocol';
import { MarathonScheduler } from '../core/marathon-scheduler';
import { MemoryStateStore } from '../storage/memory-state-store';
import { createMarathonApp } from './app';

export interface TestApiOptions {
  /** --mesos_role (default `*`). */
  readonly role?: string;
  readonly features?: readonly string[];
}

export interface TestResponse {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Headers;
}

export interface TestApi {
  readonly url: string;
  readonly scheduler: MarathonScheduler;
  /** Every event published since the start. */
  readonly events: MarathonEvent[];
  /** A request whose body is sent as given (string or bytes), or as JSON for anything else. */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse>;
  close(): Promise<void>;
}

export async function startTestApi(opts: TestApiOptions = {}): Promise<TestApi> {
  const clock = new ManualClock(Date.parse('2026-06-01T00:00:00.000Z'));
  const log = pino({ level: 'silent' });
  const role = opts.role ?? '*';
  const scheduler = await MarathonScheduler.open({
    role, declineOfferSeconds: 5, maxInstancesPerOffer: 10, launchConfirmTimeoutMs: 300_000, minReviveIntervalMs: 0,
    reconciliationInitialDelayMs: 3_600_000, reconciliationIntervalMs: 3_600_000, servicePorts: { min: 10000, max: 20000 },
  }, { clock, log, store: new MemoryStateStore() });
  const events: MarathonEvent[] = [];
  scheduler.bus.subscribe({ eventTypes: new Set(), deliver: (event) => (events.push(event), 0), dropped: () => undefined });
  const app = createMarathonApp({
    log, clock, bus: scheduler.bus,
    system: { version: '1.11.0', leader: () => '127.0.0.1:8080', elected: () => true, frameworkId: () => 'F-0001', config: {}, httpPort: 8080 },
    api: {
      clock, bus: scheduler.bus, root: scheduler.root, tracker: scheduler.tracker, deployments: scheduler.deployments, groups: scheduler.groups,
      queue: scheduler.queue, delays: scheduler.delays, core: scheduler.core, failures: scheduler.failures, readiness: scheduler.readiness,
      parseOptions: { features: new Set(opts.features ?? []), defaultRole: role }, maxRunningDeployments: 100_000,
    },
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, scheduler, events,
    async request(method, path, body, headers = {}) {
      const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
      const res = await fetch(`${url}${path}`, { method, headers: { 'Content-Type': 'application/json', ...headers }, ...(payload === undefined ? {} : { body: payload }) });
      // Every answer of this API is JSON but /ping's `pong` and the empty 202/204s.
      const text = await res.text();
      const json = res.headers.get('content-type')?.startsWith('application/json') === true && text !== '';
      return { status: res.status, body: json ? JSON.parse(text) : text || undefined, headers: res.headers };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await scheduler.stop();
    },
  };
}
