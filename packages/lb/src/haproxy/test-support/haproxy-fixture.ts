// One real HAProxy per test: a scratch dir, free ports, a started HaproxyProcess and a RuntimeApi on
// its admin socket. `close()` stops HAProxy, checks that no haproxy process of the test survived,
// and removes the directory.
import { HaproxyProcess } from '../haproxy-process';
import { isProcessRunning } from '../process-liveness';
import { RuntimeApi } from '../runtime-api';
import { renderTestConfig, type TestConfigInput } from './haproxy-config';
import { freePort, makeScratchDir, removeScratchDir } from './loopback';

export interface HaproxyFixture {
  readonly dir: string;
  readonly frontendPort: number;
  readonly adminSocket: string;
  readonly haproxy: HaproxyProcess;
  readonly api: RuntimeApi;
  /** Renders this fixture's config with other slots/servers/lines. */
  readonly config: (input: Partial<TestConfigInput>) => string;
  /** Every haproxy pid seen (master and workers); none may run after close(). */
  readonly pids: Set<number>;
  close(): Promise<void>;
}

export async function startHaproxyFixture(input: Partial<TestConfigInput>): Promise<HaproxyFixture> {
  const dir = await makeScratchDir();
  const frontendPort = await freePort();
  const adminSocket = `${dir}/admin.sock`;
  const config = (more: Partial<TestConfigInput>): string =>
    renderTestConfig({ adminSocket, frontendPort, slots: 4, ...more });
  const haproxy = new HaproxyProcess({ dir });
  const pids = new Set<number>();
  await haproxy.start(config(input));
  const api = new RuntimeApi({ socketPath: adminSocket });
  const remember = async (): Promise<void> => {
    if (haproxy.pid !== undefined) pids.add(haproxy.pid);
    const list = await haproxy.showProc().catch(() => undefined);
    for (const w of list?.workers ?? []) pids.add(w.pid);
  };
  await remember();
  return {
    dir,
    frontendPort,
    adminSocket,
    haproxy,
    api,
    config,
    pids,
    close: async () => {
      await remember();
      await haproxy.stop();
      await removeScratchDir(dir);
      const survivors = [...pids].filter(isProcessRunning);
      if (survivors.length > 0) throw new Error(`haproxy processes survived stop(): ${survivors.join(', ')}`);
    },
  };
}
