// A node HTTP server standing in for a task: it answers every request with its own name, so a test
// sees which slot HAProxy chose, and it can hold a response open to keep a session alive.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface HttpBackend {
  readonly name: string;
  readonly port: number;
  /** Requests answered so far. */
  readonly served: () => number;
  close(): Promise<void>;
}

export async function startHttpBackend(name: string, port = 0): Promise<HttpBackend> {
  let served = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    served += 1;
    req.resume();
    res.setHeader('content-type', 'text/plain');
    res.end(name);
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  return {
    name,
    port: bound,
    served: () => served,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
