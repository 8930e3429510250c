#!/usr/bin/env node
// `npm start`: a local cluster on the embedded defaults — a master on :5050, two agents on :5051
// and :5052 that split this machine's resources, Marathon on :8080, Tepui-DNS on :8053 (HTTP
// API on :8123), and, when HAProxy is installed, tepui-lb with its HAProxy (vhosts on :9080, app
// ids on :9091, stats on :9090, the generator's API on :9095). Ctrl-C stops everything cleanly (Marathon first, so it does not see its tasks die).
'use strict';
const { spawn } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');
const fs = require('node:fs');

const root = path.resolve(__dirname, '..');
const workRoot = process.env.TEPUI_WORK_DIR || path.join(root, '.tepui');
const ip = process.env.TEPUI_IP || '127.0.0.1';
const masterPort = Number(process.env.TEPUI_MASTER_PORT || 5050);
const agentCount = Number(process.env.TEPUI_AGENTS || 2);
const agentBasePort = Number(process.env.TEPUI_AGENT_BASE_PORT || 5051);
const taskBasePort = Number(process.env.TEPUI_TASK_BASE_PORT || 31000);
const marathonPort = Number(process.env.TEPUI_MARATHON_PORT || 8080);
const dnsPort = Number(process.env.TEPUI_DNS_PORT || 8053);
const dnsHttpPort = Number(process.env.TEPUI_DNS_HTTP_PORT || 8123);
const lbHttpPort = Number(process.env.TEPUI_LB_HTTP_PORT || 9080);
const lbAppIdPort = Number(process.env.TEPUI_LB_APP_ID_PORT || 9091);
const lbStatsPort = Number(process.env.TEPUI_LB_STATS_PORT || 9090);
const lbApiPort = Number(process.env.TEPUI_LB_API_PORT || 9095);
const children = [];
let stopping = false;

function start(name, script, args) {
  const logFile = path.join(workRoot, `${name}.log`);
  const out = fs.openSync(logFile, 'a');
  // Its own process group: Ctrl-C reaches this script only, which stops everything in order (agents
  // with SIGUSR1, so that they take their executors with them).
  const child = spawn(process.execPath, [path.join(root, script), ...args], { stdio: ['ignore', out, out], detached: true });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      process.stderr.write(`${name} exited (${signal || code}); see ${logFile}. Stopping the cluster.\n`);
      stop(1);
    }
  });
  children.push({ name, child, logFile });
  return child;
}

async function waitFor(url, deadlineMs) {
  const until = Date.now() + deadlineMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`${url} did not come up`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function agentResources(index) {
  const cpus = Math.max(1, Math.floor(os.cpus().length / agentCount * 10) / 10);
  const memMb = Math.floor((os.totalmem() / 1048576 - Math.min(1024, os.totalmem() / 2097152)) / agentCount);
  const first = taskBasePort + index * 1000;
  return `cpus:${cpus};mem:${memMb};disk:${10240};ports:[${first}-${first + 999}]`;
}

function stop(code) {
  if (stopping) return;
  stopping = true;
  process.stdout.write('\nStopping the local cluster…\n');
  const agents = children.filter((c) => c.name.startsWith('agent'));
  const master = children.filter((c) => c.name === 'master');
  const marathon = children.filter((c) => c.name === 'marathon' || c.name === 'dns' || c.name === 'lb');
  // Agents get SIGUSR1: they shut down for good and kill their executors, leaving nothing behind.
  const kill = (list, signal) => Promise.all(list.map(({ child }) => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill(signal);
  })));
  kill(marathon, 'SIGTERM').then(() => kill(agents, 'SIGUSR1')).then(() => kill(master, 'SIGTERM')).then(() => process.exit(code));
}

