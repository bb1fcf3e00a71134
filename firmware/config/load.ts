// Reads and checks a device config file. Every mistake a person can make comes back as one
// ConfigError line naming the file, the field and what was expected — never a stack trace.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { ConfigSchema, type DeviceConfig } from './schema.js';
import { validate } from '../../protocol/validate.js';
import { jsonErrorOffset } from './json-error-position.js';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export async function loadConfigFile(file: string): Promise<DeviceConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read (${code ?? (err as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${file}: not valid JSON: ${describeJsonError(text, err as Error)}`);
  }
  return parseConfig(raw, file);
}

/** Validates a parsed config, fills defaults and resolves relative paths against the file's folder. */
export function parseConfig(raw: unknown, file = 'config'): DeviceConfig {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${file}: must be a JSON object`);
  const withDefaults = Value.Default(ConfigSchema, structuredClone(raw));
  const unknownRoles = Object.keys((raw as { roles?: object }).roles ?? {}).filter((r) => !(r in ConfigSchema.properties.roles.properties));
  if (unknownRoles.length > 0) {
    throw new ConfigError(`${file}: field /roles/${unknownRoles[0]}: unknown role; expected one of ${Object.keys(ConfigSchema.properties.roles.properties).join(', ')}`);
  }
  const result = validate(ConfigSchema, withDefaults, 1);
  if (!result.ok) throw new ConfigError(`${file}: field ${result.errors[0] ?? 'unknown'}`);
  const config = result.value;
  const base = file === 'config' ? process.cwd() : dirname(resolve(file));
  config.dataDir = resolve(base, config.dataDir);
  for (const k of ['ca', 'cert', 'key'] as const) {
    const p = config.broker[k];
    if (p !== undefined) config.broker[k] = resolve(base, p);
  }
  if (config.broker.reconnectMaxMs < config.broker.reconnectMinMs) {
    throw new ConfigError(`${file}: field /broker/reconnectMaxMs: must be at least reconnectMinMs (${config.broker.reconnectMinMs})`);
  }
  return config;
}

function describeJsonError(text: string, err: Error): string {
  const pos = jsonErrorOffset(text);
  const reason = err.message.replace(/ in JSON at position \d+.*$/, '').replace(/, .*is not valid JSON$/s, '');
  if (pos === undefined) return reason;
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const col = pos - before.lastIndexOf('\n');
  return `${reason} at line ${line}, column ${col}`;
}
