import { expect } from 'chai';
import { MAX_TIMEOUT_MS, SystemClock } from './clock';

describe('SystemClock', () => {
  const fired = (clock: SystemClock, ms: number) => {
    const state = { at: undefined as number | undefined };
    const cancel = clock.setTimer(ms, () => (state.at = Date.now()));
    return { state, cancel };
  };
  const until = async (check: () => boolean) => {
    const deadline = Date.now() + 10_000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 1));
    }
  };

  it('does not fire a timer longer than setTimeout can hold early (Node would fire it at once)', async () => {
    const clock = new SystemClock();
    const long = fired(clock, MAX_TIMEOUT_MS + 1_000);
    const short = fired(clock, 20);
    await until(() => short.state.at !== undefined);
    expect(long.state.at).to.equal(undefined);
    long.cancel();
  });

  it('re-arms in steps and fires after the whole delay; cancel stops it between steps', async () => {
    const clock = new SystemClock(10);
    const start = Date.now();
    const whole = fired(clock, 45);
    const cancelled = fired(clock, 45);
    setTimeout(() => cancelled.cancel(), 15);
    await until(() => whole.state.at !== undefined);
    expect(whole.state.at! - start).to.be.at.least(44);
    expect(cancelled.state.at).to.equal(undefined);
  });
});
