#!/usr/bin/env node
// The `halld` command. Only this file exits the process. Mistakes a person can make (a
// missing file, bad JSON, a wrong field, storage that is not there) print one line each and
// exit with a status saying which (exit-codes.ts); no stack traces.
import { Command, CommanderError, Option } from 'commander';
import { resolve } from 'node:path';
import { checkConfigFile, problemLines, warningLines, ConfigError, type ConfigWarning } from './config/load.js';
import { ROLE_NAMES } from './roles/load-role.js';
import { Runtime, FIRMWARE_VERSION } from './runtime.js';
import { createLogger, defaultLogFormat, LOG_FORMATS, LOG_LEVELS, type LogFormat } from './log.js';
import { EXIT_CONFIG, EXIT_DATA_DIR, EXIT_INTERNAL, EXIT_LOCKED, EXIT_OK } from './exit-codes.js';
import type { DeviceConfig } from './config/schema.js';
import type { DaemonServices } from './control/daemon-services.js';
import { globalTimers } from '../drivers/clock/timers.js';

const ROLE_LIST = ROLE_NAMES.join(', ');

function fail(message: string, code = EXIT_CONFIG): never {
  process.stderr.write(`halld: ${message}\n`);
  process.exit(code);
}

/** `config check` and `run` share this: every problem one line on stderr, then the exit status that names the kind. */
async function checkedConfig(file: string): Promise<{ config: DeviceConfig; warnings: ConfigWarning[] }> {
  const result = await checkConfigFile(file);
  if (result.config) return { config: result.config, warnings: result.warnings };
  for (const line of problemLines(file, result.problems)) process.stderr.write(`${line}\n`);
  process.exit(result.problems.some((p) => p.kind === 'config') ? EXIT_CONFIG : EXIT_DATA_DIR);
}

interface RunOptions {
  config: string;
  log?: LogFormat;
  logLevel?: string;
}

