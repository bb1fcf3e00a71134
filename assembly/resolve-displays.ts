// io.displays resolved against io.i2c: defaults applied, and the checks a schema cannot make
// (the I2C part must exist, and one chip drives one display).
import type { DisplaySpec } from '../drivers/hal/part-specs.js';
import { DEFAULT_DISPLAY_CONTRAST } from './io-schema.js';
import type { IoConfig } from './part-types.js';

export function resolveDisplays(io: IoConfig, issues: string[]): DisplaySpec[] {
  const configured = Object.keys(io.i2c ?? {});
  const users = new Map<string, string>();
  const displays: DisplaySpec[] = [];
  for (const [name, c] of Object.entries(io.displays ?? {})) {
    const part = `displays.${name}`;
    if (!(io.i2c ?? {})[c.i2c]) {
      issues.push(`${part}: I2C part "${c.i2c}" is not in io.i2c (configured: ${configured.length > 0 ? configured.join(', ') : 'none'}); add it with its bus and address, e.g. "i2c": { "${c.i2c}": { "address": 60 } } for 0x3c`);
      continue;
    }
    const other = users.get(c.i2c);
    if (other) {
      issues.push(`${other} and ${part} both use I2C part "${c.i2c}"; one chip drives one display`);
      continue;
    }
    users.set(c.i2c, part);
    displays.push({ name, i2c: c.i2c, controller: 'ssd1306', width: 128, height: c.height ?? 64, contrast: c.contrast ?? DEFAULT_DISPLAY_CONTRAST, rotate: c.rotate ?? 0 });
  }
  return displays;
}
