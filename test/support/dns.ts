// The real `dig` (Debian's dnsutils) against a DNS server on loopback, with its answer parsed.
import { dig as digOnce, type DigResult } from '@tepui/dns/testing';
import { freePort, startNodeProcess, waitForHttp, type TepuiProcess } from './processes';

export type DigAnswer = DigResult;

/** dig with two tries of 2 s: the integration tests run on a loaded machine. */
export function dig(port: number, name: string, type = 'A', options: readonly string[] = []): Promise<DigAnswer> {
  return digOnce(port, name, type, ['+tries=2', ...options], 2);
}

/** A Tepui-DNS process (packages/dns) on free loopback ports, logging into `logDir`. */
export class TestDns {
  process!: TepuiProcess;
  port = 0;
  httpPort = 0;

  constructor(private readonly logDir: string, private readonly flags: readonly string[], private readonly nodeArgs: readonly string[] = []) {}

  get httpUrl(): string {
    return `http://127.0.0.1:${this.httpPort}`;
  }

  async start(name = 'dns'): Promise<this> {
    this.port = await freePort();
    this.httpPort = await freePort();
    this.process = startNodeProcess(name, 'packages/dns/dist/main.js', [
      '--listener=127.0.0.1', `--port=${this.port}`, '--httplistener=127.0.0.1', `--httpport=${this.httpPort}`, '--log_level=debug', ...this.flags,
    ], this.logDir, this.nodeArgs);
    // /health answers 200 once the first state from the master is loaded.
    await waitForHttp(`${this.httpUrl}/health`);
    return this;
  }

  dig(name: string, type = 'A', options: readonly string[] = []): Promise<DigAnswer> {
    return dig(this.port, name, type, options);
  }

  async stop(): Promise<void> {
    await this.process?.stop();
  }
}

/** Follows Tepui-DNS' /v1/watch (Server-Sent Events), collecting each record-change event. */
export async function watchRecords(httpUrl: string): Promise<{ events: Array<{ generation: number; records: number }>; close(): void }> {
  const controller = new AbortController();
  const res = await fetch(`${httpUrl}/v1/watch`, { signal: controller.signal });
  const events: Array<{ generation: number; records: number }> = [];
  const reader = res.body!.getReader();
  void (async () => {
    let text = '';
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (chunk.done) return;
      text += new TextDecoder().decode(chunk.value);
      let cut: number;
      while ((cut = text.indexOf('\n\n')) >= 0) {
        const data = text.slice(0, cut).split('\n').find((l) => l.startsWith('data: '));
        text = text.slice(cut + 2);
        if (data) events.push(JSON.parse(data.slice(6)) as { generation: number; records: number });
      }
    }
  })();
  return { events, close: () => controller.abort() };
}
