// `halld status`, `diag`, `identify`, `test-print`: a technician at the box asks the running
// daemon (which owns the hardware) over its control socket in the data dir.
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import type { Timers } from '../../drivers/clock/timers.js';
import { readConfigText } from '../config/config-text.js';
import { controlRequest, type ControlRequestOptions } from '../control/control-client.js';
import { ControlError, DEFAULT_TEST_TIMEOUT_MS, MAX_TEST_TIMEOUT_MS, type ControlRequest } from '../control/control-protocol.js';
import type { DiagRow } from '../control/host-checks.js';
import { EXIT_CHECK_FAILED, EXIT_CONFIG, EXIT_OK, EXIT_UNREACHABLE } from '../exit-codes.js';
import { age, diagTable, type Output } from './cli-output.js';
import { utcText } from '../control/span-text.js';
import { remoteDiag } from './remote-commands.js';

export const DEFAULT_CONFIG = '/etc/halld/device.json';

export interface LocalTarget {
  dataDir?: string;
  config?: string;
}

/** The config the technician's commands read without --config: HALLD_CONFIG, else the installed one. */
export function defaultConfig(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['HALLD_CONFIG'];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : DEFAULT_CONFIG;
}

/** The data dir: --data-dir, else the config's dataDir (relative to the config file, as `run` reads it). */
export async function dataDirOf(target: LocalTarget): Promise<string> {
  if (target.dataDir) return resolve(target.dataDir);
  const file = target.config ?? defaultConfig();
  let raw: unknown;
  try {
    // Read as `run` reads it (a byte order mark is fine), so a config halld runs with is one these commands find.
    const read = await readConfigText(file);
    if ('problem' in read) throw new Error(read.problem);
    raw = JSON.parse(read.text);
  } catch (err) {
    throw new ControlError('BAD_CONFIG', `${file}: cannot read the device config (${(err as Error).message}); give --config FILE or --data-dir DIR`, { cause: err });
  }
  const dir = (raw as { dataDir?: unknown } | null)?.dataDir;
  if (typeof dir !== 'string' || dir === '') throw new ControlError('BAD_CONFIG', `${file}: no "dataDir" in the config; give --data-dir DIR`);
  return resolve(dirname(file), dir);
}

/** Runs one request; a ControlError becomes one line and an exit status. */
async function ask(target: LocalTarget, request: ControlRequest, io: Output, timers: Timers, options: ControlRequestOptions = {}): Promise<Record<string, unknown> | number> {
  try {
    return await controlRequest(await dataDirOf(target), request, timers, options);
  } catch (err) {
    if (!(err instanceof ControlError)) throw err;
    io.err(`halld: ${err.message}\n`);
    if (err.code === 'BUSY') return EXIT_CHECK_FAILED;
    return err.code === 'BAD_CONFIG' || err.code === 'BAD_REQUEST' || err.code === 'NOT_FOUND' ? EXIT_CONFIG : EXIT_UNREACHABLE;
  }
}

interface DiagOptions extends LocalTarget {
  json?: boolean;
  include: string[];
  interactive?: boolean;
  testTimeout: string;
}

/**
 * The interactive run: prompts as they come (stdout, or stderr beside --json), the first
 * Ctrl-C asks the daemon to stop and still prints what ran; a second one ends the CLI.
 */