async function run(opts: RunOptions): Promise<void> {
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

const HELP_AFTER = `
Exit status: 0 ok, 1 internal error (a bug: please report the stack trace), 2 mistake in the
config file or the command line, 3 data directory unusable (missing and cannot be created,
not writable, read-only), 4 another halld holds this data directory, 5 a check or a command
failed (\`diag\`, \`test-print\`, \`cmd\`), 6 no halld or device answered.

Technicians: \`halld status\`, \`halld diag\`, \`halld identify\` and \`halld test-print\` ask the
running halld over its control socket (halld.sock in the data dir, mode 0600: run them as
the halld user or root). \`halld cmd\` and \`halld diag --remote\` go over MQTT.

Logs: JSON lines on stdout for the journal; one readable line per entry on a terminal or with
--log pretty. Level: --log-level, else the environment variable HALLD_LOG, else the config's
log.level (default info); one of ${LOG_LEVELS.join(', ')}.
`;

async function main(argv: string[]): Promise<void> {
  const program = new Command();
  program
    .name('halld')
    .description(`Device runtime for service-hall boards (roles: ${ROLE_LIST})`)
    .version(FIRMWARE_VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .addHelpText('after', HELP_AFTER);

  program
    .command('run')
    .description('run this device as its config file describes (checks it exactly as `config check` does first)')
    .requiredOption('-c, --config <file>', 'device config (JSON)')
    .addOption(new Option('--log <format>', 'log format (default: pretty on a terminal, json otherwise)').choices([...LOG_FORMATS]))
    .addOption(new Option('--log-level <level>', 'log level (overrides HALLD_LOG and log.level in the config)').choices([...LOG_LEVELS]))
    .action(async (opts: RunOptions) => run(opts));

  program
    .command('demo')
    .description('start a demo hall: embedded broker, reference server, one simulated device per role')
    .option('-p, --port <n>', 'broker port on 127.0.0.1', '1883')
    .option('-d, --data <dir>', 'where the simulated devices keep their data (default: a new temp dir, removed when the demo stops)')
    .option('--keep', 'keep the temp data dir when the demo stops')
    .action(async (opts: { port: string; data?: string; keep?: boolean }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port: expected a port number 0-65535, got "${opts.port}"`);
      const { runDemo } = await import('./hall/demo.js');
      await runDemo({ port, ...(opts.data !== undefined ? { dataDir: opts.data } : {}), ...(opts.keep ? { keep: true } : {}) });
    });

  const config = program.command('config').description('check a device config, or print its JSON Schema');
  config
    .command('check')
    .description('every check `run` makes before it opens the board or the broker; one line per problem')
    .argument('<file>', 'device config (JSON)')
    .action(async (file: string) => {
      const { config: c, warnings } = await checkedConfig(file);
      for (const line of warningLines(file, warnings)) process.stderr.write(`${line}\n`);
      process.stdout.write(`${file}: ok (hall ${c.hall}, device ${c.device}, board ${c.board}, roles ${['sys', ...Object.keys(c.roles).filter((r) => r !== 'sys')].join(', ')})\n`);
    });
  config
    .command('schema')
    .description(`print the config file's JSON Schema (2020-12; roles: ${ROLE_LIST})`)
    .action(async () => {
      // Every role's manifest: only this command needs them all at once.
      const { exportedConfigSchema } = await import('./config/export-schema.js');
      process.stdout.write(`${JSON.stringify(exportedConfigSchema(), null, 2)}\n`);
    });

  program
    .command('provision')
    .description('give boards their identity: config, broker account and ACL, systemd unit (halld provision --help)')
    .helpOption(false)
    .allowUnknownOption()
    .argument('[options...]')
    .action(async (args: string[]) => {
      const { provisionMain } = await import('../provisioning/provision-cli.js');
      // Only config problems count: the data dir is the board's, not this machine's.
      process.exitCode = await provisionMain(args, async (f) => {
        const r = await checkConfigFile(f);
        return { problems: problemLines(f, r.problems.filter((p) => p.kind === 'config')), warnings: warningLines(f, r.warnings) };
      });
    });

  // The technician's commands set an exit status instead of exiting (only this file exits).
  let exitCode: number | undefined;
  const setExit = (code: number) => void (exitCode = code);
  // `halld run` is every start of a board: it does not load the technician's commands (their
  // modules cost each start ~10 ms before the birth, docs/performance.md). `run`'s own help and
  // option errors do not name its siblings, so nothing it prints changes.
  if (argv.slice(2).find((a) => !a.startsWith('-')) !== 'run') await addTechnicianCommands(program, setExit);

  try {
    await program.parseAsync(argv);
    if (exitCode !== undefined) process.exit(exitCode);
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? EXIT_OK : EXIT_CONFIG);
    if (err instanceof ConfigError) fail(err.message, err.code === 'CONFIG_INVALID' ? EXIT_CONFIG : EXIT_DATA_DIR);
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') fail(`port already in use (${e.message}); pick another with --port`);
    process.stderr.write(`halld: internal error: ${e.stack ?? String(err)}\n`);
    process.exit(EXIT_INTERNAL);
  }
}

async function addTechnicianCommands(program: Command, setExit: (code: number) => void): Promise<void> {
  const { addLocalCommands } = await import('./commands/local-commands.js');
  const { addRemoteCommands } = await import('./commands/remote-commands.js');
  const { addBoardsCommand } = await import('./commands/boards-command.js');
  const { addReleaseCommands } = await import('./commands/release-commands.js');
  const { addUpdateCommands } = await import('./commands/update-commands.js');
  const { addRolloutCommand } = await import('./commands/rollout-command.js');
  const { processOutput } = await import('./commands/cli-output.js');
  addLocalCommands(program, processOutput, globalTimers, setExit);
  addRemoteCommands(program, processOutput, globalTimers, setExit);
  addBoardsCommand(program, processOutput, setExit);
  addReleaseCommands(program, processOutput, setExit);
  addUpdateCommands(program, processOutput, setExit, () => Date.now());
  addRolloutCommand(program, processOutput, setExit);
}

void main(process.argv);
