// `halld diag --interactive` in the daemon: the manual self-tests (press each button, watch a
// door open) run one after another with the technician at the box. Each test's prompts go back
// over the control socket as they come; each test gets its own deadline; the technician's
// Ctrl-C (the client half-closing) aborts the one running and skips the rest. One session at a
// time: two technicians pressing buttons for two sessions would fail both.
import type { Timers } from '../../drivers/clock/timers.js';
import type { SelfTestResult } from '../../drivers/hal/types.js';
import type { ManualTestContext } from '../roles/role-module.js';
import { ControlError } from './control-protocol.js';
import type { ControlSession } from './control-server.js';

/** What the session needs of the runtime (Runtime has these). */
export interface ManualTestRunner {
  manualTests(): string[];
  runManualTest(role: string, name: string, ctx: ManualTestContext): Promise<SelfTestResult | undefined>;
}

export interface InteractiveOptions {
  /** `role/name` of the tests to run; empty: every manual test of the device. */
  include: readonly string[];
  testTimeoutMs: number;
  timers: Timers;
}

/** Checks the names against the device's manual tests; the error lists what it has. */
export function selectManualTests(runner: ManualTestRunner, include: readonly string[]): string[] {
  const available = runner.manualTests();
  const unknown = include.filter((name) => !available.includes(name));
  if (unknown.length > 0) throw new ControlError('NOT_FOUND', `no interactive test ${unknown.join(', ')} on this device (it has: ${available.join(', ') || 'none'})`);
  return include.length > 0 ? [...include] : available;
}

export class InteractiveDiag {
  private running = false;

  /** Runs the selected manual tests in order; resolves with one result per test (failed, or skipped after an abort). */
  async run(runner: ManualTestRunner, session: ControlSession, o: InteractiveOptions): Promise<SelfTestResult[]> {
    const names = selectManualTests(runner, o.include);
    if (this.running) throw new ControlError('BUSY', 'another interactive diag is running on this device; wait for it to finish (or Ctrl-C it)');
    this.running = true;
    try {
      const results: SelfTestResult[] = [];
      for (const name of names) {
        if (session.signal.aborted) {
          results.push({ name, ok: true, skipped: true, detail: 'not run: the session was aborted' });
          continue;
        }
        results.push(await this.runOne(runner, session, name, o));
      }
      return results;
    } finally {
      this.running = false;
    }
  }

  private async runOne(runner: ManualTestRunner, session: ControlSession, name: string, o: InteractiveOptions): Promise<SelfTestResult> {
    const [role = '', test = ''] = name.split('/', 2);
    const abort = new AbortController();
    const deadline = o.timers.setTimeout(() => abort.abort(new ControlError('TIMEOUT', `no answer within ${Math.round(o.testTimeoutMs / 1000)} s`)), o.testTimeoutMs);
    const stop = () => abort.abort(session.signal.reason);
    session.signal.addEventListener('abort', stop, { once: true });
    try {
      const ctx: ManualTestContext = { prompt: (text) => session.prompt(name, text), signal: abort.signal };
      return (await runner.runManualTest(role, test, ctx)) ?? { name, ok: false, detail: 'this test is gone (the role was reconfigured)' };
    } finally {
      o.timers.clearTimeout(deadline);
      session.signal.removeEventListener('abort', stop);
    }
  }
}
