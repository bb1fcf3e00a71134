// The lifecycle of one device: open the board (HAL), the store and the link, start the roles
// in order, and stop them in reverse. Bad input and hardware faults never end the process;
// only the entry point exits.
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Value } from '@sinclair/typebox/value';
import type { TSchema } from '@sinclair/typebox';
import { createHal } from '../assembly/create-hal.js';
import type { Clock, Hal, SelfTestResult } from '../drivers/hal/types.js';
import { globalTimers, type Timers } from '../drivers/clock/timers.js';
import type { WireContract } from '../protocol/contract.js';
import { toPublicKey } from '../protocol/signing.js';
import { validate, MAX_JSON_DEPTH } from '../protocol/validate.js';
import type { Role } from '../protocol/topics.js';
import type { DeviceConfig } from './config/schema.js';
import { Store } from './store/store.js';
import { probeWhileFaulted } from './store/recovery-probe.js';
import { DeviceLink, type ConfigVerdict } from './link/device-link.js';
import { loadScreenToken } from './pages/screen-token.js';
import { TrustedClock } from './link/trusted-clock.js';
import { ROLE_MODULES } from './roles/index.js';
import type { DiagnosticReport, ManualTestContext, RoleContext, RoleInstance, RoleModule, RuntimeServices } from './roles/role-module.js';
import { createRoleLink } from './roles/role-link.js';
import type { Logger } from './log.js';
import { oneVerdictPerPart, partFaults, type PartFaults } from './self-test-verdicts.js';
import { Updater } from './update/updater.js';
import { updateSettings } from './update/update-settings.js';

/** The package version, found by walking up from this file (works from dist/ and from the bundle). */
function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'halld' && pkg.version) return pkg.version;
    }
    dir = dirname(dir);
  }
  return '0.0.0-unknown';
}

export const FIRMWARE_VERSION: string = packageVersion();

/** A manual test with nobody to answer its prompts ends this soon (sys/diag answers within 30 s). */
export const UNATTENDED_MANUAL_TEST_MS = 25_000;

export interface RuntimeOptions {
  log: Logger;
  /** Use this HAL instead of building one from the board (tests, the demo's simulated devices); its clock is the device's. */
  hal?: Hal;
  /**
   * The one pair of time sources for the whole device (HAL, roles): a test passes fake ones
   * to drive time; only the entry points choose the real ones (the defaults).
   */
  timers?: Timers;
  /** The board's clock, for the HAL this runtime builds (default: the system clock). */
  clock?: Clock;
  /** Called when `sys/restart` asks for a restart; the default restarts in-process. */
  onRestartRequest?: (reason: string) => void;
  /** Where this boot's screen token is kept (systemd's RuntimeDirectory under the unit; default the data dir). */
  screenTokenDir?: string;
  /** The config file this runtime was started from: an update's new release tests itself against it. */
  configFile?: string;
  /**
   * Called after an update switched `current` (or rolled back): the process must end so the
   * supervisor starts the other release. Without it the runtime only logs (tests, the demo).
   */
  onUpdateRestart?: (reason: string) => void;
}

interface RunningRole {
  module: RoleModule;
  instance: RoleInstance;
  config: unknown;
}

export class Runtime {
  private readonly roles = new Map<Role, RunningRole>();
  private configRev = 0;
  private stopped = false;
  /** Ends the store's recovery probe (see store/recovery-probe.ts). */
  private stopStoreProbe: () => void = () => undefined;
  private readonly startedAt: number;
  /** This boot's token of the board's own screen (firmware/pages/screen-token.ts). */
  private screenToken = '';
  /** state/sys is one retained message: its parts (hardware, update) are merged here. */
  private readonly sysState: Record<string, unknown> = {};
  private updater: Updater | undefined;

  private constructor(
    readonly config: DeviceConfig,
    readonly hal: Hal,
    readonly store: Store,
    readonly link: DeviceLink,
    readonly clock: TrustedClock,
    private readonly log: Logger,
    private readonly options: RuntimeOptions,
    private readonly timers: Timers,
  ) {
    this.startedAt = hal.clock.monotonicMs();
  }

