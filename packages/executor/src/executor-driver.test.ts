// The executor driver against a stand-in agent (an HTTP server on port 0): what it re-subscribes
// with after the agent closed its stream. The agent ends a staging task the executor does not
// list among its unacknowledged tasks, so every task it was given (one by one or in a group) must be
// listed until its first update is acknowledged.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { encodeRecord, until, type ExecutorCall, type ExecutorEvent, type TaskInfo } from '@tepui/protocol';
import { ExecutorDriver } from './executor-driver';

const task = (id: string): TaskInfo => ({ name: id, task_id: { value: id }, agent_id: { value: 'A-S0' }, command: { value: 'sleep 60' } });

describe('executor driver: re-subscribing', () => {
  let server: Server;
  let driver: ExecutorDriver | undefined;
  const subscriptions: ExecutorCall[] = [];
  let firstStream: ServerResponse | undefined;

  beforeEach(async () => {
    subscriptions.length = 0;
    firstStream = undefined;
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const call = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ExecutorCall;
        if (call.type !== 'SUBSCRIBE') return void res.writeHead(202).end();
        subscriptions.push(call);
        res.writeHead(200, { 'Content-Type': 'application/json' });
        if (subscriptions.length === 1) firstStream = res;
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterEach(async () => {
    driver?.stop();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('lists every task it was sent, by LAUNCH or LAUNCH_GROUP, until its first update is acknowledged', async () => {
    const port = (server.address() as AddressInfo).port;
    driver = new ExecutorDriver(
      {
        frameworkId: 'fw-1', executorId: 'ex-1', agentEndpoint: `127.0.0.1:${port}`, checkpoint: true,
        recoveryTimeoutMs: 60_000, subscriptionBackoffMaxMs: 100, shutdownGracePeriodMs: 5000, sandbox: '/tmp',
      },
      { event: () => undefined, lost: () => undefined },
    );
    driver.start();
    const stream = await until(() => firstStream, 'the first SUBSCRIBE');
    expect(subscriptions[0]!.subscribe).to.deep.equal({ unacknowledged_tasks: [], unacknowledged_updates: [] });
    const events: ExecutorEvent[] = [
      { type: 'LAUNCH', launch: { task: task('a') } },
      { type: 'LAUNCH_GROUP', launch_group: { task_group: { tasks: [task('b'), task('c')] } } },
    ];
    for (const event of events) stream.write(encodeRecord(JSON.stringify(event)));
    const update = driver.update({ task_id: { value: 'b' }, state: 'TASK_RUNNING' });
    stream.write(encodeRecord(JSON.stringify({ type: 'ACKNOWLEDGED', acknowledged: { task_id: { value: 'b' }, uuid: update.uuid } })));
    stream.end(); // the agent went away

    const again = await until(() => subscriptions[1], 'the second SUBSCRIBE');
    expect(again.subscribe?.unacknowledged_tasks?.map((t) => t.task_id.value).sort()).to.deep.equal(['a', 'c']);
    expect(again.subscribe?.unacknowledged_updates).to.deep.equal([]);
  });
});
