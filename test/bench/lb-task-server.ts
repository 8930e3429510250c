// The tasks of the lb churn bench, in one process of their own (forked with IPC, so serving never
// waits on the bench's event loop): an HTTP server on 0.0.0.0 on each port given in argv, so every
// 127.x.y.z:<port> a fake task advertises answers. Each answer names the address it arrived on.
// The bench says when a task was killed ({ dead: 'ip:port', at }); requests that still reach that
// address afterwards are counted, with how late the latest came: the stale-route window.
import { createServer, type Server } from 'node:http';

interface DeadMessage {
  readonly dead: string;
  readonly at: number;
}

const killedAt = new Map<string, number>();
let requests = 0;
let stale = 0;
let maxLateMs = 0;

function serve(port: number): Promise<Server> {
  const server = createServer((req, res) => {
    requests++;
    const address = `${req.socket.localAddress ?? ''}:${req.socket.localPort ?? 0}`;
    const at = killedAt.get(address);
    if (at !== undefined) {
      stale++;
      maxLateMs = Math.max(maxLateMs, Date.now() - at);
    }
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end(address);
  });
  server.keepAliveTimeout = 1000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve(server));
  });
}

function isDeadMessage(m: unknown): m is DeadMessage {
  return typeof m === 'object' && m !== null && typeof (m as { dead?: unknown }).dead === 'string' && typeof (m as { at?: unknown }).at === 'number';
}

process.on('message', (m: unknown) => {
  if (isDeadMessage(m)) killedAt.set(m.dead, m.at);
  else if (m === 'report') process.send?.({ requests, stale, maxLateMs });
});
// The bench going away (even killed) closes the IPC channel: nothing is left behind.
process.on('disconnect', () => process.exit(0));

Promise.all(process.argv.slice(2).map((p) => serve(Number(p)))).then(
  () => process.send?.('ready'),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
