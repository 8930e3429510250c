// GET /ui/api/tasks/{taskId}/files/read?file=stdout|stderr&offset=&length=: a task's output read
// through Marathon, so the browser never needs to reach an agent (marathon#4586: the Mesos
// sandbox links fail when it cannot). Marathon knows the task's agent; the leading master knows
// the agent's address; the agent's /state knows the sandbox. Only stdout and stderr are read.
import { Router } from 'express';
import { BadRequest, SandboxNotFound, UnknownTask, UpstreamRefused } from '../errors';
import type { InstanceTracker } from '../core/instance-tracker';
import { readAgent, readLeadingMaster, type MasterUpstream } from './master-upstream';
import { SandboxCache } from './sandbox-cache';
import { agentBaseOf, agentReadPath, decodeAgentRead, parseOutputFile, parseReadWindow, taskFileChunk, taskOutputPath, taskSandboxOf } from './task-sandbox';

export const TASK_FILES_PATH = '/ui/api/tasks/:taskId/files/read';

const parseJson = (body: Buffer): unknown => {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
};

export function taskFilesRoutes(tracker: Pick<InstanceTracker, 'byTaskId'>, upstream: MasterUpstream): Router {
  const router = Router();
  // A tail reads every second: where the sandbox is, is asked of the master and the agent once a while, not each time.
  const located = new SandboxCache(upstream.clock);
  const locate = async (taskId: string, agentId: string): Promise<{ agent: string; sandbox: string }> => {
    const known = located.get(taskId);
    if (known) return known;
    const slaves = await readLeadingMaster(upstream, '/master/slaves');
    const agent = agentBaseOf(parseJson(slaves.body), agentId);
    if (agent === undefined) throw new SandboxNotFound(taskId, `the master does not know agent ${agentId}`);
    const state = await readAgent(agent, '/state', upstream.timeoutMs);
    if (state.status !== 200) throw new UpstreamRefused(`The agent at ${agent} (/state)`, state.status, '');
    const sandbox = taskSandboxOf(parseJson(state.body), taskId);
    if (sandbox === undefined) throw new SandboxNotFound(taskId, `agent ${agentId} lists no sandbox for it`);
    located.set(taskId, { agent, sandbox });
    return { agent, sandbox };
  };
  router.get(TASK_FILES_PATH, async (req, res) => {
    const taskId = req.params.taskId;
    const instance = tracker.byTaskId(taskId);
    if (!instance) throw new UnknownTask(taskId);
    const file = parseOutputFile(req.query.file);
    if (file === undefined) throw new BadRequest("file must be 'stdout' or 'stderr'");
    const window = parseReadWindow(req.query.offset, req.query.length);
    if (!window.ok) throw new BadRequest(window.error);

    const { agent, sandbox } = await locate(taskId, instance.agentId);

    const read = await readAgent(agent, agentReadPath(taskOutputPath(sandbox, file), window.offset, window.length), upstream.timeoutMs).catch((err: unknown) => {
      located.forget(taskId); // the agent may have moved (restarted on another address): look again next time
      throw err;
    });
    if (read.status === 404) {
      located.forget(taskId);
      throw new SandboxNotFound(taskId, `there is no ${file} in its sandbox (yet)`);
    }
    if (read.status !== 200) throw new UpstreamRefused(`The agent at ${agent} (/files/read)`, read.status, read.body.subarray(0, 300).toString('utf8').trim());
    const decoded = decodeAgentRead(read.body);
    if (decoded === undefined) throw new UpstreamRefused(`The agent at ${agent} (/files/read)`, read.status, 'an answer that is not {data, offset}');
    res.json(taskFileChunk(decoded.bytes, decoded.offset));
  });
  return router;
}