  static async start(config: DeviceConfig, options: RuntimeOptions): Promise<Runtime> {
    const log = options.log.child({ hall: config.hall, device: config.device });
    const timers = options.timers ?? globalTimers;
    const hal = options.hal ?? (await createHal({ board: config.board, io: config.io, timers, ...(options.clock ? { clock: options.clock } : {}) }));
    const store = await Store.open(config.dataDir, { maxOutbox: config.outbox.max, clock: hal.clock });
    try {
      const clock = new TrustedClock(config.clock.source, hal.clock);
      const roleNames = runningRoles(config);
      const remote = await loadAppliedConfig(store);
      // The link needs the runtime for config revisions and the runtime needs the link.
      const self: { runtime?: Runtime } = {};
      const link = new DeviceLink({
        address: { hall: config.hall, device: config.device },
        fw: FIRMWARE_VERSION,
        board: hal.board,
        roles: roleNames,
        broker: config.broker,
        store,
        clock,
        timers: globalTimers,
        publisher: { window: config.outbox.window, resendMs: config.outbox.resendMs, batch: 1000 },
        serverPublicKey: config.security.serverPublicKey ? toPublicKey(config.security.serverPublicKey) : undefined,
        extraSecure: new Set(config.security.secureCommands),
        security: { maxSecureLifetimeMs: config.security.maxSecureLifetimeMs, maxClockSkewMs: config.security.maxClockSkewMs },
        log: log.child({ mod: 'link' }),
        configRev: () => self.runtime?.configRev ?? 0,
        inputLimits: { maxPayloadBytes: config.limits.maxPayloadBytes, maxJsonDepth: MAX_JSON_DEPTH },
        journalLimits: { ackMaxBytes: config.limits.journalAckMaxBytes, maxAgeMs: config.limits.journalMaxAgeMs, maxRows: config.limits.journalMaxRows },
        applyConfig: (rev, data) => (self.runtime ? self.runtime.applyConfig(rev, data) : Promise.resolve({ ok: false, reasons: ['device starting'] })),
      });
      const runtime = new Runtime(config, hal, store, link, clock, log, options, timers);
      self.runtime = runtime;
      runtime.screenToken = await loadScreenToken(options.screenTokenDir ?? config.dataDir);
      runtime.configRev = remote?.rev ?? 0;
      runtime.updater = runtime.createUpdater();
      await runtime.startRoles(roleNames, remote?.roles ?? {});
      // Before the link: a chunk of a resumed transfer may be the first command to arrive.
      await runtime.updater.resume();
      await link.start();
      log.info({ board: hal.board, roles: roleNames, boot: store.boot, fw: FIRMWARE_VERSION, broker: config.broker.url }, 'device started');
      void runtime.reportHardware().catch((err: unknown) => log.warn({ err: (err as Error).message }, 'hardware report failed'));
      runtime.stopStoreProbe = probeWhileFaulted(store, timers);
      return runtime;
    } catch (err) {
      await store.close().catch(() => undefined);
      await hal.close().catch(() => undefined);
      throw err;
    }
  }

  get boot(): number {
    return this.store.boot;
  }

  private createUpdater(): Updater {
    const log = this.log.child({ mod: 'update' });
    return new Updater({
      settings: updateSettings(this.config, process.env),
      timeZone: this.config.timeZone,
      configFile: this.options.configFile,
      running: FIRMWARE_VERSION,
      dataDir: this.config.dataDir,
      store: this.store,
      emit: (name, data, statements) => this.link.emit('sys', name, data, { durable: true, ...(statements ? { statements } : {}) }),
      progress: (data) => this.setSysState('update', data),
      busy: () => this.busyRoles(),
      birth: () => (this.link.connected ? this.link.confirmBirth().then(() => true) : Promise.resolve(false)),
      failingSelfTests: async () => (await this.diagnose()).results.filter((r) => !r.ok).map((r) => r.name),
      restart: (reason) => (this.options.onUpdateRestart ?? ((r: string) => log.warn({ reason: r }, 'update wants a restart but nobody supervises this runtime')))(reason),
      timers: this.timers,
      now: () => this.hal.clock.now(),
      log,
    });
  }