async function main() {
  fs.mkdirSync(workRoot, { recursive: true });
  const master = `${ip}:${masterPort}`;
  start('master', 'packages/master/dist/main.js', [`--ip=${ip}`, `--port=${masterPort}`]);
  await waitFor(`http://${master}/health`, 15000);
  for (let i = 0; i < agentCount; i++) {
    const port = agentBasePort + i;
    start(`agent-${i + 1}`, 'packages/agent/dist/main.js', [
      `--master=${master}`, `--ip=${ip}`, `--port=${port}`, `--work_dir=${path.join(workRoot, `agent-${i + 1}`)}`,
      `--resources=${agentResources(i)}`, `--attributes=host:agent-${i + 1}`,
    ]);
    await waitFor(`http://${ip}:${port}/health`, 15000);
  }
  const until = Date.now() + 15000;
  for (;;) {
    const state = await (await fetch(`http://${master}/master/state`)).json();
    if (state.slaves.length >= agentCount) break;
    if (Date.now() > until) throw new Error('agents did not register with the master');
    await new Promise((r) => setTimeout(r, 100));
  }
  const marathonUrl = `http://${ip}:${marathonPort}`;
  start('marathon', 'packages/marathon/dist/main.js', [
    `--master=http://${master}`, `--http_address=${ip}`, `--http_port=${marathonPort}`, `--hostname=${ip}`,
    `--state_dir=${path.join(workRoot, 'marathon')}`,
  ]);
  await waitFor(`${marathonUrl}/ping`, 15000);
  // Names outside the cluster's domain go to this machine's resolvers (an empty list reads /etc/resolv.conf).
  start('dns', 'packages/dns/dist/main.js', [
    `--masters=${master}`, `--listener=${ip}`, `--port=${dnsPort}`, `--httplistener=${ip}`, `--httpport=${dnsHttpPort}`,
    '--resolvers=', '--ttl=5', '--refreshseconds=60',
  ]);
  await waitFor(`http://${ip}:${dnsHttpPort}/health`, 15000);
  const haproxy = ['/usr/sbin/haproxy', '/usr/local/sbin/haproxy'].find((p) => fs.existsSync(p));
  if (haproxy) {
    start('lb', 'packages/lb/dist/main.js', [
      `--marathon=${marathonUrl}`, '--group=external', `--haproxy-bin=${haproxy}`, `--haproxy-dir=${path.join(workRoot, 'lb')}`,
      `--bind-address=${ip}`, `--http-port=${lbHttpPort}`, `--app-id-port=${lbAppIdPort}`, `--stats-port=${lbStatsPort}`,
      `--api-address=${ip}`, `--api-port=${lbApiPort}`,
    ]);
    await waitFor(`http://${ip}:${lbApiPort}/health`, 15000);
  }
  const lbLines = haproxy ? [
    '',
    'Reach it through HAProxy (apps labelled HAPROXY_GROUP=external):',
    `  curl -X PUT ${marathonUrl}/v2/apps/hello -H 'Content-Type: application/json' \\`,
    `    -d '{"labels": {"HAPROXY_GROUP": "external", "HAPROXY_0_VHOST": "hello.local"}}'`,
    `  curl -H 'Host: hello.local' http://${ip}:${lbHttpPort}/`,
    `  curl http://${ip}:${lbApiPort}/v1/backends   (service ports, servers; /v1/config, /v1/status, /metrics)`,
  ] : ['', 'HAProxy is not installed, so tepui-lb is not running (apt-get install haproxy).'];
  process.stdout.write([
    '',
    'Tepui local cluster is up.',
    `  master      http://${master}   (state: /master/state, metrics: /metrics/snapshot)`,
    ...children.filter((c) => c.name.startsWith('agent')).map((c, i) => `  ${c.name.padEnd(11)} http://${ip}:${agentBasePort + i}   (log: ${c.logFile})`),
    `  marathon    ${marathonUrl}   (REST API /v2/apps, events /v2/events)`,
    `  web UI      ${marathonUrl}/ui/`,
    `  dns         ${ip}:${dnsPort}   (Mesos-DNS names under .mesos; HTTP API http://${ip}:${dnsHttpPort}/v1/…)`,
    ...(haproxy ? [`  lb          http://${ip}:${lbHttpPort}   (HAProxy vhosts; stats http://${ip}:${lbStatsPort}/haproxy?stats, generator http://${ip}:${lbApiPort})`] : []),
    `  logs        ${workRoot}`,
    '',
    'Run an app on Marathon:',
    `  curl -X POST ${marathonUrl}/v2/apps -H 'Content-Type: application/json' \\`,
    `    -d '{"id": "/hello", "cmd": "python3 -m http.server $PORT0", "cpus": 0.1, "mem": 32, "instances": 2}'`,
    `  curl ${marathonUrl}/v2/apps/hello/tasks`,
    '',
    'Find it by name:',
    `  dig @${ip} -p ${dnsPort} hello.marathon.mesos +short`,
    `  dig @${ip} -p ${dnsPort} _hello._tcp.marathon.mesos SRV +short`,
    `  curl http://${ip}:${dnsHttpPort}/v1/services/_hello._tcp.marathon.mesos`,
    ...lbLines,
    '',
    'Try the example framework:',
    `  node examples/dist/run-tasks.js --master http://${master} --tasks 4 --cmd 'sleep 1'`,
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n'));
}

require('./run-cluster')(main, stop, 'npm start');
