// The lifecycle of one device: open the board (HAL), the store and the link, start the roles
// in order, and stop them in reverse. Bad input and hardware faults never end the process;
// only the entry point exits.
import { createHal } from '../assembly/create-hal.js';
import type { Clock, Hal } from '../drivers/hal/types.js';
import { globalTimers, type Timers } from '../drivers/clock/timers.js';
import { systemClock } from '../drivers/clock/system-clock.js';
import type { WireContract } from '../protocol/contract.js';
import { toPublicKey } from '../protocol/signing.js';
import { MAX_JSON_DEPTH } from '../protocol/validate.js';
import type { Role } from '../protocol/topics.js';
import type { DeviceConfig } from './config/schema.js';
import { Store } from './store/store.js';
import { probeWhileFaulted } from './store/recovery-probe.js';
import { DeviceLink, type ConfigVerdict } from './link/device-link.js';
import { loadScreenToken } from './pages/screen-token.js';
import { TrustedClock } from './link/trusted-clock.js';
import { isRoleName, loadRoleModule } from './roles/load-role.js';
import type { DiagnosticReport, ManualTestContext, RoleContext, RuntimeServices } from './roles/role-module.js';
import type { SelfTestResult } from '../drivers/hal/types.js';
import { createRoleLink } from './roles/role-link.js';
import type { Logger } from './log.js';
import type { PartFaults } from './self-test-verdicts.js';
import { Updater } from './update/updater.js';
import { updateSettings } from './update/update-settings.js';
import { FIRMWARE_VERSION } from './firmware-version.js';
import { runningRoles, sectionWithDefaults, type RunningRole } from './runtime/running-role.js';
import { applyRoleConfig, loadAppliedConfig } from './runtime/config-apply.js';
import { Diagnostics } from './runtime/diagnostics.js';
import { identify } from './runtime/identify.js';

export { FIRMWARE_VERSION } from './firmware-version.js';
export { UNATTENDED_MANUAL_TEST_MS } from './runtime/diagnostics.js';

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

/**
 * The board's HAL and the SQLite store, opened at once: neither needs the other but the clock
 * (the board's, which the HAL is built with), and the store mostly waits for SQLite's thread
 * pool while the HAL mostly runs (docs/performance.md, "Start and memory"). Whichever fails,
 * the other is closed (a HAL the caller passed stays open, it is the caller's) and the HAL's
 * error wins, as when they were opened one after the other.
 */
async function openHalAndStore(config: DeviceConfig, options: RuntimeOptions, timers: Timers): Promise<{ hal: Hal; store: Store }> {
  const clock = options.hal?.clock ?? options.clock ?? systemClock;
  const [hal, store] = await Promise.allSettled([
    options.hal ?? createHal({ board: config.board, io: config.io, timers, clock }),
    Store.open(config.dataDir, { maxOutbox: config.outbox.max, clock }),
  ]);
  if (hal.status === 'fulfilled' && store.status === 'fulfilled') return { hal: hal.value, store: store.value };
  if (store.status === 'fulfilled') await store.value.close().catch(() => undefined);
  if (hal.status === 'fulfilled' && !options.hal) await hal.value.close().catch(() => undefined);
  throw hal.status === 'rejected' ? hal.reason : (store as PromiseRejectedResult).reason;
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
  private readonly diagnostics: Diagnostics;

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
    this.diagnostics = new Diagnostics({ hal, store, link, clock, timers, log, roles: this.roles });
  }

  static async start(config: DeviceConfig, options: RuntimeOptions): Promise<Runtime> {
    const log = options.log.child({ hall: config.hall, device: config.device });
    const timers = options.timers ?? globalTimers;
    const { hal, store } = await openHalAndStore(config, options, timers);
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
      if (!isRoleName(name)) throw new Error(`no role module named ${name}`);
      const module = await loadRoleModule(name);
      const fileSection = (this.config.roles as Record<string, unknown>)[name] ?? {};
      const section = sectionWithDefaults(module.configSchema, remoteSections[name] ?? fileSection);
      if (module.migrations) await this.store.migrate(name, module.migrations);
      const instance = await module.start(this.context(module.contract), section);
      for (const [cmd, spec] of Object.entries(instance.commands)) this.link.registerCommand(name, cmd, spec);
      this.roles.set(name, { module, instance, config: section });
    }
  }

  /** The retained desired config: `data.roles` sections replace this device's; all or nothing (runtime/config-apply.ts). */
  async applyConfig(rev: number, data: Record<string, unknown>): Promise<ConfigVerdict> {
    const verdict = await applyRoleConfig(this.roles, this.store, this.log, rev, data);
    if (verdict.ok) this.configRev = rev;
    return verdict;
  }

  /** Every self-test, plus the manual ones named in `include` (runtime/diagnostics.ts). */
  diagnose(include: readonly string[] = []): Promise<DiagnosticReport> {
    return this.diagnostics.diagnose(include);
  }

  /** What `halld status` lists: every self-test's failure now, one line each. */
  currentFaults(): Promise<PartFaults> {
    return this.diagnostics.currentFaults();
  }

  /**
   * Parts the board could not open or reach at start (a missing GPIO chip, a printer that
   * does not answer): a warning each, and the list in the retained `state/sys`, so a board
   * that starts without its hardware says so without anyone asking `sys/diag`.
   */
  async reportHardware(): Promise<void> {
    const results = await this.diagnostics.hardwareResults();
    const faults = results.filter((r) => !r.ok).map((r) => ({ part: r.name, detail: r.detail ?? 'not ok' }));
    for (const f of faults) this.log.warn(f, `hardware: ${f.part}: ${f.detail}`);
    this.setSysState('hardware', { ok: faults.length === 0, faults, checkedAt: this.clock.bestGuess() });
  }

  /** A technician's role action (`halld test-print`); undefined when the role or the test does not exist here. */
  runManualTest(role: string, name: string, ctx?: ManualTestContext): Promise<SelfTestResult | undefined> {
    return this.diagnostics.runManualTest(role, name, ctx);
  }

  /** `role/name` of every manual self-test this device has (for the error that names them). */
  manualTests(): string[] {
    return this.diagnostics.manualTests();
  }

  /** Blinks the identify output and beeps, with what this device really has (runtime/identify.ts). */
  identify(durationMs: number): Promise<{ via: string[] }> {
    return identify({ hal: this.hal, timers: this.timers, speakerKind: this.config.io.speaker?.kind, log: this.log }, durationMs);
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
