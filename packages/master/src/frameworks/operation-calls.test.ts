// Offer operations Tepui does not perform, and the calls about operation feedback, through the
// real scheduler API: what a framework hears is what a Mesos master sends for a dropped
// operation (OPERATION_ERROR when it asked for feedback) and for operations it does not know.
import { expect } from 'chai';
import type { SchedulerEvent } from '@tepui/protocol';
import { ScriptedScheduler, startInProcess, until, type InProcessCluster } from '../testing/in-process';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('offer operations and operation feedback (in-process master)', () => {
  let cluster: InProcessCluster;
  let s: ScriptedScheduler;
  let offer: Json;

  beforeEach(async () => {
    cluster = await startInProcess();
    s = new ScriptedScheduler(cluster.master.url);
    await s.subscribe({ user: 'root', name: 'operator', principal: 'ops' });
    offer = await until(() => s.find((e) => e.offers?.offers?.[0]), 'an offer');
  });
  afterEach(async () => {
    s.disconnect();
    await cluster.stop();
  });

  const cpus = [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }];
  const operationStatuses = () => s.all((e: SchedulerEvent) => e.update_operation_status?.status);
  const accept = (operations: Json[], offerIds: Json[] = [offer.id]) =>
    s.call({ type: 'ACCEPT', accept: { offer_ids: offerIds, operations, filters: { refuse_seconds: 0 } } });

  const unsupported: Array<{ type: string; member: string; body: Json }> = [
    { type: 'RESERVE', member: 'reserve', body: { resources: cpus } },
    { type: 'UNRESERVE', member: 'unreserve', body: { resources: cpus } },
    { type: 'CREATE', member: 'create', body: { volumes: [] } },
    { type: 'DESTROY', member: 'destroy', body: { volumes: [] } },
    { type: 'GROW_VOLUME', member: 'grow_volume', body: {} },
    { type: 'SHRINK_VOLUME', member: 'shrink_volume', body: {} },
    { type: 'CREATE_DISK', member: 'create_disk', body: {} },
    { type: 'DESTROY_DISK', member: 'destroy_disk', body: {} },
  ];
  for (const op of unsupported) {
    it(`${op.type} with an id: OPERATION_ERROR saying Tepui does not support it, resources offered again`, async () => {
      expect(await accept([{ type: op.type, id: { value: `op-${op.type}` }, [op.member]: op.body }])).to.equal(202);
      const status = await until(() => operationStatuses()[0], 'UPDATE_OPERATION_STATUS');
      expect(status).to.deep.equal({ operation_id: { value: `op-${op.type}` }, state: 'OPERATION_ERROR', message: `Tepui does not support ${op.type} operations yet` });
      await until(() => s.all((e) => e.offers?.offers).length === 2, 'the resources offered again');
    });
  }

  it('RESERVE without an id: dropped with no event, as Mesos drops an operation it refuses; resources offered again', async () => {
    expect(await accept([{ type: 'RESERVE', reserve: { resources: cpus } }])).to.equal(202);
    await until(() => s.all((e) => e.offers?.offers).length === 2, 'the resources offered again');
    expect(operationStatuses()).to.deep.equal([]);
  });

  it('an operation with an id on invalid offers: OPERATION_ERROR naming the offers', async () => {
    expect(await accept([{ type: 'CREATE', id: { value: 'op-1' }, create: { volumes: [] } }], [{ value: 'no-such-offer' }])).to.equal(202);
    const status = await until(() => operationStatuses()[0], 'UPDATE_OPERATION_STATUS');
    expect(status).to.deep.equal({ operation_id: { value: 'op-1' }, state: 'OPERATION_ERROR', message: 'Operation attempted with invalid offers: Offer no-such-offer is no longer valid' });
  });

  it('LAUNCH and LAUNCH_GROUP with an id: TASK_ERROR, feedback is not supported for launches', async () => {
    const task = { name: 't', task_id: { value: 't-with-id' }, agent_id: offer.agent_id, resources: cpus, command: { value: 'true' } };
    await accept([{ type: 'LAUNCH', id: { value: 'op-launch' }, launch: { task_infos: [task] } }]);
    const status = await until(() => s.find((e) => e.update?.status), 'UPDATE');
    expect(status).to.deep.include({ task_id: { value: 't-with-id' }, state: 'TASK_ERROR', reason: 'REASON_TASK_INVALID', message: 'The `id` field cannot be set on LAUNCH operations' });
    expect(cluster.agent.received.filter((m) => m.type === 'RUN_TASK')).to.deep.equal([]);
  });

  it('an operation type Mesos does not know is dropped (proto2 drops the unknown name), with no event', async () => {
    expect(await accept([{ type: 'TELEPORT', id: { value: 'op-x' } }])).to.equal(202);
    await until(() => s.all((e) => e.offers?.offers).length === 2, 'the resources offered again');
    expect(operationStatuses()).to.deep.equal([]);
  });

  it('RECONCILE_OPERATIONS answers every operation by the standing of its agent', async () => {
    const agentId = cluster.agent.agentId!;
    expect(await s.call({
      type: 'RECONCILE_OPERATIONS',
      reconcile_operations: { operations: [
        { operation_id: { value: 'a' }, agent_id: { value: agentId } },
        { operation_id: { value: 'b' }, agent_id: { value: 'no-such-agent' } },
        { operation_id: { value: 'c' } },
      ] },
    })).to.equal(202);
    await until(() => operationStatuses().length === 3, 'three UPDATE_OPERATION_STATUS');
    expect(operationStatuses()).to.deep.equal([
      { operation_id: { value: 'a' }, state: 'OPERATION_UNKNOWN', message: 'Reconciliation: Operation is unknown', agent_id: { value: agentId } },
      { operation_id: { value: 'b' }, state: 'OPERATION_UNKNOWN', message: 'Reconciliation: Both operation and agent are unknown', agent_id: { value: 'no-such-agent' } },
      { operation_id: { value: 'c' }, state: 'OPERATION_UNKNOWN', message: "Reconciliation: Operation is unknown and no 'agent_id' was provided" },
    ]);
  });

  it('validates calls as scheduler::call::validate does', async () => {
    const raw = async (body: Json, headers: Record<string, string> = {}) => {
      const res = await fetch(`${cluster.master.url}/api/v1/scheduler`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'Mesos-Stream-Id': s.streamId!, ...headers },
        body: JSON.stringify({ framework_id: { value: s.frameworkId }, ...body }),
      });
      return { status: res.status, text: await res.text() };
    };
    const prefix = 'Failed to validate scheduler::Call: ';
    expect(await raw({ type: 'RECONCILE' })).to.deep.equal({ status: 400, text: `${prefix}Expecting 'reconcile' to be present` });
    expect(await raw({ type: 'RECONCILE_OPERATIONS' })).to.deep.equal({ status: 400, text: `${prefix}Expecting 'reconcile_operations' to be present` });
    expect(await raw({ type: 'REQUEST' })).to.deep.equal({ status: 400, text: `${prefix}Expecting 'request' to be present` });
    expect(await raw({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: { value: 'a' }, task_id: { value: 't' }, uuid: 'AAAA' } })).to.deep.equal({ status: 400, text: `${prefix}Not a valid UUID` });
    expect(await raw({ type: 'ACKNOWLEDGE_OPERATION_STATUS', acknowledge_operation_status: { operation_id: { value: 'o' }, uuid: 'AAAAAAAAAAAAAAAAAAAAAA==' } })).to.deep.equal({ status: 400, text: `${prefix}Expecting 'agent_id' to be present` });
    expect((await raw({ type: 'RECONCILE_OPERATIONS', reconcile_operations: {} }, { Accept: 'application/x-protobuf' })).status).to.equal(406);
    expect((await raw({ type: 'REVIVE' })).status).to.equal(202);
  });
});
