import { expect } from 'chai';
import pino from 'pino';
import { ManualClock } from '@tepui/protocol';
import { Registrar } from './registrar';
import { FencedWriteRefused, type MasterRegistry, type RegistryOperation, type RegistryState } from './registry';

/** A registry whose writes finish when the test says, and fail as it says. */
class ControlledRegistry implements MasterRegistry {
  readonly writes: Array<readonly RegistryOperation[]> = [];
  private finish: Array<(err?: Error) => void> = [];

  async load(): Promise<RegistryState> {
    throw new Error('not used');
  }

  apply(ops: readonly RegistryOperation[]): Promise<void> {
    this.writes.push(ops);
    return new Promise((resolve, reject) => this.finish.push((err) => (err ? reject(err) : resolve())));
  }

  /** Ends the oldest write in flight. */
  async end(err?: Error): Promise<void> {
    this.finish.shift()!(err);
    for (let i = 0; i < 5; i++) await Promise.resolve();
  }
}

const admit = (n: number): RegistryOperation => ({ type: 'ADMIT_AGENT', agent: { id: `S${n}`, hostname: `h${n}` } });
const ids = (ops: readonly RegistryOperation[]) => ops.map((op) => (op.type === 'ADMIT_AGENT' ? op.agent.id : op.type));
const settle = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('Registrar', () => {
  const log = pino({ level: 'silent' });

  it('writes what was recorded while a write was in flight together in the next write, in order', async () => {
    const registry = new ControlledRegistry();
    const registrar = new Registrar(registry, { revoked: () => undefined }, log, new ManualClock());
    registrar.record(admit(1));
    registrar.record(admit(2));
    await settle();
    expect(registry.writes.map(ids)).to.deep.equal([['S1', 'S2']]);
    for (let n = 3; n <= 1000; n++) registrar.record(admit(n));
    await registry.end();
    expect(registry.writes).to.have.length(2);
    expect(ids(registry.writes[1]!)).to.deep.equal(Array.from({ length: 998 }, (_, i) => `S${i + 3}`));
    let flushed = false;
    void registrar.flushed().then(() => (flushed = true));
    await settle();
    expect(flushed).to.equal(false);
    await registry.end();
    expect(flushed).to.equal(true);
  });

  it('tries a failed write again with its operations first, and drops them once the fence is revoked', async () => {
    const registry = new ControlledRegistry();
    const clock = new ManualClock();
    const registrar = new Registrar(registry, { revoked: () => undefined }, log, clock);
    registrar.record(admit(1));
    await settle();
    registrar.record(admit(2));
    await registry.end(new Error('CONNECTION_LOSS'));
    expect(registry.writes).to.have.length(1);
    clock.advance(250);
    await settle();
    expect(registry.writes.map(ids)).to.deep.equal([['S1'], ['S1', 'S2']]);
    registrar.record(admit(3));
    await registry.end(new FencedWriteRefused('session expired'));
    expect(registry.writes.map(ids)).to.deep.equal([['S1'], ['S1', 'S2'], ['S3']]);
    await registry.end();
    await registrar.flushed();
  });
});
