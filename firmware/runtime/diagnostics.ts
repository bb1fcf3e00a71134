// What a technician and the server learn about the device's health: every part's and role's
// self-test (`sys/diag`, `halld diag`, `halld status`), the manual ones when named, and a
// manual test run alone (`halld test-print`). One verdict per part (self-test-verdicts.ts).
import type { Hal, SelfTestResult } from '../../drivers/hal/types.js';
import type { Timers } from '../../drivers/clock/timers.js';
import type { Role } from '../../protocol/topics.js';
import type { DeviceLink } from '../link/device-link.js';
import type { TrustedClock } from '../link/trusted-clock.js';
import type { Store } from '../store/store.js';
import type { Logger } from '../log.js';
import type { DiagnosticReport, ManualTestContext } from '../roles/role-module.js';
import { oneVerdictPerPart, partFaults, type PartFaults } from '../self-test-verdicts.js';
import type { RunningRole } from './running-role.js';

/** A manual test with nobody to answer its prompts ends this soon (sys/diag answers within 30 s). */
export const UNATTENDED_MANUAL_TEST_MS = 25_000;

/** How long a manual test gets after its abort to say where it stopped (which key was still missing). */
const ABORT_GRACE_MS = 2000;

export interface DiagnosticsDeps {
  hal: Hal;
  store: Store;
  link: DeviceLink;
  clock: TrustedClock;
  timers: Timers;
  log: Logger;
  roles: ReadonlyMap<Role, RunningRole>;
}

export class Diagnostics {
  constructor(private readonly d: DiagnosticsDeps) {}

  async diagnose(include: readonly string[] = []): Promise<DiagnosticReport> {
    const results: SelfTestResult[] = [];
    results.push(...(await this.hardwareResults()));
    results.push(await this.storeSelfTest());
    for (const [role, running] of this.d.roles) {
      const manual = Object.entries(running.instance.manualSelfTests ?? {}).filter(([name]) => include.includes(`${role}/${name}`));
      for (const [name, test] of Object.entries(running.instance.selfTests ?? {})) {
        try {
          results.push({ ...(await test()), name: `${role}/${name}` });
        } catch (err) {
          results.push({ name: `${role}/${name}`, ok: false, detail: (err as Error).message });
        }
      }
      for (const [name] of manual) results.push((await this.runManualTest(role, name)) ?? { name: `${role}/${name}`, ok: false, detail: 'no such test' });
    }
    const verdicts = oneVerdictPerPart(results);
    return { ok: verdicts.every((r) => r.ok), ts: this.d.clock.bestGuess(), results: verdicts, link: this.d.link.stats() };
  }

  /**
   * Every part and role self-test run now (not the manual ones), its failures one line each:
   * what `halld status` lists. A printer that ran out of paper after the start is here; the
   * start's report (`hardware`, state/sys) only knows what could not be opened then.
   */
  async currentFaults(): Promise<PartFaults> {
    const report = await this.diagnose();
    return partFaults(report.results, report.ts);
  }

  /** The HAL's self-tests; a HAL that throws is one failed `hal` row. */
  hardwareResults(): Promise<SelfTestResult[]> {
    return this.d.hal.selfTest().catch((err: unknown) => [{ name: 'hal', ok: false, detail: (err as Error).message }]);
  }

  /** Reads (quick_check) and writes (one probe row): a full or read-only disk fails it. */
  private async storeSelfTest(): Promise<SelfTestResult> {
    const store = this.d.store;
    try {
      const health = await store.probeWrite();
      const row = await store.get<{ quick_check: string }>('PRAGMA quick_check');
      const readable = row?.quick_check === 'ok';
      const ok = readable && health.ok;
      const detail = !health.ok ? `${health.reason}: ${health.detail}` : readable ? 'database ok' : `quick_check: ${row?.quick_check ?? '?'}`;
      return { name: 'store', ok, detail, data: { ...store.outboxStats(), health } };
    } catch (err) {
      return { name: 'store', ok: false, detail: (err as Error).message };
    }
  }

  /**
   * A technician's role action (`halld test-print`): one of the role's manual self-tests,
   * run alone. Undefined when the role or the test does not exist on this device.
   */
  async runManualTest(role: string, name: string, ctx?: ManualTestContext): Promise<SelfTestResult | undefined> {
    const test = this.d.roles.get(role as Role)?.instance.manualSelfTests?.[name];
    if (!test) return undefined;
    const { ctx: context, done } = ctx ? { ctx, done: () => undefined } : this.loggedTestContext(`${role}/${name}`);
    try {
      return { ...(await untilAborted(test(context), context.signal, this.d.timers)), name: `${role}/${name}` };
    } catch (err) {
      // A test that ends by throwing its abort reason reads the same as one cut off by the abort.
      const message = (err as Error).message;
      return { name: `${role}/${name}`, ok: false, detail: context.signal.aborted && !message.startsWith('aborted:') ? `aborted: ${message}` : message };
    } finally {
      done();
    }
  }

  /** `role/name` of every manual self-test this device has (for the error that names them). */
  manualTests(): string[] {
    return [...this.d.roles].flatMap(([role, r]) => Object.keys(r.instance.manualSelfTests ?? {}).map((n) => `${role}/${n}`));
  }

  /**
   * For a manual test run with nobody at the box to answer (`sys/diag` over MQTT, a role
   * action): its prompts go to the log, and it gives up before the command's own deadline, so
   * a test waiting for a button press never holds the buttons after the answer has gone.
   */
  private loggedTestContext(test: string): { ctx: ManualTestContext; done(): void } {
    const abort = new AbortController();
    const timer = this.d.timers.setTimeout(() => abort.abort(new Error(`nobody answered within ${UNATTENDED_MANUAL_TEST_MS / 1000} s (run it with \`halld diag --interactive\` at the box)`)), UNATTENDED_MANUAL_TEST_MS);
    return { ctx: { prompt: (text) => this.d.log.info({ test }, text), signal: abort.signal }, done: () => this.d.timers.clearTimeout(timer) };
  }
}

/**
 * A manual test that does not watch its signal still ends the wait when the signal aborts:
 * the technician's Ctrl-C or the deadline never hangs the session on one test. One that does
 * watch it gets a moment to answer first, so its own result (what was still missing) is kept.
 */
function untilAborted(test: Promise<SelfTestResult>, signal: AbortSignal, timers: Timers): Promise<SelfTestResult> {
  const aborted = (): SelfTestResult => ({ name: '', ok: false, detail: `aborted: ${abortReason(signal)}` });
  return new Promise((resolve, reject) => {
    let grace: ReturnType<Timers['setTimeout']> | undefined;
    const onAbort = () => {
      grace = timers.setTimeout(() => resolve(aborted()), ABORT_GRACE_MS);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      signal.removeEventListener('abort', onAbort);
      if (grace !== undefined) timers.clearTimeout(grace);
    };
    test.then(
      (r) => {
        done();
        resolve(r);
      },
      (err: unknown) => {
        done();
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'stopped';
}
