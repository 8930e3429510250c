import { expect } from 'chai';
import { agentBaseOf, agentReadPath, decodeAgentRead, MAX_TASK_FILE_READ, parseOutputFile, parseReadWindow, taskFileChunk, taskOutputPath, taskSandboxOf, wholeUtf8Length } from './task-sandbox';

describe('task output: pure path and URL decisions', () => {
  it("finds an agent's address from its pid in /master/slaves, else hostname:port", () => {
    const slaves = { slaves: [
      { id: 'A1', pid: 'slave(1)@10.0.0.5:5051', hostname: 'node-1', port: 5051 },
      { id: 'A2', hostname: 'node-2', port: 5052 },
    ] };
    expect(agentBaseOf(slaves, 'A1')).to.equal('http://10.0.0.5:5051');
    expect(agentBaseOf(slaves, 'A2')).to.equal('http://node-2:5052');
    expect(agentBaseOf(slaves, 'A3')).to.equal(undefined);
    expect(agentBaseOf('nonsense', 'A1')).to.equal(undefined);
  });

  it("finds the sandbox: a command task's executor directory, a shared executor's tasks/<id>", () => {
    const state = {
      frameworks: [{ executors: [
        { id: 'web.1', directory: '/w/runs/r1', tasks: [{ id: 'web.1', executor_id: '' }] },
        { id: 'docker-exec', directory: '/w/runs/r2/', tasks: [{ id: 'db.1', executor_id: 'docker-exec' }], completed_tasks: [{ id: 'db.0', executor_id: 'docker-exec' }] },
      ], completed_executors: [{ id: 'old.1', directory: '/w/runs/r0', completed_tasks: [{ id: 'old.1', executor_id: '' }] }] }],
    };
    expect(taskSandboxOf(state, 'web.1')).to.equal('/w/runs/r1');
    expect(taskSandboxOf(state, 'db.1')).to.equal('/w/runs/r2/tasks/db.1');
    expect(taskSandboxOf(state, 'db.0')).to.equal('/w/runs/r2/tasks/db.0');
    expect(taskSandboxOf(state, 'old.1')).to.equal('/w/runs/r0');
    expect(taskSandboxOf(state, 'nope')).to.equal(undefined);
  });

  it('reads only stdout or stderr, directly in the sandbox', () => {
    expect(parseOutputFile('stdout')).to.equal('stdout');
    expect(parseOutputFile('stderr')).to.equal('stderr');
    for (const bad of ['../../etc/passwd', '/etc/passwd', 'stdout/../x', 'STDOUT', ['stdout'], undefined]) expect(parseOutputFile(bad), String(bad)).to.equal(undefined);
    expect(taskOutputPath('/w/runs/r1/', 'stderr')).to.equal('/w/runs/r1/stderr');
    expect(agentReadPath('/w/a b/stdout', 10, 20)).to.equal('/files/read?path=%2Fw%2Fa+b%2Fstdout&offset=10&length=20');
  });

  it('takes offset ≥ -1 and a positive length, capped at one agent read', () => {
    expect(parseReadWindow(undefined, undefined)).to.deep.equal({ ok: true, offset: -1, length: MAX_TASK_FILE_READ });
    expect(parseReadWindow('100', '9999999')).to.deep.equal({ ok: true, offset: 100, length: MAX_TASK_FILE_READ });
    expect(parseReadWindow('-2', '10').ok).to.equal(false);
    expect(parseReadWindow('1.5', '10').ok).to.equal(false);
    expect(parseReadWindow('0', '0').ok).to.equal(false);
  });

  it("returns the agent's bytes exactly and holds back a character cut at the end for the next read", () => {
    const text = Buffer.from('héllo ✓', 'utf8'); // ✓ is 3 bytes
    const cut = text.subarray(0, text.length - 1);
    // The agent writes raw bytes into its JSON string, escaping only quotes, backslashes and controls.
    const body = Buffer.concat([Buffer.from('{"data":"'), cut, Buffer.from('\\n","offset":40}')]);
    const decoded = decodeAgentRead(body)!;
    expect(decoded.offset).to.equal(40);
    expect(decoded.bytes).to.deep.equal(Buffer.concat([cut, Buffer.from('\n')]));
    expect(wholeUtf8Length(cut)).to.equal(text.length - 3);
    expect(wholeUtf8Length(text)).to.equal(text.length);
    expect(taskFileChunk(cut, 40)).to.deep.equal({ data: 'héllo ', offset: 40, nextOffset: 40 + text.length - 3 });
    expect(taskFileChunk(Buffer.alloc(0), 512)).to.deep.equal({ data: '', offset: 512, nextOffset: 512 });
    expect(decodeAgentRead(Buffer.from('{"message":"x"}'))).to.equal(undefined);
  });
});
