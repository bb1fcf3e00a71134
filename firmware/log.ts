// One pino logger per process; every module takes a child with its own namespace.
import pino from 'pino';

export type Logger = pino.Logger;

export function createLogger(options: { level?: string; pretty?: boolean; name?: string; destination?: NodeJS.WritableStream } = {}): Logger {
  return pino(
    { name: options.name ?? 'halld', level: options.level ?? process.env['HALLD_LOG'] ?? 'info', base: undefined },
    (options.destination as pino.DestinationStream | undefined) ?? pino.destination({ fd: 1, sync: false }),
  );
}

/** A logger that drops everything (tests, benchmarks). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
