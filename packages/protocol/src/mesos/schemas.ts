// JSON Schemas of the Mesos v1 messages Tepui accepts from the wire, following the proto2
// `required` markers of include/mesos/v1/*.proto. They are the only way untrusted JSON becomes a type.
import { OPERATION_TYPES } from './messages';
import { arr, bool, list, bytes, double, int, looseEnum, num, obj, ref, str, strictEnum, uint, unboundedNum, type Schema } from './schema-builders';

const id = obj({ value: str }, ['value']);
const duration = obj({ nanoseconds: int }, ['nanoseconds']);
const labels = obj({ labels: list(obj({ key: str, value: str }, ['key'])) });
const parameter = obj({ key: str, value: str }, ['key', 'value']);
const portMapping = obj({ host_port: uint, container_port: uint, protocol: str }, ['host_port', 'container_port']);

export const definitions: Record<string, Schema> = {
  ID: id,
  Labels: labels,
  Resource: obj(
    {
      name: str,
      type: strictEnum(['SCALAR', 'RANGES', 'SET']),
      scalar: obj({ value: double }, ['value']),
      ranges: obj({ range: list(obj({ begin: uint, end: uint }, ['begin', 'end'])) }),
      set: obj({ item: list(str) }),
      role: str,
      allocation_info: obj({ role: str }),
      reservation: obj({ principal: str, labels, role: str, type: looseEnum }),
      reservations: arr(obj({ type: looseEnum, role: str, principal: str, labels })),
      disk: { type: 'object' },
      revocable: { type: 'object' },
      shared: { type: 'object' },
      provider_id: id,
    },
    ['name', 'type'],
  ),
  Environment: obj({
    variables: arr(obj({ name: str, type: looseEnum, value: str, secret: { type: 'object' } }, ['name'])),
  }),
  CommandInfo: obj({
    uris: arr(obj({ value: str, executable: bool, extract: bool, cache: bool, output_file: str }, ['value'])),
    environment: ref('Environment'),
    shell: bool,
    value: str,
    arguments: arr(str),
    user: str,
  }),
  ContainerInfo: obj(
    {
      type: strictEnum(['DOCKER', 'MESOS']),
      volumes: arr(obj({ container_path: str, host_path: str, mode: strictEnum(['RW', 'RO']) }, ['container_path'])),
      hostname: str,
      docker: obj(
        {
          image: str,
          network: strictEnum(['HOST', 'BRIDGE', 'NONE', 'USER']),
          port_mappings: arr(portMapping),
          privileged: bool,
          parameters: arr(parameter),
          force_pull_image: bool,
        },
        ['image'],
      ),
      mesos: { type: 'object' },
      network_infos: arr(
        obj({
          ip_addresses: arr(obj({ protocol: looseEnum, ip_address: str })),
          name: str,
          groups: arr(str),
          labels,
          port_mappings: arr(portMapping),
        }),
      ),
    },
    ['type'],
  ),
  HealthCheck: obj({
    type: looseEnum,
    command: ref('CommandInfo'),
    http: obj({ scheme: str, port: uint, path: str, protocol: looseEnum, statuses: arr(uint) }, ['port']),
    tcp: obj({ port: uint, protocol: looseEnum }, ['port']),
    delay_seconds: num,
    interval_seconds: num,
    timeout_seconds: num,
    consecutive_failures: uint,
    grace_period_seconds: num,
  }),
  KillPolicy: obj({ grace_period: duration }),
  DiscoveryInfo: obj(
    {
      visibility: strictEnum(['FRAMEWORK', 'CLUSTER', 'EXTERNAL']),
      name: str,
      environment: str,
      location: str,
      version: str,
      ports: obj({ ports: list(obj({ number: uint, name: str, protocol: str, visibility: looseEnum, labels }, ['number'])) }),
      labels,
    },
    ['visibility'],
  ),
  ExecutorInfo: obj(
    {
      type: looseEnum,
      executor_id: id,
      framework_id: id,
      command: ref('CommandInfo'),
      container: ref('ContainerInfo'),
      resources: arr(ref('Resource')),
      name: str,
      source: str,
      data: bytes,
      discovery: ref('DiscoveryInfo'),
      shutdown_grace_period: duration,
      labels,
    },
    ['executor_id'],
  ),
  TaskInfo: obj(
    {
      name: str,
      task_id: id,
      agent_id: id,
      resources: arr(ref('Resource')),
      executor: ref('ExecutorInfo'),
      command: ref('CommandInfo'),
      container: ref('ContainerInfo'),
      health_check: ref('HealthCheck'),
      kill_policy: ref('KillPolicy'),
      data: bytes,
      labels,
      discovery: ref('DiscoveryInfo'),
      max_completion_time: duration,
      limits: { type: 'object', additionalProperties: { anyOf: [obj({ value: double }, ['value']), double] } },
    },
    ['name', 'task_id', 'agent_id'],
  ),
  FrameworkInfo: obj(
    {
      user: str,
      name: str,
      id,
      failover_timeout: num,
      checkpoint: bool,
      role: str,
      roles: arr(str),
      hostname: str,
      principal: str,
      webui_url: str,
      capabilities: arr(obj({ type: looseEnum })),
      labels,
      offer_filters: { type: 'object' },
    },
    ['user', 'name'],
  ),
  Filters: obj({ refuse_seconds: unboundedNum }),
  WeightInfo: obj({ weight: num, role: str }, ['weight']),
  TaskStatus: obj(
    {
      task_id: id,
      state: strictEnum([
        'TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_KILLING', 'TASK_FINISHED', 'TASK_FAILED',
        'TASK_KILLED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED', 'TASK_UNREACHABLE', 'TASK_GONE',
        'TASK_GONE_BY_OPERATOR', 'TASK_UNKNOWN',
      ]),
      message: str,
      source: looseEnum,
      reason: looseEnum,
      data: bytes,
      agent_id: id,
      executor_id: id,
      timestamp: num,
      uuid: bytes,
      healthy: bool,
      labels,
      container_status: { type: 'object' },
      unreachable_time: duration,
    },
    ['task_id', 'state'],
  ),
  OfferOperation: obj({
    type: strictEnum(OPERATION_TYPES),
    id,
    launch: obj({ task_infos: list(ref('TaskInfo')) }),
    launch_group: obj(
      { executor: ref('ExecutorInfo'), task_group: obj({ tasks: list(ref('TaskInfo')) }) },
      ['executor', 'task_group'],
    ),
    reserve: obj({ resources: arr(ref('Resource')), source: arr(ref('Resource')) }),
    unreserve: obj({ resources: list(ref('Resource')) }),
    create: obj({ volumes: list(ref('Resource')) }),
    destroy: obj({ volumes: list(ref('Resource')) }),
  }),
};

