// The master's other HTTP endpoints (reference §5.2): the read-only JSON tools poll
// (/master/state, /roles, /flags, /version, /metrics/snapshot…), /master/redirect, and the
// legacy write endpoints clients still call (/master/teardown, /master/weights, /logging/toggle).
import { parseDuration, parseJsonBody, versionJson, weightInfosDecoder } from '@tepui/protocol';
import type { Master } from '../master';
import type { LeaderView } from '../election/leader-view';
import { BadRequest, MethodNotAllowed, ServiceUnavailable, TemporaryRedirect } from '../errors';
import { agentStateJson, masterStateJson, recoveredAgentsJson, taskStateJson } from './state-json';
import { leaderAuthority, requireLeader } from './leader-guard';
import { sendEmpty, sendJson, sendText, type Router, type RequestContext } from './router';
import { readBody } from './http-io';
import { decodeForm } from './form-body';
import { metricsSnapshot } from '../metrics';
import { removeFramework } from '../frameworks/framework-lifecycle';
import { currentRoleViews, roleStateJson, updateWeights } from '../roles/role-operations';

function requireGet(ctx: RequestContext): void {
  if (ctx.req.method !== 'GET' && ctx.req.method !== 'HEAD') throw new MethodNotAllowed(['GET'], ctx.req.method ?? '');
}

const UNSUPPORTED_ENDPOINTS = [
  '/quota', '/reserve', '/unreserve', '/create-volumes', '/destroy-volumes',
  '/maintenance/schedule', '/maintenance/status', '/machine/down', '/machine/up',
];

/** How much of a refused body a message quotes (Mesos quotes all of it). */
const QUOTED_BODY_CHARS = 200;

