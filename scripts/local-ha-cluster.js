#!/usr/bin/env node
// `npm run start:ha`: a highly available local cluster on loopback — a 3-node ZooKeeper ensemble
// (Debian's zookeeper jars, not the system service), 3 masters electing a leader through it, 2
// agents and 2 Marathons following the leaders. It prints who leads; Ctrl-C stops everything.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const workRoot = process.env.TEPUI_WORK_DIR || path.join(root, '.tepui-ha');
const ip = '127.0.0.1';
/** A comma-separated list of ports from the environment (tests pick free ones), else the defaults. */
const ports = (name, defaults) => (process.env[name] ? process.env[name].split(',').map(Number) : defaults);
const zkPorts = ports('TEPUI_HA_ZK_PORTS', [2181, 2182, 2183]);
/** Each ZooKeeper member's quorum and election ports, in pairs. */
const zkPeerPorts = ports('TEPUI_HA_ZK_PEER_PORTS', [28881, 38881, 28882, 38882, 28883, 38883]);
const masterPorts = ports('TEPUI_HA_MASTER_PORTS', [5050, 5051, 5052]);
const agentPorts = ports('TEPUI_HA_AGENT_PORTS', [5061, 5062]);
const marathonPorts = ports('TEPUI_HA_MARATHON_PORTS', [8080, 8081]);
const CLASSPATH = ['/usr/share/java/zookeeper.jar', '/usr/share/java/slf4j-log4j12.jar', '/usr/share/java/log4j-1.2.jar'].join(':');
const children = [];
let stopping = false;

function spawnLogged(name, command, args, role) {
  const logFile = path.join(workRoot, `${name}.log`);
  const out = fs.openSync(logFile, 'a');
  // Its own process group: Ctrl-C reaches this script only, which stops everything in order.
  const child = spawn(command, args, { stdio: ['ignore', out, out], detached: true });
  child.on('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`${name} exited (${signal || code}); see ${logFile}\n`);
  });
  children.push({ name, role, child, logFile });
  return child;
}

const node = (name, script, args, role) => spawnLogged(name, process.execPath, [path.join(root, script), ...args], role);

function startZooKeeper() {
  const servers = zkPorts.map((_, i) => `server.${i + 1}=${ip}:${zkPeerPorts[2 * i]}:${zkPeerPorts[2 * i + 1]}`);
  zkPorts.forEach((port, i) => {
    const dir = path.join(workRoot, `zk${i + 1}`);
    fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'data', 'myid'), `${i + 1}\n`);
    fs.writeFileSync(path.join(dir, 'zoo.cfg'), [
      'tickTime=500', 'initLimit=20', 'syncLimit=10', `dataDir=${path.join(dir, 'data')}`, `clientPort=${port}`,
      `clientPortAddress=${ip}`, 'admin.enableServer=false', '4lw.commands.whitelist=srvr,ruok', 'maxClientCnxns=0', ...servers, '',
    ].join('\n'));
    spawnLogged(`zk${i + 1}`, 'java', [
      '-Xmx128m', '-cp', CLASSPATH, '-Dlog4j.configuration=file:/etc/zookeeper/conf/log4j.properties',
      '-Dzookeeper.root.logger=WARN,CONSOLE', `-Dzookeeper.log.dir=${dir}`,
      'org.apache.zookeeper.server.quorum.QuorumPeerMain', path.join(dir, 'zoo.cfg'),
    ], 'zookeeper');
  });
}

function fourLetterWord(port, word) {
  return new Promise((resolve) => {
    let answer = '';
    const socket = net.connect(port, ip, () => socket.end(word));
    socket.setTimeout(1000, () => socket.destroy());
    socket.on('data', (chunk) => (answer += chunk));
    socket.on('close', () => resolve(answer));
    socket.on('error', () => resolve(''));
  });
}

async function until(what, check, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${deadlineMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function json(url) {
  const res = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(2000) });
  return res.ok ? res.json() : undefined;
}

async function leadingMaster() {
  for (const port of masterPorts) {
    const state = await json(`http://${ip}:${port}/master/state`).catch(() => undefined);
    if (state && state.leader === state.pid) return { port, state };
  }
  return undefined;
}

