// Ports and scratch directories for tests that run the real HAProxy: ports come from the OS
// (bind 127.0.0.1:0), directories from mkdtemp, so parallel runs never collide.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = await freePort();
    if (!ports.includes(port)) ports.push(port);
  }
  return ports;
}

export function makeScratchDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'tepui-lb-haproxy-'));
}

export function removeScratchDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true });
}