export function registerEndpoints(router: Router, master: Master, leader: LeaderView): void {
  const jsonp = (ctx: RequestContext) => ctx.url.searchParams.get('jsonp');
  /** A read-only endpoint answered by the leader only (others redirect). */
  const readOnly = (path: string, body: (ctx: RequestContext) => unknown) =>
    router.master(path, (ctx) => {
      requireGet(ctx);
      requireLeader(leader, ctx.req);
      sendJson(ctx.res, 200, body(ctx), jsonp(ctx));
    });

  const state = () => masterStateJson(master, leader.leader());
  // /state.json and /master/state.json: the pre-1.0 names, which old tools still poll.
  readOnly('/state', state);
  readOnly('/state.json', state);
  readOnly('/state-summary', () => {
    const full = state();
    return { hostname: full.hostname, cluster: full.cluster, slaves: full.slaves, frameworks: full.frameworks };
  });
  readOnly('/slaves', () => ({ slaves: [...master.agents.values()].map((a) => agentStateJson(master, a)), recovered_slaves: recoveredAgentsJson(master) }));
  readOnly('/tasks', () => ({ tasks: [...master.frameworks.values()].flatMap((f) => [...f.tasks.values()].map(taskStateJson)) }));
  readOnly('/frameworks', () => {
    const full = state();
    return { frameworks: full.frameworks, completed_frameworks: full.completed_frameworks, unregistered_frameworks: [] };
  });
  readOnly('/roles', () => ({ roles: currentRoleViews(master).map(roleStateJson) }));

  // Master::Http::flags: any method while there is no authorizer.
  router.master('/flags', (ctx) => sendJson(ctx.res, 200, { flags: Object.fromEntries(master.config.flags) }, jsonp(ctx)));

  // Master::WeightsHandler: GET lists WeightInfo, PUT takes a JSON array of them.
  router.master('/weights', async (ctx) => {
    requireLeader(leader, ctx.req);
    if (ctx.req.method === 'GET' || ctx.req.method === 'HEAD') {
      sendJson(ctx.res, 200, master.weights.infos(), jsonp(ctx));
      return;
    }
    if (ctx.req.method !== 'PUT') throw new MethodNotAllowed(['GET', 'PUT'], ctx.req.method ?? '');
    const body = await readBody(ctx.req);
    const quoted = body.subarray(0, QUOTED_BODY_CHARS).toString('utf8');
    const parsed = parseJsonBody(body);
    if (!parsed.ok || !Array.isArray(parsed.value)) {
      throw new BadRequest(`Failed to parse update weights request JSON '${quoted}': ${parsed.ok ? 'Unexpected JSON type parsed' : parsed.error}`);
    }
    // parseJsonBody has held the body to stout's depth; the wrapper is not part of it.
    const decoded = weightInfosDecoder().decodeScanned({ weight_infos: parsed.value });
    if (!decoded.ok) throw new BadRequest(`Failed to convert weights JSON array to protobuf '${quoted}': ${decoded.error}`);
    updateWeights(master, decoded.value.weight_infos ?? []);
    sendEmpty(ctx.res, 200);
  });

  // Master::Http::teardown: a form body `frameworkId=<id>` (what `dcos service shutdown` posts).
  router.master('/teardown', async (ctx) => {
    requireLeader(leader, ctx.req);
    if (ctx.req.method !== 'POST') throw new MethodNotAllowed(['POST'], ctx.req.method ?? '');
    const form = decodeForm((await readBody(ctx.req)).toString('utf8'));
    if (!form.ok) throw new BadRequest(`Unable to decode query string: ${form.error}`);
    const id = form.values.get('frameworkId');
    if (id === undefined) throw new BadRequest("Missing 'frameworkId' query parameter in the request body");
    const framework = master.frameworks.get(id);
    if (!framework) throw new BadRequest('No framework found with specified ID');
    removeFramework(master, framework);
    sendEmpty(ctx.res, 200);
  });

  // Legacy endpoints of features Tepui lacks: refused with a message naming them, not a bare 404.
  for (const path of UNSUPPORTED_ENDPOINTS) {
    router.master(path, (ctx) => {
      ctx.req.resume();
      throw new BadRequest(`Tepui does not support /master${path} yet`);
    });
  }

  // Mesos answers 200 from every master; one cut off from ZooKeeper says so instead.
  router.master('/health', (ctx) => {
    const trouble = leader.trouble?.();
    if (trouble === undefined) return sendEmpty(ctx.res, 200);
    ctx.res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
    ctx.res.end(`${trouble}\n`);
  });
  // Mesos serves /version from its own libprocess process; /master/version is Tepui's alias.
  router.master('/version', (ctx) => sendJson(ctx.res, 200, versionJson(), jsonp(ctx)));
  const redirect = () => {
    const info = leader.leader();
    if (!info) throw new ServiceUnavailable('No leader elected');
    throw new TemporaryRedirect(leaderAuthority(info));
  };
  router.master('/redirect', redirect);

  // libprocess' /logging/toggle: no query reports the level; level and duration set it for a while.
  router.route('/logging/toggle', (ctx) => {
    const level = ctx.url.searchParams.get('level');
    const duration = ctx.url.searchParams.get('duration');
    if (level === null && duration === null) return sendText(ctx.res, 200, `${master.loggingLevel.level}\n`);
    if (duration === null) throw new BadRequest("Expecting 'duration=value' in query.\n");
    if (level === null) throw new BadRequest("Expecting 'level=value' in query.\n");
    if (!/^\s*-?\d+\s*$/.test(level)) throw new BadRequest(`Failed to convert '${level}' to number.\n`);
    const v = Number(level);
    if (v < 0) throw new BadRequest(`Invalid level '${v}'.\n`);
    let ms: number;
    try {
      ms = parseDuration(duration);
    } catch {
      throw new BadRequest(`Invalid duration '${duration}'.\n`);
    }
    master.loggingLevel.set(v, ms);
    sendEmpty(ctx.res, 200);
  });

  router.route('/metrics/snapshot', async (ctx) => sendJson(ctx.res, 200, await metricsSnapshot(master, leader.isLeader())));
  router.route('/metrics', async (ctx) => {
    const body = await master.metrics.registry.metrics();
    ctx.res.writeHead(200, { 'Content-Type': master.metrics.registry.contentType });
    ctx.res.end(body);
  });
}
