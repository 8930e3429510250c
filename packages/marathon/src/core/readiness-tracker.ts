// Readiness checks (reference §1.1, §4.2): while a deployment brings up instances of an app with
// `readinessChecks`, each new instance is asked over HTTP(S) until it answers with one of
// `httpStatusCodesForReady`; only then does it count as ready (and, with health, as serving).
// Results are what `readinessCheckResults` shows.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AppDefinition, Cancel, Clock, ReadinessCheck } from '@tepui/protocol';
import type { Instance } from '../instances/instance';
import { endpointOf, portIndexOf } from '../instances/instance-endpoint';

export interface ReadinessResult {
  name: string;
  taskId: string;
  ready: boolean;
  lastResponse?: { status: number; contentType: string; body: string };
}

export type ReadinessProbe = (check: ReadinessCheck, host: string, port: number) => Promise<ReadinessResult['lastResponse'] | undefined>;

export class ReadinessTracker {
  private readonly results = new Map<string, ReadinessResult>();
  private readonly timers = new Map<string, Cancel>();

  constructor(
    private readonly clock: Clock,
    /** Readiness of an instance changed: its app needs another look. */
    private readonly changed: (appId: string) => void,
    private readonly probe: ReadinessProbe = httpProbe,
  ) {}

  /** Starts checking a RUNNING instance of an app with readiness checks (idempotent). */
  watch(instance: Instance, app: AppDefinition): void {
    const check = app.readinessChecks[0];
    if (!check || this.results.has(instance.instanceId)) return;
    const endpoint = endpointOf(app, instance, portIndexOf(app, check.portName));
    this.results.set(instance.instanceId, { name: check.name ?? 'readinessCheck', taskId: instance.taskId, ready: false });
    if (endpoint === undefined) return;
    const attempt = async (): Promise<void> => {
      const response = await this.probe(check, endpoint.host, endpoint.port).catch(() => undefined);
      const result = this.results.get(instance.instanceId);
      if (!result) return; // unwatched meanwhile
      const ready = response !== undefined && (check.httpStatusCodesForReady ?? [200]).includes(response.status);
      const next: ReadinessResult = { ...result, ready, ...(response && check.preserveLastResponse ? { lastResponse: response } : {}) };
      this.results.set(instance.instanceId, next);
      if (ready) {
        this.timers.delete(instance.instanceId);
        this.changed(instance.appId);
        return;
      }
      this.timers.set(instance.instanceId, this.clock.setTimer((check.intervalSeconds ?? 30) * 1000, () => void attempt()));
    };
    void attempt();
  }

  unwatch(instanceId: string): void {
    this.timers.get(instanceId)?.();
    this.timers.delete(instanceId);
    this.results.delete(instanceId);
  }

  /** Instances never checked (running before this Marathon started) count as ready. */
  ready(instanceId: string): boolean {
    return this.results.get(instanceId)?.ready ?? true;
  }

  resultsOf(instances: readonly Instance[]): ReadinessResult[] {
    return instances.flatMap((i) => {
      const r = this.results.get(i.instanceId);
      return r ? [r] : [];
    });
  }

  stop(): void {
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
  }
}

function httpProbe(check: ReadinessCheck, host: string, port: number): Promise<ReadinessResult['lastResponse'] | undefined> {
  const tls = check.protocol === 'HTTPS';
  const request = tls ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = request({ host, port, path: check.path ?? '/', method: 'GET', timeout: (check.timeoutSeconds ?? 10) * 1000, ...(tls ? { rejectUnauthorized: false } : {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        if (body.length < 4096) body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end();
  });
}
