// The one error for "the config has no such part", worded the same everywhere so a person
// reading a log sees the name asked for and the names that exist.
import { HalError } from './hal-error.js';

export type PartSection = 'inputs' | 'outputs' | 'serial' | 'i2c' | 'printers' | 'scanners' | 'lockBoards' | 'idCardReaders' | 'matrices' | 'displays';

const KIND: Record<PartSection, string> = { inputs: 'input', outputs: 'output', serial: 'serial port', i2c: 'I2C device', printers: 'printer', scanners: 'scanner', lockBoards: 'lock board', idCardReaders: 'ID-card reader', matrices: 'LED matrix', displays: 'display' };

export function notConfigured(section: PartSection, name: string, configured: Iterable<string>): HalError {
  const names = [...configured];
  return new HalError('NOT_CONFIGURED', `no ${KIND[section]} named "${name}" in io.${section} (configured: ${names.length > 0 ? names.join(', ') : 'none'})`);
}