const filters = ref('Filters');

export const schedulerCallSchema: Schema = {
  definitions,
  ...obj({
    framework_id: id,
    type: str,
    subscribe: obj({ framework_info: ref('FrameworkInfo'), suppressed_roles: arr(str) }, ['framework_info']),
    accept: obj({ offer_ids: arr(id), operations: arr(ref('OfferOperation')), filters }),
    decline: obj({ offer_ids: arr(id), filters }),
    accept_inverse_offers: obj({ inverse_offer_ids: arr(id), filters }),
    decline_inverse_offers: obj({ inverse_offer_ids: arr(id), filters }),
    revive: obj({ role: str, roles: arr(str) }),
    suppress: obj({ roles: arr(str) }),
    kill: obj({ task_id: id, agent_id: id, kill_policy: ref('KillPolicy') }, ['task_id']),
    shutdown: obj({ executor_id: id, agent_id: id }, ['executor_id', 'agent_id']),
    acknowledge: obj({ agent_id: id, task_id: id, uuid: bytes }, ['agent_id', 'task_id', 'uuid']),
    acknowledge_operation_status: obj({ agent_id: id, resource_provider_id: id, uuid: bytes, operation_id: id }, ['uuid', 'operation_id']),
    reconcile: obj({ tasks: arr(obj({ task_id: id, agent_id: id }, ['task_id'])) }),
    reconcile_operations: obj({ operations: arr(obj({ operation_id: id, agent_id: id, resource_provider_id: id }, ['operation_id'])) }),
    message: obj({ agent_id: id, executor_id: id, data: bytes }, ['agent_id', 'executor_id', 'data']),
    request: obj({ requests: arr(obj({ agent_id: id, resources: arr(ref('Resource')) })) }),
    update_framework: obj({ framework_info: ref('FrameworkInfo'), suppressed_roles: arr(str) }, ['framework_info']),
  }),
};

export const executorCallSchema: Schema = {
  definitions,
  ...obj(
    {
      executor_id: id,
      framework_id: id,
      type: str,
      subscribe: obj({
        unacknowledged_tasks: arr(ref('TaskInfo')),
        unacknowledged_updates: arr(obj({ status: ref('TaskStatus') }, ['status'])),
      }),
      update: obj({ status: ref('TaskStatus') }, ['status']),
      message: obj({ data: bytes }, ['data']),
    },
    ['executor_id', 'framework_id'],
  ),
};

export const operatorCallSchema: Schema = {
  definitions,
  ...obj({
    type: str,
    get_metrics: obj({ timeout: duration }),
    update_weights: obj({ weight_infos: arr(ref('WeightInfo')) }),
    set_logging_level: obj({ level: uint, duration }, ['level', 'duration']),
    teardown: obj({ framework_id: id }, ['framework_id']),
    mark_agent_gone: obj({ agent_id: id }, ['agent_id']),
    deactivate_agent: obj({ agent_id: id }, ['agent_id']),
    reactivate_agent: obj({ agent_id: id }, ['agent_id']),
  }),
};

export const weightInfosSchema: Schema = { definitions, ...obj({ weight_infos: arr(ref('WeightInfo')) }) };
