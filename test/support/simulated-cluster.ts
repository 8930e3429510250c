// For benchmarks: a master process and many simulated agents in a second process, over the real
// protocol. Resolves once the agents have registered (the simulator prints READY).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, freePort, startNodeProcess, waitForHttp, type TepuiProcess } from './processes';

export interface SimulatedCluster {
  readonly masterPort: number;
  readonly master: TepuiProcess;
  readonly agents: ChildProcess;
  stop(): Promise<void>;
}

export async function startSimulatedCluster(dir: string, agents: number, masterNodeArgs: readonly string[] = []): Promise<SimulatedCluster> {
  const masterPort = await freePort();
  const master = startNodeProcess('master', 'packages/master/dist/main.js', ['--ip=127.0.0.1', `--port=${masterPort}`, '--log_level=warn'], dir, masterNodeArgs);
  await waitForHttp(`http://127.0.0.1:${masterPort}/health`);
  const sim = spawn(process.execPath, [
    join(REPO_ROOT, 'packages/agent/dist/simulate-main.js'), `--master=127.0.0.1:${masterPort}`, `--agents=${agents}`,
    '--resources=cpus:16;mem:65536;disk:100000;ports:[31000-32000]',
  ], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    sim.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('READY')) resolve();
    });
    sim.once('exit', (code) => reject(new Error(`simulated agents exited with ${code}`)));
  });
  return {
    masterPort, master, agents: sim,
    async stop() {
      sim.kill('SIGTERM');
      await master.stop();
    },
  };
}