function stop(code) {
  if (stopping) return;
  stopping = true;
  process.stdout.write('\nStopping the HA cluster…\n');
  const kill = (role, signal) => Promise.all(children.filter((c) => c.role === role).map(({ child }) => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill(signal);
  })));
  // Marathons first (they must not see their tasks die), agents kill their executors, ZooKeeper last.
  kill('marathon', 'SIGTERM').then(() => kill('agent', 'SIGUSR1')).then(() => kill('master', 'SIGTERM'))
    .then(() => kill('zookeeper', 'SIGTERM')).then(() => process.exit(code));
}

async function main() {
  if (!fs.existsSync('/usr/share/java/zookeeper.jar')) throw new Error("Debian's zookeeper is not installed: run `npm run setup -- --debian` as root");
  fs.mkdirSync(workRoot, { recursive: true });
  const zkHosts = zkPorts.map((p) => `${ip}:${p}`).join(',');
  process.stdout.write(`Starting ZooKeeper on ${zkHosts}…\n`);
  startZooKeeper();
  await until('a ZooKeeper quorum', async () => {
    const modes = await Promise.all(zkPorts.map(async (p) => /Mode: (\w+)/.exec(await fourLetterWord(p, 'srvr'))?.[1]));
    return modes.every((m) => m === 'leader' || m === 'follower');
  }, 60000);

  const mesosZk = `zk://${zkHosts}/mesos`;
  masterPorts.forEach((port, i) => node(`master-${i + 1}`, 'packages/master/dist/main.js', [
    `--ip=${ip}`, `--port=${port}`, `--zk=${mesosZk}`, '--quorum=2', '--zk_session_timeout=4secs',
    `--work_dir=${path.join(workRoot, `master-${i + 1}`)}`,
  ], 'master'));
  await until('a leading master', async () => (await leadingMaster()) !== undefined, 30000);

  agentPorts.forEach((port, i) => node(`agent-${i + 1}`, 'packages/agent/dist/main.js', [
    `--master=${mesosZk}`, `--ip=${ip}`, `--port=${port}`, `--work_dir=${path.join(workRoot, `agent-${i + 1}`)}`,
    `--resources=cpus:2;mem:2048;disk:10240;ports:[${31000 + i * 1000}-${31999 + i * 1000}]`, `--attributes=host:agent-${i + 1}`,
  ], 'agent'));
  await until('both agents registering', async () => (await leadingMaster()).state.slaves.length >= agentPorts.length, 30000);

  marathonPorts.forEach((port, i) => node(`marathon-${i + 1}`, 'packages/marathon/dist/main.js', [
    `--master=${mesosZk}`, `--zk=zk://${zkHosts}/marathon`, `--http_address=${ip}`, `--http_port=${port}`, `--hostname=${ip}`,
  ], 'marathon'));
  let marathonLeader;
  // Every Marathon up and naming the same leader: the cluster is only "up" once the standby answers too.
  await until('every Marathon naming one leader', async () => {
    const leaders = await Promise.all(marathonPorts.map(async (port) => (await json(`http://${ip}:${port}/v2/leader`))?.leader));
    marathonLeader = leaders[0];
    return marathonLeader !== undefined && leaders.every((leader) => leader === marathonLeader);
  }, 60000);

  const master = await leadingMaster();
  process.stdout.write([
    '',
    'Tepui HA cluster is up.',
    `  zookeeper   ${zkHosts}`,
    `  masters     ${masterPorts.map((p) => `http://${ip}:${p}`).join('  ')}   leader: http://${ip}:${master.port}`,
    `  agents      ${agentPorts.map((p) => `http://${ip}:${p}`).join('  ')}`,
    `  marathons   ${marathonPorts.map((p) => `http://${ip}:${p}`).join('  ')}   leader: http://${marathonLeader}`,
    `  logs        ${workRoot}`,
    '',
    'Kill the leading master or Marathon (kill -9 <pid>) and watch another take over:',
    `  curl -s http://${ip}:${masterPorts[1]}/master/redirect -o /dev/null -w '%{redirect_url}\\n'`,
    `  curl -s http://${ip}:${marathonPorts[1]}/v2/leader`,
    `Frameworks take the ZooKeeper URL: node examples/dist/run-tasks.js --master ${mesosZk} --tasks 4`,
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n'));
}

require('./run-cluster')(main, stop, 'npm run start:ha');
