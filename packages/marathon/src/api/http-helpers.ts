// Small request/response helpers shared by the v2 routes.
import type { NextFunction, Request, Response } from 'express';
import type { DeploymentPlan } from '../deployment';
import { BadRequest, EmptyBody, TooManyDeployments } from '../errors';
import type { ApiContext } from './api-context';

/** Repeated query values (`embed=a&embed=b`) as a list, whatever the parser made of them. */
export function queryList(req: Request, name: string): string[] {
  const value = (req.query as Record<string, unknown>)[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

export function queryFlag(req: Request, name: string, fallback = false): boolean {
  const [value] = queryList(req, name);
  if (value === undefined) return fallback;
  return value === '' || value.toLowerCase() === 'true';
}

export function clientIp(req: Request): string {
  return req.socket.remoteAddress ?? '';
}

/** Marathon's DeploymentResult, with the header go-marathon falls back on. */
export function sendDeploymentResult(res: Response, plan: DeploymentPlan, status = 200): void {
  res.setHeader('Marathon-Deployment-Id', plan.id);
  res.status(status).json({ deploymentId: plan.id, version: plan.version });
}

/** `--max_running_deployments`: refused with 403 before anything changes. */
export function assertDeploymentCapacity(ctx: ApiContext): void {
  if (ctx.deployments.list().length >= ctx.maxRunningDeployments) throw new TooManyDeployments(ctx.maxRunningDeployments);
}

/** The app id in a `/v2/apps/...` path, absolute and normalised. */
export function appIdOf(segments: readonly string[]): string {
  return `/${segments.filter(Boolean).join('/')}`;
}

/** A body-carrying call with no body is Marathon's 400 "Please specify data in JSON format". */
export function requireBody(req: Request): unknown {
  if (req.body === undefined || req.get('content-length') === '0') throw new EmptyBody();
  return req.body;
}

const DRY_RUN_METHODS = new Set(['PUT', 'POST']);
const GROUPS_PATH = /^\/v2\/groups(\/|$)/;

/**
 * Marathon reads `dryRun` only on PUT /v2/groups (Tepui also on POST); anywhere else a change would
 * be carried out for real, so a request asking for a dry run there is refused before anything happens.
 */
export function refuseDryRunOutsideGroups(req: Request, _res: Response, next: NextFunction): void {
  const readOnly = req.method === 'GET' || req.method === 'HEAD';
  if (!readOnly && queryFlag(req, 'dryRun') && !(DRY_RUN_METHODS.has(req.method) && GROUPS_PATH.test(req.path))) {
    throw new BadRequest(`dryRun is supported only by PUT and POST /v2/groups, not by ${req.method} ${req.path}`);
  }
  next();
}
