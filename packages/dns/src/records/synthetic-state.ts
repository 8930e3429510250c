// A GET_STATE of a made-up cluster, deterministic, for benchmarks and scale tests: `agents` agents
// each running `tasksPerAgent` Marathon-like tasks (apps of `instancesPerApp` instances spread
// over agents, two named host ports each, DiscoveryInfo as Marathon writes it, a running status
// with the agent's address in its network infos, healthy).
import type { GetAgentsAgent, GetFrameworksFramework, GetState, Task } from '@tepui/protocol';

export interface SyntheticStateOptions {
  readonly agents: number;
  readonly tasksPerAgent: number;
  /** Instances per app (default 10). */
  readonly instancesPerApp?: number;
  readonly frameworkName?: string;
}

const MASTER_ID = '7c1f3a52-95b4-4b1e-8e0f-2d6a9c4b1e77';
const FRAMEWORK_ID = `${MASTER_ID}-0000`;
const FIRST_HOST_PORT = 31000;

const agentId = (i: number): string => `${MASTER_ID}-S${i}`;
/** 10.<i / 65536>.<i / 256 % 256>.<i % 256>, offset by one so no address ends in .0. */
const agentIp = (i: number): string => `10.${((i + 1) >> 16) & 0xff}.${((i + 1) >> 8) & 0xff}.${(i + 1) & 0xff}`;

function agent(i: number): GetAgentsAgent {
  return {
    agent_info: { id: { value: agentId(i) }, hostname: `agent-${i}.example.org`, port: 5051 },
    active: true,
    version: '1.11.0',
    pid: `slave(1)@${agentIp(i)}:5051`,
  };
}

function task(app: number, instance: number, agentIndex: number, port: number, startedAt: number): Task {
  const name = `app-${app}.group-${app % 100}`;
  const taskId = `group-${app % 100}_app-${app}.${instance.toString(16).padStart(8, '0')}-5b1e-11ea-9c2d-${agentIndex.toString(16).padStart(12, '0')}`;
  const ip = agentIp(agentIndex);
  return {
    name,
    task_id: { value: taskId },
    framework_id: { value: FRAMEWORK_ID },
    agent_id: { value: agentId(agentIndex) },
    state: 'TASK_RUNNING',
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.1 } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 32 } },
      { name: 'ports', type: 'RANGES', ranges: { range: [{ begin: port, end: port + 1 }] } },
    ],
    statuses: [{
      task_id: { value: taskId },
      state: 'TASK_RUNNING',
      timestamp: startedAt,
      healthy: true,
      container_status: { network_infos: [{ ip_addresses: [{ protocol: 'IPv4', ip_address: ip }] }] },
    }],
    discovery: {
      visibility: 'FRAMEWORK',
      name,
      ports: { ports: [{ number: port, name: 'http', protocol: 'tcp' }, { number: port + 1, name: 'admin', protocol: 'tcp' }] },
    },
    health_check: { type: 'TCP', tcp: { port } },
  };
}

export function syntheticState(options: SyntheticStateOptions): GetState {
  const instancesPerApp = options.instancesPerApp ?? 10;
  const agents: GetAgentsAgent[] = [];
  for (let i = 0; i < options.agents; i++) agents.push(agent(i));
  const framework: GetFrameworksFramework = {
    framework_info: { id: { value: FRAMEWORK_ID }, name: options.frameworkName ?? 'marathon', user: 'root', hostname: '10.0.0.2' },
    active: true,
    connected: true,
    recovered: false,
  };
  const tasks: Task[] = [];
  const total = options.agents * options.tasksPerAgent;
  for (let n = 0; n < total; n++) {
    // Instances of an app land on consecutive agents; each agent's tasks take consecutive port pairs.
    const agentIndex = n % options.agents;
    const slot = Math.floor(n / options.agents);
    const app = Math.floor(n / instancesPerApp);
    tasks.push(task(app, n % instancesPerApp, agentIndex, FIRST_HOST_PORT + 2 * slot, 1_600_000_000 + n / 1000));
  }
  return {
    get_tasks: { tasks },
    get_executors: {},
    get_frameworks: { frameworks: [framework] },
    get_agents: { agents },
  };
}
