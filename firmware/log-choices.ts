// What `--log` and `--log-level` accept. Apart from log.ts so that the bin's first module
// (bin.ts, through run-argv.ts) can read a `run` line without loading pino.
export type LogFormat = 'json' | 'pretty';
export const LOG_FORMATS: readonly LogFormat[] = ['json', 'pretty'];
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
