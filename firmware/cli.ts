#!/usr/bin/env node
// The `halld` command's CLI: every command, their help and their errors, through commander.
// A plain `halld run --config <file>` does not come here (bin.ts, run-argv.ts). Mistakes a
// person can make (a missing file, bad JSON, a wrong field, storage that is not there) print
// one line each and exit with a status saying which (cli-exit.ts, exit-codes.ts); no stack traces.
import { Command, CommanderError } from 'commander';
import { problemLines, warningLines, checkConfigFile } from './config/load.js';
import { ROLE_NAMES } from './roles/load-role.js';
import { FIRMWARE_VERSION } from './firmware-version.js';
import { LOG_LEVELS } from './log-choices.js';
import { EXIT_CONFIG, EXIT_OK } from './exit-codes.js';
import { checkedConfig, exitOnError, fail } from './cli-exit.js';
import { addRunCommand } from './commands/run-command.js';
import { globalTimers } from '../drivers/clock/timers.js';

const ROLE_LIST = ROLE_NAMES.join(', ');

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

  addRunCommand(program, async (opts) => {
    const { runDevice } = await import('./daemon.js');
    await runDevice(opts);
  });

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
    exitOnError(err);
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
