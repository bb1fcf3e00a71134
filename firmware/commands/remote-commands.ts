// `halld cmd` and `halld diag --remote`: the same questions over MQTT, as the hall server asks
// them (protocol/hall-client.ts), for a technician away from the box and for the server's team.
// The client never receives or acknowledges events (events: false): it must not tell a device
// that events were stored.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Timers } from '../../drivers/clock/timers.js';
import { CommandTimeoutError, HallClient } from '../../protocol/hall-client.js';
import type { Ack } from '../../protocol/messages.js';
import type { DiagRow } from '../control/host-checks.js';
import { EXIT_CHECK_FAILED, EXIT_CONFIG, EXIT_OK, EXIT_UNREACHABLE } from '../exit-codes.js';
import type { Output } from './cli-output.js';

export interface BrokerOptions {
  broker?: string;
  username?: string;
  password?: string;
  key?: string;
  timeout?: string;
}

const ADDRESS = /^([a-z0-9][a-z0-9_-]*)\/([a-z0-9][a-z0-9_-]*)$/i;
const COMMAND = /^([a-z][a-z0-9-]*)\/([a-z][a-z0-9.-]*)$/i;

/** Sends one command and returns its ack, or an exit status after printing why there is none. */
async function send(address: string, command: string, data: Record<string, unknown>, o: BrokerOptions, io: Output, timers: Timers): Promise<Ack | number> {
  const where = ADDRESS.exec(address);
  if (!where?.[1] || !where[2]) return usage(io, `device "${address}": expected HALL/DEVICE, e.g. hall-1/kiosk-3`);
  if (!COMMAND.test(command)) return usage(io, `command "${command}": expected ROLE/NAME, e.g. sys/ping`);
  if (!o.broker) return usage(io, '--broker URL is required (mqtt://host:1883)');
  const timeoutMs = Number(o.timeout ?? '10000');
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100) return usage(io, `--timeout: expected milliseconds >= 100, got "${o.timeout}"`);
  let signingKey: string | undefined;
  if (o.key !== undefined) {
    try {
      signingKey = await readFile(o.key, 'utf8');
    } catch (err) {
      return usage(io, `--key ${o.key}: ${(err as Error).message}`);
    }
  }
  const password = o.password ?? process.env['HALLD_MQTT_PASSWORD'];
  const client = new HallClient({
    url: o.broker,
    hall: where[1],
    events: false,
    ...(signingKey !== undefined ? { signingKey } : {}),
    ...(o.username !== undefined ? { username: o.username } : {}),
    ...(password !== undefined ? { password } : {}),
  });
  try {
    await connectWithin(client, timeoutMs, o.broker, timers);
    return await client.commandUnchecked(where[2], command as `${string}/${string}` as never, data, { timeoutMs, ...(signingKey !== undefined ? { sign: true } : {}) });
  } catch (err) {
    if (err instanceof CommandTimeoutError) io.err(`halld: no answer from ${address} to ${command} within ${timeoutMs} ms (device offline, wrong hall/device name, or the broker's ACL)\n`);
    else io.err(`halld: ${(err as Error).message}\n`);
    return EXIT_UNREACHABLE;
  } finally {
    await client.close().catch(() => undefined);
  }
}

async function connectWithin(client: HallClient, ms: number, url: string, timers: Timers): Promise<void> {
  let timer: ReturnType<Timers['setTimeout']> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = timers.setTimeout(() => reject(new Error(`cannot connect to broker ${url} within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([client.connect(), late]);
  } finally {
    timers.clearTimeout(timer);
  }
}

function usage(io: Output, message: string): number {
  io.err(`halld: ${message}\n`);
  return EXIT_CONFIG;
}

export async function remoteDiag(address: string, o: BrokerOptions & { include?: string[] }, io: Output, timers: Timers): Promise<DiagRow[] | number> {
  const ack = await send(address, 'sys/diag', o.include && o.include.length > 0 ? { include: o.include } : {}, o, io, timers);
  if (typeof ack === 'number') return ack;
  if (!ack.ok) {
    io.err(`halld: ${address} refused sys/diag: ${ack.error.code}: ${ack.error.message}\n`);
    return EXIT_CHECK_FAILED;
  }
  const results = (ack.data?.['results'] ?? []) as { name: string; ok: boolean; skipped?: boolean; detail?: string }[];
  return results.map((r) => ({ name: r.name, status: r.skipped === true ? 'skipped' : r.ok ? 'pass' : 'fail', detail: r.detail ?? '' }));
}

export function addRemoteCommands(program: Command, io: Output, timers: Timers, setExit: (code: number) => void): void {
  program
    .command('cmd')
    .description('send a command to a device over MQTT and print its ack (as the hall server does); exit status 5 when the device refuses it')
    .argument('<hall/device>', 'the device, e.g. hall-1/kiosk-3')
    .argument('<role/command>', 'e.g. sys/ping, ticket-printer/test-print, locker/open')
    .argument('[json]', "the command's data (a JSON object)", '{}')
    .requiredOption('--broker <url>', 'broker URL (mqtt://host:1883)')
    .option('--key <server.pem>', "the hall's Ed25519 signing key (PEM): signs the command (required for secure commands such as locker/open)")
    .option('--username <name>', 'MQTT username (the server account)')
    .option('--password <secret>', 'MQTT password (or HALLD_MQTT_PASSWORD)')
    .option('--timeout <ms>', 'how long to wait for the ack', '10000')
    .action(async (address: string, command: string, json: string, opts: BrokerOptions) => {
      let data: unknown;
      try {
        data = JSON.parse(json);
      } catch (err) {
        return setExit(usage(io, `data: not JSON (${(err as Error).message})`));
      }
      if (typeof data !== 'object' || data === null || Array.isArray(data)) return setExit(usage(io, 'data: expected a JSON object, e.g. \'{"category":"social"}\''));
      const ack = await send(address, command, data as Record<string, unknown>, opts, io, timers);
      if (typeof ack === 'number') return setExit(ack);
      io.out(`${JSON.stringify(ack, null, 2)}\n`);
      setExit(ack.ok ? EXIT_OK : EXIT_CHECK_FAILED);
    });
}