  /** Roles that say a restart now would break something a person is doing. */
  private busyRoles(): string[] {
    const busy: string[] = [];
    for (const [name, running] of this.roles) {
      const why = running.instance.busy?.();
      if (why !== undefined) busy.push(`${name}: ${why}`);
    }
    return busy;
  }

  /** Sets one part of the retained state/sys (undefined removes it). */
  private setSysState(part: string, data: unknown): void {
    if (data === undefined) delete this.sysState[part];
    else this.sysState[part] = data;
    if (!this.stopped) this.link.setState('sys', { ...this.sysState });
  }

  private services(): RuntimeServices {
    const updater = () => {
      if (!this.updater) throw new Error('the updater is not running');
      return this.updater;
    };
    return {
      update: {
        start: (id, request) => updater().start(id, request),
        chunk: (sha, offset, data) => updater().chunk(sha, offset, data),
        notePing: () => this.updater?.notePing(),
      },
      diagnose: (include) => this.diagnose(include),
      identify: (ms) => this.identify(ms),
      restart: (reason) => (this.options.onRestartRequest ?? (() => this.log.warn({ reason }, 'restart requested but nobody supervises this runtime')))(reason),
      describe: () => this.describe(),
    };
  }

  private context(contract: WireContract): RoleContext {
    return {
      hall: this.config.hall,
      device: this.config.device,
      timeZone: this.config.timeZone,
      hal: this.hal,
      store: this.store,
      clock: this.clock,
      timers: this.timers,
      log: this.log.child({ role: contract.role }),
      runtime: this.services(),
      link: createRoleLink(contract, this.link),
      screenToken: this.screenToken,
      linkEncrypted: /^(mqtts|wss):\/\//.test(this.config.broker.url),
    };
  }

  private async startRoles(names: Role[], remoteSections: Record<string, unknown>): Promise<void> {
    for (const name of names) {
      const module = ROLE_MODULES.find((m) => m.role === name);
      if (!module) throw new Error(`no role module named ${name}`);
      const fileSection = (this.config.roles as Record<string, unknown>)[name] ?? {};
      const section = sectionWithDefaults(module.configSchema, remoteSections[name] ?? fileSection);
      if (module.migrations) await this.store.migrate(name, module.migrations);
      const instance = await module.start(this.context(module.contract), section);
      for (const [cmd, spec] of Object.entries(instance.commands)) this.link.registerCommand(name, cmd, spec);
      this.roles.set(name, { module, instance, config: section });
    }
  }

  /** The retained desired config: `data.roles` sections replace this device's; all or nothing. */
  async applyConfig(rev: number, data: Record<string, unknown>): Promise<ConfigVerdict> {
    const roles = data['roles'];
    if (typeof roles !== 'object' || roles === null || Array.isArray(roles)) return { ok: false, reasons: ['/data/roles: expected an object with one section per role'] };
    const reasons: string[] = [];
    const next = new Map<Role, unknown>();
    for (const [name, raw] of Object.entries(roles as Record<string, unknown>)) {
      const running = this.roles.get(name as Role);
      if (!running) {
        reasons.push(`/data/roles/${name}: this device does not run role ${name} (it runs ${[...this.roles.keys()].join(', ')})`);
        continue;
      }
      const section = Value.Default(running.module.configSchema, structuredClone(raw));
      const check = validate(running.module.configSchema, section);
      if (!check.ok) {
        reasons.push(...check.errors.map((e) => `/data/roles/${name}${e}`));
        continue;
      }
      const refused = (await running.instance.checkConfig?.(section)) ?? [];
      reasons.push(...refused.map((r) => `/data/roles/${name}: ${r}`));
      next.set(name as Role, section);
    }
    if (reasons.length > 0) return { ok: false, reasons };
    for (const [name] of next) if (!this.roles.get(name)?.instance.reconfigure) reasons.push(`/data/roles/${name}: role ${name} cannot be reconfigured while running`);
    if (reasons.length > 0) return { ok: false, reasons };

    const applied: Role[] = [];
    try {
      for (const [name, section] of next) {
        const running = this.roles.get(name) as RunningRole;
        await running.instance.reconfigure?.(section);
        applied.push(name);
      }
    } catch (err) {
      // Put back what was already changed, so the device runs one coherent config.
      for (const name of applied.reverse()) {
        const running = this.roles.get(name) as RunningRole;
        await running.instance.reconfigure?.(running.config).catch(() => undefined);
      }
      return { ok: false, reasons: [`applying failed, previous config kept: ${(err as Error).message}`] };
    }
    const stored: Record<string, unknown> = {};
    for (const [name, running] of this.roles) stored[name] = next.get(name) ?? running.config;
    await this.store.commit([
      this.store.setMetaStatement('config.rev', String(rev)),
      this.store.setMetaStatement('config.roles', JSON.stringify(stored)),
      this.store.auditStatement('config.applied', { rev }),
    ]);
    for (const [name, section] of next) (this.roles.get(name) as RunningRole).config = section;
    this.configRev = rev;
    this.log.info({ rev, roles: [...next.keys()] }, 'config applied');
    return { ok: true };
  }

