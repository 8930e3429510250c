// Validation of agent-channel frames: each side decodes what the other sent before using it.
import { definitions } from './mesos/schemas';
import { arr, obj, ref, str, type Schema } from './mesos/schema-builders';
import { MesosJsonDecoder, type Decoded } from './mesos/json-decoder';
import { MAX_JSON_DEPTH, depthViolation } from './mesos/json-text';
import type { AgentToMasterMessage, MasterToAgentMessage } from './agent-channel';

const id = ref('ID');

function messageUnion(variants: Record<string, Schema>): Schema {
  return {
    type: 'object',
    required: ['type'],
    properties: { type: { type: 'string', enum: Object.keys(variants) } },
    allOf: Object.entries(variants).map(([type, schema]) => ({
      if: { properties: { type: { const: type } } },
      then: schema,
    })),
  };
}

const agentInfo = obj(
  { hostname: str, port: { type: 'integer' }, resources: arr(ref('Resource')), attributes: arr({ type: 'object' }), id },
  ['hostname'],
);

const task = obj(
  {
    name: str,
    task_id: id,
    framework_id: id,
    executor_id: id,
    agent_id: id,
    state: str,
    resources: arr(ref('Resource')),
    statuses: arr(ref('TaskStatus')),
  },
  ['name', 'task_id', 'framework_id', 'agent_id', 'state'],
);

const agentToMaster = messageUnion({
  REGISTER_AGENT: obj({ agent_info: agentInfo, capabilities: arr(str), version: str, pid: str }, ['agent_info', 'version', 'pid']),
  REREGISTER_AGENT: obj(
    {
      agent_info: { allOf: [agentInfo, { required: ['id'] }] },
      capabilities: arr(str),
      version: str,
      pid: str,
      tasks: arr(task),
      executors: arr(obj({ framework_id: id, executor_info: ref('ExecutorInfo'), directory: str }, ['framework_id', 'executor_info'])),
      frameworks: arr(ref('FrameworkInfo')),
    },
    ['agent_info', 'version', 'pid', 'tasks', 'executors', 'frameworks'],
  ),
  STATUS_UPDATE: obj(
    { update: obj({ framework_id: id, executor_id: id, agent_id: id, status: ref('TaskStatus'), latest_state: str }, ['framework_id', 'agent_id', 'status']) },
    ['update'],
  ),
  EXECUTOR_TO_FRAMEWORK: obj({ agent_id: id, framework_id: id, executor_id: id, data: str }, ['agent_id', 'framework_id', 'executor_id', 'data']),
  EXITED_EXECUTOR: obj({ agent_id: id, framework_id: id, executor_id: id, status: { type: 'integer' } }, ['agent_id', 'framework_id', 'executor_id']),
  EXECUTOR_LAUNCHED: obj(
    { agent_id: id, framework_id: id, executor_id: id, container_id: id, directory: str },
    ['agent_id', 'framework_id', 'executor_id', 'container_id', 'directory'],
  ),
  PONG: obj({}),
  UNREGISTER_AGENT: obj({ agent_id: id }, ['agent_id']),
});

const frameworkInfoWithId = { allOf: [ref('FrameworkInfo'), { required: ['id'] }] };

const masterToAgent = messageUnion({
  AGENT_REGISTERED: obj({ agent_id: id, master_info: { type: 'object' }, ping_interval_seconds: { type: 'number' } }, ['agent_id', 'master_info']),
  AGENT_REREGISTERED: obj({ agent_id: id, master_info: { type: 'object' }, ping_interval_seconds: { type: 'number' } }, ['agent_id', 'master_info']),
  RUN_TASK: obj({ framework_info: frameworkInfoWithId, task: ref('TaskInfo') }, ['framework_info', 'task']),
  RUN_TASK_GROUP: obj(
    { framework_info: frameworkInfoWithId, executor_info: ref('ExecutorInfo'), task_group: obj({ tasks: arr(ref('TaskInfo')) }, ['tasks']) },
    ['framework_info', 'executor_info', 'task_group'],
  ),
  KILL_TASK: obj({ framework_id: id, task_id: id, kill_policy: ref('KillPolicy') }, ['framework_id', 'task_id']),
  STATUS_UPDATE_ACK: obj({ framework_id: id, task_id: id, uuid: str }, ['framework_id', 'task_id', 'uuid']),
  FRAMEWORK_TO_EXECUTOR: obj({ framework_id: id, executor_id: id, data: str }, ['framework_id', 'executor_id', 'data']),
  SHUTDOWN_FRAMEWORK: obj({ framework_id: id }, ['framework_id']),
  SHUTDOWN_EXECUTOR: obj({ framework_id: id, executor_id: id }, ['framework_id', 'executor_id']),
  UPDATE_FRAMEWORK: obj({ framework_info: frameworkInfoWithId }, ['framework_info']),
  RECONCILE_TASKS: obj({ framework_id: id, tasks: arr(obj({ task_id: id, state: str }, ['task_id', 'state'])) }, ['framework_id', 'tasks']),
  PING: obj({ connected: { type: 'boolean' } }, ['connected']),
  SHUTDOWN_AGENT: obj({ message: str }, ['message']),
});

function frameSchema(message: Schema): Schema {
  return { definitions, type: 'object', required: ['frame'], properties: { frame: { type: 'array', items: message } } };
}

function frameDecoder<M>(schema: Schema, name: string): (raw: string | Buffer) => Decoded<M[]> {
  const decoder = new MesosJsonDecoder<{ frame: M[] }>(frameSchema(schema), name);
  return (raw) => {
    const text = typeof raw === 'string' ? raw : raw.toString('utf8');
    // The frame goes one level down, under `frame`.
    if (depthViolation(text, MAX_JSON_DEPTH - 1) !== -1) return decoder.tooDeep();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      return { ok: false, error: `Failed to parse frame into JSON: ${(err as Error).message}` };
    }
    const decoded = decoder.decodeScanned({ frame: parsed });
    return decoded.ok ? { ok: true, value: decoded.value.frame } : decoded;
  };
}

let toMaster: ((raw: string | Buffer) => Decoded<AgentToMasterMessage[]>) | undefined;
let toAgent: ((raw: string | Buffer) => Decoded<MasterToAgentMessage[]>) | undefined;

export function decodeAgentToMasterFrame(raw: string | Buffer): Decoded<AgentToMasterMessage[]> {
  toMaster ??= frameDecoder<AgentToMasterMessage>(agentToMaster, 'agent message');
  return toMaster(raw);
}

export function decodeMasterToAgentFrame(raw: string | Buffer): Decoded<MasterToAgentMessage[]> {
  toAgent ??= frameDecoder<MasterToAgentMessage>(masterToAgent, 'master message');
  return toAgent(raw);
}

export function encodeFrame<M>(messages: readonly M[]): string {
  return JSON.stringify(messages);
}
