// io.idCardReaders resolved against the io.serial parts: defaults applied, each reader on a
// serial part of its own (claimed like a printer's or a scanner's port), and a serial part
// that carries a reader and sets no baud rate runs at the modules' 115200.
import { DEFAULT_POLL_MS, DEFAULT_READ_ATTEMPTS, DEFAULT_REPLY_TIMEOUT_MS, ID_CARD_READER_BAUD_RATE } from '../drivers/id-card-reader/config.js';
import type { IdCardReaderSpec } from '../drivers/hal/part-specs.js';
import type { IoConfig } from './part-types.js';
import type { SerialClaim } from './resolve-lock-boards.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Runs on the raw config, before the serial parts get their general default, so an explicit baudRate is kept. */
export function defaultIdCardReaderBaudRates(io: Record<string, unknown>): void {
  const serial = io['serial'];
  const readers = io['idCardReaders'];
  if (!isObject(serial) || !isObject(readers)) return;
  for (const reader of Object.values(readers)) {
    if (!isObject(reader) || typeof reader['serial'] !== 'string') continue;
    const line = serial[reader['serial']];
    if (isObject(line) && line['baudRate'] === undefined) line['baudRate'] = ID_CARD_READER_BAUD_RATE;
  }
}

export function resolveIdCardReaders(io: IoConfig, claim: SerialClaim): IdCardReaderSpec[] {
  const specs: IdCardReaderSpec[] = [];
  for (const [name, c] of Object.entries(io.idCardReaders ?? {})) {
    if (!claim(`idCardReaders.${name}`, c.serial)) continue;
    specs.push({ name, serial: c.serial, pollMs: c.pollMs ?? DEFAULT_POLL_MS, replyTimeoutMs: c.replyTimeoutMs ?? DEFAULT_REPLY_TIMEOUT_MS, readAttempts: c.readAttempts ?? DEFAULT_READ_ATTEMPTS });
  }
  return specs;
}