  async diagnose(include: readonly string[] = []): Promise<DiagnosticReport> {
    const results: SelfTestResult[] = [];
    results.push(...(await this.hal.selfTest().catch((err: unknown) => [{ name: 'hal', ok: false, detail: (err as Error).message }])));
    results.push(await this.storeSelfTest());
    for (const [role, running] of this.roles) {
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
    return { ok: verdicts.every((r) => r.ok), ts: this.clock.bestGuess(), results: verdicts, link: this.link.stats() };
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

  /** Reads (quick_check) and writes (one probe row): a full or read-only disk fails it. */
  private async storeSelfTest(): Promise<SelfTestResult> {
    try {
      const health = await this.store.probeWrite();
      const row = await this.store.get<{ quick_check: string }>('PRAGMA quick_check');
      const readable = row?.quick_check === 'ok';
      const ok = readable && health.ok;
      const detail = !health.ok ? `${health.reason}: ${health.detail}` : readable ? 'database ok' : `quick_check: ${row?.quick_check ?? '?'}`;
      return { name: 'store', ok, detail, data: { ...this.store.outboxStats(), health } };
    } catch (err) {
      return { name: 'store', ok: false, detail: (err as Error).message };
    }
  }

  /**
   * Parts the board could not open or reach at start (a missing GPIO chip, a printer that
   * does not answer): a warning each, and the list in the retained `state/sys`, so a board
   * that starts without its hardware says so without anyone asking `sys/diag`.
   */
  async reportHardware(): Promise<void> {
    const results = await this.hal.selfTest().catch((err: unknown) => [{ name: 'hal', ok: false, detail: (err as Error).message }]);
    const faults = results.filter((r) => !r.ok).map((r) => ({ part: r.name, detail: r.detail ?? 'not ok' }));
    for (const f of faults) this.log.warn(f, `hardware: ${f.part}: ${f.detail}`);
    this.setSysState('hardware', { ok: faults.length === 0, faults, checkedAt: this.clock.bestGuess() });
  }

  /**
   * A technician's role action (`halld test-print`): one of the role's manual self-tests,
   * run alone. Undefined when the role or the test does not exist on this device.
   */
  async runManualTest(role: string, name: string, ctx?: ManualTestContext): Promise<SelfTestResult | undefined> {
    const test = this.roles.get(role as Role)?.instance.manualSelfTests?.[name];
    if (!test) return undefined;
    const { ctx: context, done } = ctx ? { ctx, done: () => undefined } : this.loggedTestContext(`${role}/${name}`);
    try {
      return { ...(await untilAborted(test(context), context.signal, this.timers)), name: `${role}/${name}` };
    } catch (err) {
      // A test that ends by throwing its abort reason reads the same as one cut off by the abort.
      const message = (err as Error).message;
      return { name: `${role}/${name}`, ok: false, detail: context.signal.aborted && !message.startsWith('aborted:') ? `aborted: ${message}` : message };
    } finally {
      done();
    }
  }

  /**
   * For a manual test run with nobody at the box to answer (`sys/diag` over MQTT, a role
   * action): its prompts go to the log, and it gives up before the command's own deadline, so
   * a test waiting for a button press never holds the buttons after the answer has gone.
   */
  private loggedTestContext(test: string): { ctx: ManualTestContext; done(): void } {
    const abort = new AbortController();
    const timer = this.timers.setTimeout(() => abort.abort(new Error(`nobody answered within ${UNATTENDED_MANUAL_TEST_MS / 1000} s (run it with \`halld diag --interactive\` at the box)`)), UNATTENDED_MANUAL_TEST_MS);
    return { ctx: { prompt: (text) => this.log.info({ test }, text), signal: abort.signal }, done: () => this.timers.clearTimeout(timer) };
  }

  /** `role/name` of every manual self-test this device has (for the error that names them). */
  manualTests(): string[] {
    return [...this.roles].flatMap(([role, r]) => Object.keys(r.instance.manualSelfTests ?? {}).map((n) => `${role}/${n}`));
  }

  /** Blinks the identify LED and beeps, with what this device really has; `via` names only what was used. */
  async identify(durationMs: number): Promise<{ via: string[] }> {
    const via: string[] = [];
    const parts = this.hal.describe();
    const led = parts.outputs.find((n) => n === 'identify') ?? parts.outputs.find((n) => n.includes('led'));
    if (led) {
      const out = this.hal.output(led);
      via.push(`output:${led}`);
      let on = false;
      const blink = this.timers.setInterval(() => {
        on = !on;
        void out.write(on).catch(() => undefined);
      }, 250);
      this.timers
        .setTimeout(() => {
          this.timers.clearInterval(blink);
          void out.write(false).catch(() => undefined);
        }, durationMs)
        .unref();
    }
    // The HAL always has a speaker object (a silent one when io.speaker is not configured).
    const speaker = this.config.io.speaker?.kind;
    if (speaker !== undefined && speaker !== 'none') {
      await this.hal.speaker().beep(200).then(
        () => via.push('speaker'),
        (err: unknown) => this.log.warn({ err: (err as Error).message }, 'identify: speaker failed'),
      );
    }
    this.log.debug({ durationMs, via }, 'identify');
    return { via };
  }

  describe(): Record<string, unknown> {
    return {
      hall: this.config.hall,
      device: this.config.device,
      board: this.hal.board,
      fw: FIRMWARE_VERSION,
      boot: this.store.boot,
      uptimeMs: Math.floor(this.hal.clock.monotonicMs() - this.startedAt),
      roles: [...this.roles.keys()],
      configRev: this.configRev,
      parts: this.hal.describe(),
      commands: this.link.dispatcher.list(),
    };
  }

  async stop(reason = 'stopped'): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.updater?.stop();
    await this.link.stop(reason).catch((err: unknown) => this.log.warn({ err: (err as Error).message }, 'link stop failed'));
    for (const [name, running] of [...this.roles].reverse()) {
      await running.instance.stop().catch((err: unknown) => this.log.warn({ role: name, err: (err as Error).message }, 'role stop failed'));
    }
    this.stopStoreProbe();
    await this.store.close();
    await this.hal.close().catch(() => undefined);
    this.log.info({ reason }, 'device stopped');
  }
}

/** How long a manual test gets after its abort to say where it stopped (which key was still missing). */
const ABORT_GRACE_MS = 2000;

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

function runningRoles(config: DeviceConfig): Role[] {
  const configured = Object.keys(config.roles) as Role[];
  return ['sys' as Role, ...configured.filter((r) => r !== 'sys')];
}

function sectionWithDefaults(schema: TSchema, raw: unknown): unknown {
  return Value.Default(schema, structuredClone(raw ?? {}));
}

async function loadAppliedConfig(store: Store): Promise<{ rev: number; roles: Record<string, unknown> } | undefined> {
  const rev = await store.getMeta('config.rev');
  const roles = await store.getMeta('config.roles');
  if (!rev || !roles) return undefined;
  return { rev: Number(rev), roles: JSON.parse(roles) as Record<string, unknown> };
}
