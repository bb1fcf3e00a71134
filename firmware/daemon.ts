// `halld run`: the device itself, from its config file to the runtime, with the control
// socket, systemd's notifier and the sim control started once the first birth is out. The bin
// (bin.ts) comes here straight for a plain run line; the commander CLI's `run` for the rest.
import { resolve } from 'node:path';
import { Runtime } from './runtime.js';
import { createLogger, defaultLogFormat } from './log.js';
import { checkedConfig, exitOnError, fail } from './cli-exit.js';
import { EXIT_DATA_DIR, EXIT_INTERNAL, EXIT_LOCKED, EXIT_OK } from './exit-codes.js';
import type { DaemonServices } from './control/daemon-services.js';
import type { RunOptions } from './run-argv.js';
import { globalTimers } from '../drivers/clock/timers.js';

/** `run` from the bin: an error that reaches the top ends the process as the CLI's would. */
export function runDeviceOrExit(opts: RunOptions): Promise<void> {
  return runDevice(opts).catch(exitOnError);
}

export async function runDevice(opts: RunOptions): Promise<void> {
  const { config, warnings } = await checkedConfig(opts.config);
  const { makePrivateDir } = await import('./data-dir/private.js');
  const { lockDataDir, DataDirLockedError } = await import('./data-dir/lock.js');
  let lock: { release(): void };
  try {
    // 0700 whatever the umask: outside systemd nothing else sees to it.
    await makePrivateDir(config.dataDir);
    lock = lockDataDir(config.dataDir);
  } catch (err) {
    if (err instanceof DataDirLockedError) fail(`${opts.config}: ${err.message}`, EXIT_LOCKED);
    fail(`${opts.config}: field /dataDir: cannot use ${config.dataDir}: ${(err as Error).message}`, EXIT_DATA_DIR);
  }
  process.on('exit', () => lock.release());
  const log = createLogger({ level: opts.logLevel ?? process.env['HALLD_LOG'] ?? config.log.level, format: opts.log ?? defaultLogFormat() });
  for (const w of warnings) log.warn({ field: w.field }, `config: field ${w.field}: ${w.message}`);
  // Under systemd (INVOCATION_ID set) a restart is an exit that systemd answers; otherwise
  // the runtime is restarted in this process, with a new boot number.
  const supervised = process.env['INVOCATION_ID'] !== undefined;
  let runtime: Runtime | undefined;
  let stopping = false;
  // The control socket, systemd's notifier and the sim control start after the first birth
  // (docs/performance.md): loading and opening them before it only delayed the birth.
  const daemon: { services?: DaemonServices } = {};
  const startOnce = async (): Promise<void> => {
    runtime = await Runtime.start(config, {
      log,
      // systemd's RuntimeDirectory (/run/halld): the screen token lives there for the screen's browser unit.
      ...(process.env['RUNTIME_DIRECTORY'] ? { screenTokenDir: process.env['RUNTIME_DIRECTORY'].split(':')[0] } : {}),
      configFile: resolve(opts.config),
      // An update switched `current` (or rolled back): this process runs the old code, so it
      // ends and the supervisor (systemd; a test's parent) starts the release `current` names.
      onUpdateRestart: (reason) => {
        if (stopping) return;
        stopping = true;
        log.warn({ reason }, 'exiting for the supervisor to start the switched release');
        const old = runtime;
        runtime = undefined;
        void (old?.stop(`update: ${reason}`) ?? Promise.resolve()).then(() => daemon.services?.close()).finally(() => process.exit(EXIT_OK));
        setTimeout(() => process.exit(EXIT_OK), 5_000).unref();
      },
      onRestartRequest: (reason) => {
        if (stopping) return;
        log.warn({ reason }, 'restarting');
        const old = runtime;
        runtime = undefined;
        void (old?.stop(`restart: ${reason}`) ?? Promise.resolve()).then(async () => {
          if (supervised) process.exit(EXIT_OK);
          await startOnce();
        });
      },
    });
    daemon.services?.runtimeStarted(runtime);
  };
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    void (runtime?.stop(`signal ${signal}`) ?? Promise.resolve())
      .then(() => daemon.services?.close())
      .finally(() => process.exit(EXIT_OK));
    setTimeout(() => process.exit(EXIT_INTERNAL), 5_000).unref();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('unhandledRejection', (err) => log.error({ err: err instanceof Error ? err.stack : String(err) }, 'unhandled rejection (device keeps running)'));
  await startOnce();
  await afterFirstBirth(runtime, AFTER_BIRTH_WAIT_MS);
  if (stopping) return;
  const { startDaemonServices } = await import('./control/daemon-services.js');
  daemon.services = await startDaemonServices({ dataDir: config.dataDir, current: () => runtime, log, timers: globalTimers, env: process.env });
  if (runtime) daemon.services.runtimeStarted(runtime);
}

/**
 * How long `run` waits for the first birth before it starts the daemon services anyway: a
 * broker that is down at power-on must not keep the control socket and the watchdog away.
 */
const AFTER_BIRTH_WAIT_MS = 1_000;

/** Resolves once the link is up (its birth is out) or after `ms`, whichever comes first. */
function afterFirstBirth(runtime: Runtime | undefined, ms: number): Promise<void> {
  if (!runtime || runtime.link.connected) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      off();
      globalTimers.clearTimeout(timer);
      resolve();
    };
    const off = runtime.link.onConnectionChange((up) => up && done());
    const timer = globalTimers.setTimeout(done, ms);
  });
}
