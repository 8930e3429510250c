import { expect } from 'chai';
import { newStatusUuid, type StatusUpdate, type TaskState } from '@tepui/protocol';
import { STATUS_UPDATE_RETRY_INTERVAL_MAX_MS, UpdateStreams } from './update-streams';

function update(task: string, state: TaskState, fw = 'fw'): StatusUpdate {
  return { framework_id: { value: fw }, agent_id: { value: 'a' }, status: { task_id: { value: task }, state, uuid: newStatusUuid() } };
}

describe('UpdateStreams', () => {
  it('keeps one update per task in flight and sends the next on acknowledgement', () => {
    const s = new UpdateStreams(10_000);
    const starting = update('t', 'TASK_STARTING');
    const running = update('t', 'TASK_RUNNING');
    expect(s.push(starting, 0)).to.equal(starting);
    expect(s.push(running, 0)).to.equal(undefined);
    const ack = s.acknowledge('fw', 't', starting.status.uuid!, 5);
    expect(ack).to.deep.equal({ kind: 'acked', next: running, closed: false });
  });

  it('tells the master the latest state while an older update waits for its acknowledgement', () => {
    const s = new UpdateStreams(10_000);
    const running = update('t', 'TASK_RUNNING');
    s.push(running, 0);
    s.push(update('t', 'TASK_FINISHED'), 0);
    expect(s.heads(1)[0]).to.deep.include({ latest_state: 'TASK_FINISHED' });
  });

  it('ignores acknowledgements of the wrong uuid and of unknown streams', () => {
    const s = new UpdateStreams(10_000);
    s.push(update('t', 'TASK_RUNNING'), 0);
    expect(s.acknowledge('fw', 't', newStatusUuid(), 0)).to.deep.equal({ kind: 'stale' });
    expect(s.acknowledge('fw', 'other', newStatusUuid(), 0)).to.deep.equal({ kind: 'unknown-stream' });
  });

  it('closes the stream when a terminal update is acknowledged and refuses anything after a terminal update', () => {
    const s = new UpdateStreams(10_000);
    const finished = update('t', 'TASK_FINISHED');
    s.push(finished, 0);
    expect(s.push(update('t', 'TASK_RUNNING'), 0)).to.equal('terminated');
    expect(s.acknowledge('fw', 't', finished.status.uuid!, 0)).to.deep.equal({ kind: 'acked', closed: true });
    expect(s.hasStream('fw', 't')).to.equal(false);
  });

  it('refuses an update whose uuid it has seen (an executor re-sending after re-subscribing)', () => {
    const s = new UpdateStreams(10_000);
    const u = update('t', 'TASK_RUNNING');
    s.push(u, 0);
    expect(s.push({ ...u }, 0)).to.equal('duplicate');
  });

  it('retries the head with doubling intervals up to ten minutes', () => {
    const s = new UpdateStreams(10_000);
    s.push(update('t', 'TASK_RUNNING'), 0);
    expect(s.due(9_999)).to.have.length(0);
    const retries: number[] = [];
    let now = 0;
    for (let i = 0; i < 12; i++) {
      while (s.due(now).length === 0) now += 1000;
      retries.push(now);
    }
    const gaps = retries.slice(1).map((t, i) => t - retries[i]!);
    expect(retries[0]).to.equal(10_000);
    expect(gaps.slice(0, 5)).to.deep.equal([20_000, 40_000, 80_000, 160_000, 320_000]);
    expect(Math.max(...gaps)).to.equal(STATUS_UPDATE_RETRY_INTERVAL_MAX_MS);
  });

  it('resends every head on re-registration and starts the retry interval over', () => {
    const s = new UpdateStreams(1000);
    s.push(update('a', 'TASK_RUNNING'), 0);
    s.push(update('b', 'TASK_RUNNING', 'fw2'), 0);
    s.due(1000);
    s.due(3000);
    expect(s.heads(3000).map((u) => u.status.task_id.value).sort()).to.deep.equal(['a', 'b']);
    expect(s.due(3999)).to.have.length(0);
    expect(s.due(4000)).to.have.length(2);
  });
});
