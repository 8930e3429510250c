// A private ZooKeeper ensemble for tests: N JVMs from Debian's `zookeeper` on loopback, each with
// its own data dir and free ports, stopped (and their files removed) afterwards. Members can be
// killed -9, paused and restarted to lose and regain a quorum.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { eventually } from './eventually';
import { freePort } from './processes';

const CLASSPATH = ['/usr/share/java/zookeeper.jar', '/usr/share/java/slf4j-log4j12.jar', '/usr/share/java/log4j-1.2.jar'].join(':');

interface Member {
  readonly id: number;
  readonly clientPort: number;
  readonly dir: string;
  process?: ChildProcess;
}

/** Sends a four-letter word and returns the answer ('' when the member does not answer). */
export function fourLetterWord(port: number, word: string, timeoutMs = 2_000): Promise<string> {
  return new Promise((resolve) => {
    let answer = '';
    const socket = connect(port, '127.0.0.1', () => socket.end(word));
    socket.setTimeout(timeoutMs, () => socket.destroy());
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('close', () => resolve(answer));
    socket.on('error', () => resolve(''));
  });
}

export class ZkEnsemble {
  private readonly members: Member[] = [];

  private constructor(private readonly tickTimeMs: number, private readonly heapMb: number) {}

  /** Starts `size` members and waits until each serves (one leader, the rest followers). */
  /** `heapMb`: each member's JVM heap (128 MB does for tests; benchmarks holding 10,000 nodes need more). */
  /** `maxSessionTimeoutMs`: the longest session a client may ask for (ZooKeeper's default is 20 ticks). */
  static async start(dir: string, options: { size?: number; tickTimeMs?: number; heapMb?: number; maxSessionTimeoutMs?: number } = {}): Promise<ZkEnsemble> {
    const size = options.size ?? 3;
    const ensemble = new ZkEnsemble(options.tickTimeMs ?? 500, options.heapMb ?? 128);
    const ports: number[] = [];
    while (ports.length < size * 3) {
      const port = await freePort();
      if (!ports.includes(port)) ports.push(port);
    }
    for (let i = 0; i < size; i++) {
      const memberDir = join(dir, `zk${i + 1}`);
      mkdirSync(join(memberDir, 'data'), { recursive: true });
      writeFileSync(join(memberDir, 'data', 'myid'), `${i + 1}\n`);
      ensemble.members.push({ id: i + 1, clientPort: ports[i * 3]!, dir: memberDir });
    }
    const servers = ensemble.members.map((m, i) => `server.${m.id}=127.0.0.1:${ports[i * 3 + 1]}:${ports[i * 3 + 2]}`);
    for (const member of ensemble.members) {
      writeFileSync(join(member.dir, 'zoo.cfg'), [
        `tickTime=${ensemble.tickTimeMs}`, 'initLimit=20', 'syncLimit=10',
        `dataDir=${join(member.dir, 'data')}`, `clientPort=${member.clientPort}`, 'clientPortAddress=127.0.0.1',
        'admin.enableServer=false', '4lw.commands.whitelist=srvr,stat,ruok,mntr,conf', 'maxClientCnxns=0',
        // Sessions as short as 2 ticks are allowed, so tests can expire them quickly.
        `minSessionTimeout=${ensemble.tickTimeMs * 2}`,
        ...(options.maxSessionTimeoutMs !== undefined ? [`maxSessionTimeout=${options.maxSessionTimeoutMs}`] : []),
        ...(size > 1 ? servers : []), '',
      ].join('\n'));
    }
    for (const member of ensemble.members) ensemble.launch(member);
    await ensemble.waitServing(ensemble.members);
    return ensemble;
  }

  /** `127.0.0.1:p1,127.0.0.1:p2,…` */
  get servers(): string {
    return this.members.map((m) => `127.0.0.1:${m.clientPort}`).join(',');
  }

  /** `zk://servers/path` */
  url(path: string): string {
    return `zk://${this.servers}${path}`;
  }

  clientPort(id: number): number {
    return this.member(id).clientPort;
  }

  /** `leader`, `follower`, `standalone`, or '' when the member does not serve. */
  async mode(id: number): Promise<string> {
    const answer = await fourLetterWord(this.member(id).clientPort, 'srvr');
    return /Mode: (\w+)/.exec(answer)?.[1] ?? '';
  }

  /** The id of the member leading the ensemble now. */
  async leaderId(): Promise<number | undefined> {
    for (const member of this.members) if ((await this.mode(member.id)) === 'leader') return member.id;
    return undefined;
  }

  async kill(id: number): Promise<void> {
    const member = this.member(id);
    const child = member.process;
    member.process = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await gone;
  }

  async restart(id: number): Promise<void> {
    const member = this.member(id);
    if (!member.process) this.launch(member);
  }

  /** Waits until the given members (all running ones by default) serve clients again. */
  async waitServing(members: readonly Member[] = this.members.filter((m) => m.process)): Promise<void> {
    await eventually(async () => {
      for (const member of members) if (!['leader', 'follower', 'standalone'].includes(await this.mode(member.id))) return false;
      return true;
    }, { timeoutMs: 60_000, intervalMs: 200, message: 'the ZooKeeper ensemble did not come up' });
  }

  async stop(): Promise<void> {
    await Promise.all(this.members.map((m) => this.kill(m.id)));
  }

  private member(id: number): Member {
    const member = this.members.find((m) => m.id === id);
    if (!member) throw new Error(`no ZooKeeper member ${id}`);
    return member;
  }

  private launch(member: Member): void {
    const out = openSync(join(member.dir, 'out.log'), 'a');
    member.process = spawn('java', [
      `-Xmx${this.heapMb}m`, '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-cp', CLASSPATH,
      '-Dlog4j.configuration=file:/etc/zookeeper/conf/log4j.properties', '-Dzookeeper.root.logger=WARN,CONSOLE',
      `-Dzookeeper.log.dir=${member.dir}`, 'org.apache.zookeeper.server.quorum.QuorumPeerMain', join(member.dir, 'zoo.cfg'),
    ], { stdio: ['ignore', out, out] });
  }
}