async function interactiveDiag(opts: DiagOptions, io: Output, timers: Timers): Promise<Record<string, unknown> | number> {
  const seconds = Number(opts.testTimeout);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_TEST_TIMEOUT_MS / 1000) {
    io.err(`halld: --test-timeout: expected whole seconds 1-${MAX_TEST_TIMEOUT_MS / 1000}, got "${opts.testTimeout}"\n`);
    return EXIT_CONFIG;
  }
  const say = opts.json ? io.err : io.out;
  const abort = new AbortController();
  const onSigint = () => {
    io.err('halld: stopping the interactive tests (Ctrl-C again to quit at once)\n');
    abort.abort();
  };
  process.once('SIGINT', onSigint);
  try {
    const d = await ask(opts, { op: 'diag', include: opts.include, interactive: true, testTimeoutMs: seconds * 1000 }, io, timers, {
      // The daemon answers within each test's deadline; the checks after them need a little more.
      timeoutMs: seconds * 1000 + 30_000,
      onPrompt: (p) => say(`[${p.test}] ${p.text}\n`),
      signal: abort.signal,
    });
    // A run the technician stopped is not a clean bill of health, whatever had passed.
    return typeof d === 'number' ? d : { ...d, aborted: abort.signal.aborted };
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

function statusText(s: Record<string, unknown>): string {
  const broker = s['broker'] as { url: string; connected: boolean; conn: number; lastError?: { message: string; at: number } | null };
  const now = s['now'] as number;
  const clock = s['clock'] as { source: string; trusted: boolean; beaconAgeMs?: number };
  const outbox = s['outbox'] as { pending: number; bound: number; dropped: number; oldestUnackedAgeMs: number | null };
  const storage = s['storage'] as { ok: boolean; reason?: string; detail?: string };
  const roles = s['roles'] as { role: string; state: Record<string, unknown> | null }[];
  const hw = s['hardware'] as { ok: boolean; faults: { part: string; detail: string }[] } | null;
  const lines = [
    `device     ${String(s['hall'])}/${String(s['device'])}  board ${String(s['board'])}  fw ${String(s['fw'])}  config rev ${String(s['configRev'])}`,
    `boot       ${String(s['boot'])}  up ${age(s['uptimeMs'] as number)}`,
    `broker     ${broker.connected ? 'connected' : 'NOT CONNECTED'}  ${broker.url}  conn ${broker.conn}`,
    ...(!broker.connected && broker.lastError ? [`  last error ${age(now - broker.lastError.at)} ago (${utcText(broker.lastError.at)}): ${broker.lastError.message}`] : []),
    `clock      ${clock.trusted ? 'synced' : 'NOT SYNCED'} (source ${clock.source}${clock.beaconAgeMs !== undefined ? `, last beacon ${age(clock.beaconAgeMs)} ago` : ''})`,
    `outbox     ${outbox.pending} unacked of ${outbox.bound}, oldest ${age(outbox.oldestUnackedAgeMs)} old, ${outbox.dropped} dropped`,
    `storage    ${storage.ok ? 'ok' : `FAULT ${storage.reason ?? ''}: ${storage.detail ?? ''}`}`,
    `hardware   ${hw === null ? 'not checked yet' : hw.ok ? 'ok' : `${hw.faults.length} FAULT(S)`}`,
    ...(hw?.faults ?? []).map((f) => `  ${f.part}: ${f.detail}`),
    'roles',
    ...roles.map((r) => `  ${r.role.padEnd(16)} ${r.state ? JSON.stringify(r.state) : '(no state published)'}`),
  ];
  return `${lines.join('\n')}\n`;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').filter((v) => v !== '')];
}

export function addLocalCommands(program: Command, io: Output, timers: Timers, setExit: (code: number) => void): void {
  const targetHelp = (c: Command) =>
    c.option('-c, --config <file>', `device config, to find its data dir (default $HALLD_CONFIG, else ${DEFAULT_CONFIG})`).option('-d, --data-dir <dir>', 'the data dir of the running halld (instead of --config)');

  targetHelp(program.command('status').description('what the running halld is doing: broker, boot, clock, outbox backlog, roles, hardware faults'))
    .option('--json', 'print the status as JSON')
    .action(async (opts: LocalTarget & { json?: boolean }) => {
      const s = await ask(opts, { op: 'status' }, io, timers);
      if (typeof s === 'number') return setExit(s);
      io.out(opts.json ? `${JSON.stringify(s, null, 2)}\n` : statusText(s));
      setExit(EXIT_OK);
    });

  targetHelp(program.command('diag').description('run every self-test and host check (and with --interactive the manual tests, with you); one row each: pass, FAIL or skipped with the reason; exit status 5 when one fails'))
    .option('--json', 'print the rows as JSON')
    .option('-i, --include <test>', 'also run a manual test such as ticket-printer/test-print (repeatable, or comma-separated); with --interactive, run only these', collect, [])
    .option('--interactive', 'run the manual tests with you at the box (press each button, ...): their instructions appear as they come; Ctrl-C stops them')
    .option('--test-timeout <s>', 'with --interactive: seconds each test waits for you before it fails', String(DEFAULT_TEST_TIMEOUT_MS / 1000))
    .option('--offline', "this halld's own checks against the config, without the running daemon, the hardware or the broker (what an update runs on a new release before switching to it)")
    .option('--remote <hall/device>', "ask a device over MQTT (its sys/diag: the runtime's self-tests) instead of the local daemon")
    .option('--broker <url>', 'broker URL for --remote (mqtt://host:1883)')
    .option('--username <name>', 'MQTT username for --remote')
    .option('--password <secret>', 'MQTT password for --remote (or HALLD_MQTT_PASSWORD)')
    .action(async (opts: DiagOptions & { offline?: boolean; remote?: string; broker?: string; username?: string; password?: string }) => {
      let rows: DiagRow[];
      let aborted = false;
      if (opts.offline) {
        if (opts.interactive || opts.remote !== undefined) {
          io.err('halld: --offline runs here without the daemon: not with --interactive or --remote\n');
          return setExit(EXIT_CONFIG);
        }
        const { offlineDiag } = await import('../update/offline-diag.js');
        rows = await offlineDiag(opts.config ?? defaultConfig());
        io.out(opts.json ? `${JSON.stringify(rows, null, 2)}\n` : diagTable(rows));
        return setExit(rows.some((r) => r.status === 'fail') ? EXIT_CHECK_FAILED : EXIT_OK);
      }
      if (opts.interactive && opts.remote !== undefined) {
        io.err('halld: --interactive needs you at the box: it runs through the local daemon, not --remote\n');
        return setExit(EXIT_CONFIG);
      }
      if (opts.interactive) {
        const d = await interactiveDiag(opts, io, timers);
        if (typeof d === 'number') return setExit(d);
        rows = d['rows'] as DiagRow[];
        aborted = d['aborted'] === true;
      } else if (opts.remote !== undefined) {
        const r = await remoteDiag(opts.remote, opts, io, timers);
        if (typeof r === 'number') return setExit(r);
        rows = r;
      } else {
        const d = await ask(opts, { op: 'diag', include: opts.include }, io, timers);
        if (typeof d === 'number') return setExit(d);
        rows = d['rows'] as DiagRow[];
      }
      io.out(opts.json ? `${JSON.stringify(rows, null, 2)}\n` : diagTable(rows));
      setExit(rows.some((r) => r.status === 'fail') || aborted ? EXIT_CHECK_FAILED : EXIT_OK);
    });

  targetHelp(program.command('identify').description('blink the identify LED and beep, so you know which box you are talking to'))
    .option('--ms <n>', 'how long to blink (ms)', '5000')
    .action(async (opts: LocalTarget & { ms: string }) => {
      const r = await ask(opts, { op: 'identify', ms: Number(opts.ms) }, io, timers);
      if (typeof r === 'number') return setExit(r);
      const via = r['via'] as string[];
      io.out(via.length > 0 ? `identifying via ${via.join(', ')}\n` : 'this board has no identify LED or speaker configured\n');
      setExit(EXIT_OK);
    });

  targetHelp(program.command('test-print').description("print the ticket printer's self-test ticket (through the running halld, which owns the printer)")).action(async (opts: LocalTarget) => {
    const r = await ask(opts, { op: 'action', role: 'ticket-printer', name: 'test-print' }, io, timers);
    if (typeof r === 'number') return setExit(r);
    io.out(`${r['ok'] === true ? 'pass' : 'FAIL'}  ${String(r['name'])}: ${String(r['detail'] ?? '')}\n`);
    setExit(r['ok'] === true ? EXIT_OK : EXIT_CHECK_FAILED);
  });
}
