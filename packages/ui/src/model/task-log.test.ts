import { expect } from 'chai';
import { decodeTask } from './marathon-wire';
import { applyChunk, defaultLogTask, failedRead, FOLLOW_MS, MAX_SHOWN_CHARS, nextRead, READ_BYTES, startTaskLog, TAIL_BYTES, taskFileUrl, trimToTail } from './task-log';

describe('task log tail', () => {
  it('learns the size first, then reads the last 32 KiB, dropping the partial first line', () => {
    let log = startTaskLog('web.1', 'stdout');
    expect(nextRead(log)).to.deep.equal({ offset: -1, length: 1 });
    const size = TAIL_BYTES + 100;
    let step = applyChunk(log, { data: '', offset: size, nextOffset: size }, nextRead(log));
    log = step.log;
    expect(step.readAgainMs).to.equal(0);
    expect(nextRead(log)).to.deep.equal({ offset: 100, length: READ_BYTES });
    step = applyChunk(log, { data: 'rtial line\nline 2\nline 3\n', offset: 100, nextOffset: size }, nextRead(log));
    expect(step.log.text).to.equal('line 2\nline 3\n');
    expect(step.readAgainMs, 'a short read: wait').to.equal(FOLLOW_MS);
  });

  it('follows: each read starts where the last ended, and a full read is followed at once', () => {
    let log = applyChunk(startTaskLog('t', 'stderr'), { data: '', offset: 10, nextOffset: 10 }, { offset: -1, length: 1 }).log;
    expect(nextRead(log).offset, 'a small file is read from the start').to.equal(0);
    log = applyChunk(log, { data: 'hello\n', offset: 0, nextOffset: 6 }, nextRead(log)).log;
    const full = applyChunk(log, { data: 'x'.repeat(READ_BYTES), offset: 6, nextOffset: 6 + READ_BYTES }, nextRead(log));
    expect(full.readAgainMs).to.equal(0);
    expect(full.log.text.length, 'trimmed to the last characters').to.equal(MAX_SHOWN_CHARS);
    expect(nextRead(full.log).offset).to.equal(6 + READ_BYTES);
  });

  it('keeps at most the last 50,000 characters, from a line start', () => {
    const text = `${'a'.repeat(60_000)}\n${'b'.repeat(100)}\n`;
    expect(trimToTail(text, 150)).to.equal(`${'b'.repeat(100)}\n`);
    expect(trimToTail('short')).to.equal('short');
  });

  it('keeps what it showed after a failed read and says why', () => {
    const log = { ...startTaskLog('t', 'stdout'), text: 'kept', nextOffset: 4 };
    const step = failedRead(log, 'agent unreachable');
    expect(step.log).to.deep.include({ text: 'kept', nextOffset: 4, error: 'agent unreachable' });
    expect(step.readAgainMs).to.be.greaterThan(FOLLOW_MS);
  });

  it("names Marathon's URL, the task id escaped", () => {
    expect(taskFileUrl('app_a.b/c', 'stdout', { offset: -1, length: 1 })).to.equal('/ui/api/tasks/app_a.b%2Fc/files/read?file=stdout&offset=-1&length=1');
  });

  it('shows the newest running task first', () => {
    const t = (id: string, state: string, startedAt: string) => decodeTask({ id, state, startedAt, host: 'h', slaveId: 'S' }, 0)!;
    expect(defaultLogTask([t('a', 'TASK_RUNNING', '2024-01-01T00:00:00Z'), t('b', 'TASK_RUNNING', '2024-01-02T00:00:00Z'), t('c', 'TASK_FAILED', '2024-01-03T00:00:00Z')])).to.equal('b');
    expect(defaultLogTask([t('c', 'TASK_FAILED', '2024-01-03T00:00:00Z')])).to.equal('c');
    expect(defaultLogTask([])).to.equal(undefined);
  });
});
