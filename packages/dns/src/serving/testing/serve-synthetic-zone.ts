// Serves a synthetic zone for dnsperf, by hand:
//   node packages/dns/dist/serving/testing/serve-synthetic-zone.js [--apps 1000] [--tasks 10]
//        [--port 0] [--no-cache] [--queries /tmp/queries.txt]
// prints the port, writes the query file, and serves until killed. Then, for example:
//   dnsperf -s 127.0.0.1 -p <port> -d /tmp/queries.txt -l 5 -c 4 -Q 200000
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_DNS_CONFIG } from '../../config/dns-config';
import { DnsServer } from '../dns-server';
import { syntheticZone } from './synthetic-zone';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      apps: { type: 'string', default: '1000' },
      tasks: { type: 'string', default: '10' },
      port: { type: 'string', default: '0' },
      queries: { type: 'string', default: '/tmp/tepui-dns-queries.txt' },
      'no-cache': { type: 'boolean', default: false },
    },
  });
  // Records a minute old, as between changes in a running cluster (the cache keeps nothing from
  // the current second).
  const zone = syntheticZone(Number(values.apps), Number(values.tasks), Math.floor(Date.now() / 1000) - 60);
  writeFileSync(values.queries, zone.queries);
  const server = new DnsServer({
    config: { ...DEFAULT_DNS_CONFIG, listener: '127.0.0.1', port: Number(values.port), externalOn: false },
    records: zone.records, cacheAnswers: !values['no-cache'],
  });
  await server.start();
  process.stdout.write(`${server.port} ${zone.names} names ${zone.records.size} records, queries in ${values.queries}\n`);
  process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
}

void main();
