#!/usr/bin/env node
// Idempotent setup for `npm start`, `npm test` and `npm run bench` on a fresh clone:
//   --npm     install npm packages when node_modules is missing or older than the lock file
//   --debian  install the Debian packages the integration tests drive (apt-get update once first)
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const args = new Set(process.argv.slice(2));

// Debian packages the test suite needs, each with a shell check that proves it is present.
const DEBIAN_PACKAGES = [
  { pkg: 'procps', probe: 'command -v ps' },
  { pkg: 'curl', probe: 'command -v curl' },
  // The Docker tests start their own dockerd; a docker CLI elsewhere on PATH does not count.
  { pkg: 'docker.io', probe: 'command -v dockerd' },
  // Static busybox: the rootfs of the test image (`docker import`, no registry needed).
  { pkg: 'busybox-static', probe: 'dpkg -s busybox-static' },
  { pkg: 'iptables', probe: 'command -v iptables' },
  // `ss` shows a listening socket's accept backlog (the master's is checked).
  { pkg: 'iproute2', probe: 'command -v ss' },
  // The HA tests start their own ZooKeeper ensemble from Debian's jars (not the system service).
  { pkg: 'zookeeper', probe: 'test -f /usr/share/java/zookeeper.jar && test -f /usr/share/java/slf4j-log4j12.jar && command -v java' },
  // The DNS tests query with the real dig; the DNS benchmark drives dnsperf and compares with NSD.
  { pkg: 'dnsutils', probe: 'test -x /usr/bin/dig' },
  { pkg: 'dnsperf', probe: 'command -v dnsperf' },
  { pkg: 'nsd', probe: 'test -x /usr/sbin/nsd' },
  // tepui-lb drives a real HAProxy (master-worker, Runtime API); its benchmark loads it with wrk.
  { pkg: 'haproxy', probe: 'test -x /usr/sbin/haproxy' },
  { pkg: 'wrk', probe: 'command -v wrk' },
  // The web UI's acceptance tests drive Debian's Chromium through playwright-core (no browser download).
  { pkg: 'chromium', probe: 'test -x /usr/bin/chromium' },
];

function log(msg) {
  process.stderr.write(`[setup] ${msg}\n`);
}

function npmInstallNeeded() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (!fs.existsSync(marker)) return true;
  if (!fs.existsSync(lock)) return true;
  return fs.statSync(lock).mtimeMs > fs.statSync(marker).mtimeMs;
}

function ensureNpm() {
  if (!npmInstallNeeded()) return;
  const lock = fs.existsSync(path.join(root, 'package-lock.json'));
  log(lock ? 'npm ci' : 'npm install');
  execFileSync('npm', [lock ? 'ci' : 'install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}

function has(probe) {
  return spawnSync('sh', ['-c', probe], { stdio: 'ignore' }).status === 0;
}

function ensureDebian() {
  const missing = DEBIAN_PACKAGES.filter((p) => !has(p.probe)).map((p) => p.pkg);
  if (missing.length === 0) return;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    log(`missing Debian packages ${missing.join(' ')}; run as root to install them`);
    process.exit(1);
  }
  log(`apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
}

if (args.has('--debian')) ensureDebian();
if (args.has('--npm')) ensureNpm();
