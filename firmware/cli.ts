#!/usr/bin/env node
// The `halld` command. Only this file exits the process. Mistakes a person can make (a
// missing file, bad JSON, a wrong field) print one line and exit 2; no stack traces.
import { Command, CommanderError } from 'commander';
import { loadConfigFile, ConfigError } from './config/load.js';
import { ConfigSchema } from './config/schema.js';
import { Runtime, FIRMWARE_VERSION } from './runtime.js';
import { createLogger } from './log.js';

const EXIT_USER_ERROR = 2;

function fail(message: string): never {
  process.stderr.write(`halld: ${message}\n`);
  process.exit(EXIT_USER_ERROR);
}

async function run(configFile: string): Promise<void> {
  const config = await loadConfigFile(configFile);
  const log = createLogger({ level: process.env['HALLD_LOG'] ?? config.log.level });
  // Under systemd (INVOCATION_ID set) a restart is an exit that systemd answers; otherwise
  // the runtime is restarted in this process, with a new boot number.
  const supervised = process.env['INVOCATION_ID'] !== undefined;
  let runtime: Runtime | undefined;
  let stopping = false;
  const startOnce = async (): Promise<void> => {
    runtime = await Runtime.start(config, {
      log,
      onRestartRequest: (reason) => {
        if (stopping) return;
        log.warn({ reason }, 'restarting');
        const old = runtime;
        runtime = undefined;
        void (old?.stop(`restart: ${reason}`) ?? Promise.resolve()).then(async () => {
          if (supervised) process.exit(0);
          await startOnce();
        });
      },
    });
  };
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    void (runtime?.stop(`signal ${signal}`) ?? Promise.resolve()).finally(() => process.exit(0));
    setTimeout(() => process.exit(1), 5_000).unref();
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('unhandledRejection', (err) => log.error({ err: err instanceof Error ? err.stack : String(err) }, 'unhandled rejection (device keeps running)'));
  await startOnce();
}

async function main(argv: string[]): Promise<void> {
  const program = new Command();
  program
    .name('halld')
    .description('Device runtime for service-hall boards: ticket printer, evaluator, LED caller, locker')
    .version(FIRMWARE_VERSION, '-V, --version')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('run')
    .description('run this device as its config file describes')
    .requiredOption('-c, --config <file>', 'device config (JSON)')
    .action(async (opts: { config: string }) => run(opts.config));

  program
    .command('demo')
    .description('start a demo hall: embedded broker, reference server, one simulated device per role')
    .option('-p, --port <n>', 'broker port on 127.0.0.1', '1883')
    .option('-d, --data <dir>', 'where the simulated devices keep their data (default: a new temp dir)')
    .action(async (opts: { port: string; data?: string }) => {
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port: expected a port number 0-65535, got "${opts.port}"`);
      const { runDemo } = await import('./hall/demo.js');
      await runDemo({ port, ...(opts.data !== undefined ? { dataDir: opts.data } : {}) });
    });

  const config = program.command('config').description('check a device config, or print its JSON Schema');
  config
    .command('check')
    .argument('<file>', 'device config (JSON)')
    .action(async (file: string) => {
      const c = await loadConfigFile(file);
      const { deepConfigProblems } = await import('./config/deep-check.js');
      const problems = await deepConfigProblems(c);
      if (problems.length > 0) {
        for (const p of problems) process.stderr.write(`${file}: ${p}\n`);
        process.exit(EXIT_USER_ERROR);
      }
      process.stdout.write(`${file}: ok (hall ${c.hall}, device ${c.device}, board ${c.board}, roles ${['sys', ...Object.keys(c.roles).filter((r) => r !== 'sys')].join(', ')})\n`);
    });
  config
    .command('schema')
    .description('print the config file JSON Schema')
    .action(() => {
      process.stdout.write(`${JSON.stringify(ConfigSchema, null, 2)}\n`);
    });

  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : EXIT_USER_ERROR);
    if (err instanceof ConfigError) fail(err.message);
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') fail(`port already in use (${e.message}); pick another with --port`);
    process.stderr.write(`halld: internal error: ${e.stack ?? String(err)}\n`);
    process.exit(1);
  }
}

void main(process.argv);
