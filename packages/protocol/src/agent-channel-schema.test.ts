// The agent channel's frames as the master decodes them: EXECUTOR_LAUNCHED and the executor
// directory a re-registering agent reports.
import { expect } from 'chai';
import { decodeAgentToMasterFrame } from './agent-channel-schema';

const launched = {
  type: 'EXECUTOR_LAUNCHED', agent_id: { value: 'S0' }, framework_id: { value: 'F' }, executor_id: { value: 'E' },
  container_id: { value: 'C' }, directory: '/w/slaves/S0/frameworks/F/executors/E/runs/C',
};

describe('decodeAgentToMasterFrame', () => {
  it('takes EXECUTOR_LAUNCHED with every field', () => {
    expect(decodeAgentToMasterFrame(JSON.stringify([launched]))).to.deep.equal({ ok: true, value: [launched] });
  });

  for (const field of ['agent_id', 'framework_id', 'executor_id', 'container_id', 'directory']) {
    it(`refuses EXECUTOR_LAUNCHED without ${field}`, () => {
      const { [field]: _, ...rest } = launched as Record<string, unknown>;
      expect(decodeAgentToMasterFrame(JSON.stringify([rest])).ok).to.equal(false);
    });
  }

  it('refuses a directory that is not a string', () => {
    expect(decodeAgentToMasterFrame(JSON.stringify([{ ...launched, directory: 7 }])).ok).to.equal(false);
  });

  it("takes a re-registration's executors with or without a directory", () => {
    const executor = (extra: object) => ({ framework_id: { value: 'F' }, executor_info: { executor_id: { value: 'E' } }, ...extra });
    const frame = (executors: object[]) => JSON.stringify([{
      type: 'REREGISTER_AGENT', agent_info: { hostname: 'h', id: { value: 'S0' } }, capabilities: [], version: '1.11.0', pid: 'slave(1)@127.0.0.1:5051',
      tasks: [], executors, frameworks: [],
    }]);
    expect(decodeAgentToMasterFrame(frame([executor({ directory: '/d' }), executor({})])).ok).to.equal(true);
    expect(decodeAgentToMasterFrame(frame([executor({ directory: ['/d'] })])).ok).to.equal(false);
  });

  it('holds each message type of one frame to its own fields, whichever came before (shapes are cached per type)', () => {
    const status = { type: 'PONG' };
    for (let round = 0; round < 3; round++) {
      const mixed = decodeAgentToMasterFrame(JSON.stringify([launched, status, launched]));
      expect(mixed).to.deep.equal({ ok: true, value: [launched, status, launched] });
      // PONG carries none of EXECUTOR_LAUNCHED's required fields, and is not asked for them;
      // EXECUTOR_LAUNCHED decoded after it still is.
      const { directory: _, ...noDirectory } = launched;
      const refused = decodeAgentToMasterFrame(JSON.stringify([status, noDirectory]));
      expect(refused.ok).to.equal(false);
      expect(refused.ok ? '' : refused.error).to.include('directory');
    }
  });

  it('refuses a frame nested deeper than stout allows, counting brackets outside strings only', () => {
    // The frame array, the message and `n` arrays inside it: n + 2 levels, one more under `frame`.
    const nested = (n: number) => `[{"type":"PONG","extra":${'['.repeat(n)}${']'.repeat(n)}}]`;
    expect(decodeAgentToMasterFrame(nested(197)).ok).to.equal(true);
    const refused = decodeAgentToMasterFrame(nested(198));
    expect(refused.ok ? '' : refused.error).to.match(/nested deeper than 200 levels/);
    const bracketsInAString = JSON.stringify([{ type: 'PONG', extra: '['.repeat(500) }]);
    expect(decodeAgentToMasterFrame(bracketsInAString).ok).to.equal(true);
  });
});
