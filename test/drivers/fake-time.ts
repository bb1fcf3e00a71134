// Fake time for driver tests: sinon fakes setTimeout/clearTimeout, Date and performance, so
// systemClock and globalTimers (which read globalThis at call time) run on it. nextTick and
// setImmediate stay real: serialport streams and fake child processes need them.
import sinon from 'sinon';

export interface Teardown {
  teardown(fn: () => unknown): void;
}

export function useFakeTime(t: Teardown, now = 0): sinon.SinonFakeTimers {
  const clock = sinon.useFakeTimers({ now, toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'] });
  t.teardown(() => clock.restore());
  return clock;
}

/** Lets pending process.nextTick / promise work run (fake child processes, stream reads). */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
