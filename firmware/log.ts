// One pino logger per process; every module takes a child with its own namespace.
// Two formats: JSON lines for the journal (what `journalctl -o cat` and log shippers read),
// and one human line per entry (pino-pretty) on a terminal or with `--log pretty`.
import { createRequire } from 'node:module';
import pino from 'pino';
import type { PrettyOptions } from 'pino-pretty';
import type { LogFormat } from './log-choices.js';

export type Logger = pino.Logger;

export interface LoggerOptions {
  level?: string;
  /** Default: pretty when stdout is a terminal, JSON otherwise. */
  format?: LogFormat;
  name?: string;
  destination?: NodeJS.WritableStream;
}

/** The format for this process: asked for, or pretty on a terminal. */
export function defaultLogFormat(stream: { isTTY?: boolean } = process.stdout): LogFormat {
  return stream.isTTY === true ? 'pretty' : 'json';
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env['HALLD_LOG'] ?? 'info';
  const format = options.format ?? defaultLogFormat();
  const base = { name: options.name ?? 'halld', level, base: undefined };
  if (format === 'pretty') return pino(base, prettyStream(options.destination));
  return pino(base, (options.destination as pino.DestinationStream | undefined) ?? pino.destination({ fd: 1, sync: false }));
}

function prettyStream(destination: NodeJS.WritableStream | undefined): pino.DestinationStream {
  // Loaded only when asked for (and kept out of the bundle): journald never needs it.
  const load = createRequire(import.meta.url) as (id: string) => unknown;
  const pretty = load('pino-pretty') as (o: PrettyOptions) => pino.DestinationStream;
  const toTerminal = destination === undefined && process.stdout.isTTY === true;
  return pretty({
    colorize: toTerminal,
    translateTime: 'SYS:yyyy-mm-dd HH:MM:ss.l',
    ignore: 'pid,hostname,name,hall,device',
    singleLine: true,
    // Our `err` fields are messages, not Error objects: keep them on the line.
    errorLikeObjectKeys: [],
    sync: true,
    ...(destination !== undefined ? { destination } : {}),
  });
}

/** A logger that drops everything (tests, benchmarks). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
