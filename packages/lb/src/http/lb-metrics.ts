// Prometheus series of the load balancer, on a registry passed in. It is the controller's observer;
// gauges describing the current state are read when scraped, so they are never stale.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { LbControllerStatus, SyncObserver } from '../sync/lb-controller';

export interface FollowerGauges {
  readonly connected: boolean;
  readonly lastUpdateMs?: number;
  readonly resyncs: number;
  readonly stalls: number;
}

export class LbMetrics implements SyncObserver {
  private readonly reloads: Counter;
  private readonly reloadSeconds: Histogram;
  private readonly runtimeUpdates: Counter;
  private readonly runtimeCommands: Counter;
  private readonly failures: Counter<'kind'>;
  private readonly propagation: Histogram;

  constructor(readonly registry: Registry, controller: () => LbControllerStatus, follower: () => FollowerGauges, now: () => number = Date.now) {
    const registers = [registry];
    this.reloads = new Counter({ name: 'tepui_lb_reloads_total', help: 'HAProxy reloads (including the first start)', registers });
    this.reloadSeconds = new Histogram({ name: 'tepui_lb_reload_seconds', help: 'Time to validate nothing more and reload HAProxy', registers, buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] });
    this.runtimeUpdates = new Counter({ name: 'tepui_lb_runtime_updates_total', help: 'Membership changes applied through the Runtime API without a reload', registers });
    this.runtimeCommands = new Counter({ name: 'tepui_lb_runtime_commands_total', help: 'Runtime API commands sent', registers });
    this.failures = new Counter({ name: 'tepui_lb_failures_total', help: 'Failures by kind: check (an app refused by haproxy -c), reload, runtime', labelNames: ['kind'], registers });
    this.propagation = new Histogram({
      name: 'tepui_lb_propagation_seconds', help: 'From a Marathon change reaching the generator to HAProxy serving it', registers,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    });
    new Gauge({ name: 'tepui_lb_config_generation', help: 'Configurations given to HAProxy since start (reloads and runtime updates)', registers, collect() {
      this.set(controller().generation);
    } });
    new Gauge({ name: 'tepui_lb_last_update_age_seconds', help: 'Seconds since HAProxy last changed (NaN before the first configuration)', registers, collect() {
      const last = controller().lastAppliedMs;
      this.set(last === undefined ? Number.NaN : (now() - last) / 1000);
    } });
    new Gauge({ name: 'tepui_lb_excluded_apps', help: 'Apps or ports left out of the configuration, each with a reason in /v1/status', registers, collect() {
      this.set(controller().excluded.length);
    } });
    new Gauge({ name: 'tepui_lb_backends', help: 'Backends (service ports) configured', registers, collect() {
      this.set(controller().backends);
    } });
    new Gauge({ name: 'tepui_lb_endpoints', help: 'Server slots holding a task', registers, collect() {
      this.set(controller().endpoints);
    } });
    new Gauge({ name: 'tepui_lb_marathon_connected', help: '1 while the Marathon event stream is open', registers, collect() {
      this.set(follower().connected ? 1 : 0);
    } });
    new Gauge({ name: 'tepui_lb_marathon_resyncs', help: 'Full re-lists of Marathon apps since start', registers, collect() {
      this.set(follower().resyncs);
    } });
    new Gauge({ name: 'tepui_lb_marathon_stream_stalls', help: 'Event streams re-opened because nothing arrived in time', registers, collect() {
      this.set(follower().stalls);
    } });
  }

  reloaded(_reasons: readonly string[], seconds: number): void {
    this.reloads.inc();
    this.reloadSeconds.observe(seconds);
  }

  runtimeApplied(commands: number): void {
    this.runtimeUpdates.inc();
    this.runtimeCommands.inc(commands);
  }

  failed(kind: 'check' | 'reload' | 'runtime'): void {
    this.failures.inc({ kind });
  }

  propagated(seconds: number): void {
    this.propagation.observe(seconds);
  }
}
