// The bin reads a plain `halld run` line itself (firmware/run-argv.ts) and leaves every other
// line to commander. Whatever it reads, commander must read the same way; whatever commander
// refuses, it must leave to commander (which prints the error and the exit status as before).
import t from 'tap';
import { Command, CommanderError } from 'commander';
import { addRunCommand } from '../../firmware/commands/run-command.js';
import { plainRunOptions, type RunOptions } from '../../firmware/run-argv.js';

/** What commander makes of `halld <args>`: the options `run`'s action gets, or the error it stops with. */
async function commanderReading(args: string[]): Promise<{ opts: RunOptions } | { error: string } | { other: true }> {
  const program = new Command().name('halld').exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  let got: RunOptions | undefined;
  addRunCommand(program, async (opts) => void (got = opts)).exitOverride();
  program.command('status').action(() => undefined);
  try {
    await program.parseAsync(['node', 'halld', ...args]);
  } catch (err) {
    if (err instanceof CommanderError) return { error: err.code };
    throw err;
  }
  return got ? { opts: got } : { other: true };
}

const READ_BY_THE_BIN: Array<[string[], RunOptions]> = [
  [['run', '--config', '/etc/halld/device.json'], { config: '/etc/halld/device.json' }],
  [['run', '-c', 'dev.json'], { config: 'dev.json' }],
  [['run', '--config=dev.json'], { config: 'dev.json' }],
  [['run', '--config', 'dev.json', '--log', 'json'], { config: 'dev.json', log: 'json' }],
  [['run', '--log=pretty', '-c', 'a b.json'], { config: 'a b.json', log: 'pretty' }],
  [['run', '-c', 'dev.json', '--log-level', 'warn'], { config: 'dev.json', logLevel: 'warn' }],
  [['run', '--log-level=silent', '--log', 'json', '--config', 'x=y.json'], { config: 'x=y.json', log: 'json', logLevel: 'silent' }],
];

const LEFT_TO_COMMANDER: string[][] = [
  [],
  ['status'],
  ['run'],
  ['run', '--help'],
  ['run', '-h'],
  ['run', '-c'],
  ['run', '--config='],
  ['run', '-c', 'dev.json', 'extra'],
  ['run', '-c', 'dev.json', '--log', 'xml'],
  ['run', '-c', 'dev.json', '--log-level', 'loud'],
  ['run', '-c', 'dev.json', '--log-level'],
  ['run', '-c', 'a.json', '-c', 'b.json'],
  ['run', '-c', 'dev.json', '--verbose'],
  ['run', '-cdev.json'],
  ['run', '-c', '-dev.json'],
  ['run', '--', '-c', 'dev.json'],
  ['run', '-c', 'dev.json', '--log-level=warn', '--log-level=info'],
  ['--version', 'run', '-c', 'dev.json'],
];

t.test('every line the bin reads itself, commander reads the same way', async (t) => {
  for (const [args, expected] of READ_BY_THE_BIN) {
    t.same(plainRunOptions(args), expected, `bin: halld ${args.join(' ')}`);
    t.same(await commanderReading(args), { opts: expected }, `commander: halld ${args.join(' ')}`);
  }
});

t.test('the lines the bin leaves to commander include every line commander refuses', async (t) => {
  for (const args of LEFT_TO_COMMANDER) {
    t.equal(plainRunOptions(args), undefined, `left to commander: halld ${args.join(' ')}`);
  }
  let refused = 0;
  for (const args of LEFT_TO_COMMANDER) if ('error' in (await commanderReading(args))) refused++;
  t.ok(refused >= 10, `commander refuses most of them (${refused}), so the bin must not read them`);
});

t.test('every combination of run options either reads as commander reads it or is left to commander', async (t) => {
  const pieces = [['-c', 'd.json'], ['--config=d.json'], ['--log', 'json'], ['--log=pretty'], ['--log-level', 'debug'], ['--log-level=trace'], ['--log', 'bogus'], ['-x']];
  let read = 0;
  for (let mask = 0; mask < 1 << pieces.length; mask++) {
    const args = ['run', ...pieces.filter((_, i) => mask & (1 << i)).flat()];
    const mine = plainRunOptions(args);
    if (mine === undefined) continue;
    read++;
    t.same(await commanderReading(args), { opts: mine }, `halld ${args.join(' ')}`);
  }
  t.ok(read > 10, `${read} combinations read by the bin, each as commander reads it`);
});
