// The read-only JSON endpoints tools poll: /master/state, /health, /version, /metrics/snapshot,
// /master/redirect and friends (reference §5.2).
import type { Master } from '../master';
import type { LeaderDetector } from '../election/leader-detector';
import { MethodNotAllowed, ServiceUnavailable, TemporaryRedirect } from '../errors';
import { agentStateJson, masterStateJson, taskStateJson } from './state-json';
import { leaderAuthority, requireLeader } from './leader-guard';
import { sendEmpty, sendJson, type Router, type RequestContext } from './router';
import { metricsSnapshot } from '../metrics';
import { getRoles } from './operator-state';
import { BUILD, TEPUI_MESOS_VERSION, TEPUI_VERSION } from '../version';

function requireGet(ctx: RequestContext): void {
  if (ctx.req.method !== 'GET' && ctx.req.method !== 'HEAD') throw new MethodNotAllowed(['GET'], ctx.req.method ?? '');
}

export function registerEndpoints(router: Router, master: Master, leader: LeaderDetector): void {
  const leaderPid = () => {
    const info = leader.leader();
    return info && { pid: info.pid, hostname: info.hostname, port: info.port, id: info.id };
  };
  const state = (ctx: RequestContext) => {
    requireGet(ctx);
    requireLeader(leader, ctx.req);
    sendJson(ctx.res, 200, masterStateJson(master, leaderPid()), ctx.url.searchParams.get('jsonp'));
  };
  router.master('/state', state).master('/state.json', state);
  router.master('/state-summary', (ctx) => {
    requireGet(ctx);
    requireLeader(leader, ctx.req);
    const full = masterStateJson(master, leaderPid());
    sendJson(ctx.res, 200, { hostname: full.hostname, cluster: full.cluster, slaves: full.slaves, frameworks: full.frameworks });
  });
  router.master('/slaves', (ctx) => {
    requireGet(ctx);
    requireLeader(leader, ctx.req);
    sendJson(ctx.res, 200, { slaves: [...master.agents.values()].map((a) => agentStateJson(master, a)), recovered_slaves: [] });
  });
  router.master('/tasks', (ctx) => {
    requireGet(ctx);
    requireLeader(leader, ctx.req);
    const tasks = [...master.frameworks.values()].flatMap((f) => [...f.tasks.values()].map(taskStateJson));
    sendJson(ctx.res, 200, { tasks });
  });
  router.master('/frameworks', (ctx) => {
    requireGet(ctx);
    requireLeader(leader, ctx.req);
    const full = masterStateJson(master, leaderPid());
    sendJson(ctx.res, 200, { frameworks: full.frameworks, completed_frameworks: full.completed_frameworks, unregistered_frameworks: [] });
  });
  router.master('/roles', (ctx) => {
    requireGet(ctx);
    requireLeader(leader, ctx.req);
    sendJson(ctx.res, 200, { roles: getRoles(master).map((r) => ({ name: r.name, weight: r.weight, frameworks: (r.frameworks ?? []).map((f) => f.value), resources: {} })) });
  });
  router.master('/health', (ctx) => sendEmpty(ctx.res, 200));
  router.master('/version', (ctx) => {
    sendJson(ctx.res, 200, { version: TEPUI_MESOS_VERSION, build_date: BUILD.date, build_time: BUILD.time, build_user: BUILD.user, tepui_version: TEPUI_VERSION });
  });
  const redirect = () => {
    const info = leader.leader();
    if (!info) throw new ServiceUnavailable('No leader elected');
    throw new TemporaryRedirect(leaderAuthority(info));
  };
  router.master('/redirect', redirect);
  router.route('/metrics/snapshot', async (ctx) => sendJson(ctx.res, 200, await metricsSnapshot(master, leader.isLeader())));
  router.route('/metrics', async (ctx) => {
    const body = await master.metrics.registry.metrics();
    ctx.res.writeHead(200, { 'Content-Type': master.metrics.registry.contentType });
    ctx.res.end(body);
  });
}
