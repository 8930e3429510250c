// GET /monitor/statistics (also `.json` and under /slave(1)/), Mesos' Slave::Http::statistics:
// a JSON array with one entry per live executor, `jsonp` honoured. Like Mesos without an
// authorizer, any method is answered.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../files/files-http';
import type { ResourceMonitor } from '../usage/resource-monitor';
import { monitorStatisticsJson } from './usage-codec';

export function isMonitorStatisticsPath(path: string): boolean {
  return /^(?:\/slave\(1\))?\/monitor\/statistics(?:\.json)?$/.test(path);
}

export function createMonitorHttp(monitor: ResourceMonitor) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    req.resume();
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    sendJson(res, query, JSON.stringify(monitorStatisticsJson(await monitor.usage())));
  };
}
