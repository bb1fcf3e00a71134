// Finds the sysfs GPIO number base of the chip that carries the header lines. Source: Linux
// Documentation/ABI/obsolete/sysfs-gpio (/sys/class/gpio/gpiochipN/{base,label,ngpio}).
// Since kernel 6.6 the Pi's chips are numbered dynamically (base 512 on Pi 4, 571 on Pi 5
// Bookworm, other values before: fivdi/onoff #199, #200, LVMakerHub/LINX #132), so the base
// is always read at run time, never assumed. Debian trixie kernels drop /sys/class/gpio.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HalError } from '../hal/types.js';

export const DEFAULT_SYSFS_GPIO_ROOT = '/sys/class/gpio';

export interface SysfsChip {
  /** gpiochipN as listed under the root. */
  name: string;
  label: string;
  base: number;
  ngpio: number;
}

async function readTrim(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

/** Lists every chip under the sysfs root. A missing root → HalError UNAVAILABLE. */
export async function listSysfsChips(root: string = DEFAULT_SYSFS_GPIO_ROOT): Promise<SysfsChip[]> {
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new HalError(
      'UNAVAILABLE',
      missing
        ? `${root} does not exist: this kernel has no sysfs GPIO interface (removed on Debian trixie and recent Raspberry Pi OS); use the chardev backend`
        : `${root} cannot be read: ${(err as Error).message}`,
      { cause: err },
    );
  }
  const chips: SysfsChip[] = [];
  for (const name of entries.filter((e) => /^gpiochip\d+$/.test(e)).sort()) {
    const [label, base, ngpio] = await Promise.all(['label', 'base', 'ngpio'].map((f) => readTrim(join(root, name, f))));
    if (label === undefined || base === undefined || !/^\d+$/.test(base)) continue;
    chips.push({ name, label, base: Number(base), ngpio: ngpio && /^\d+$/.test(ngpio) ? Number(ngpio) : 0 });
  }
  return chips;
}

/** The chip with this label, or HalError UNAVAILABLE listing what is there. */
export async function findSysfsChip(label: string, root: string = DEFAULT_SYSFS_GPIO_ROOT): Promise<SysfsChip> {
  const chips = await listSysfsChips(root);
  const chip = chips.find((c) => c.label === label);
  if (chip) return chip;
  const seen = chips.map((c) => `${c.name} [${c.label}] base ${c.base}`).join(', ');
  throw new HalError('UNAVAILABLE', `no GPIO chip labelled "${label}" under ${root} (found: ${seen || 'none'})`);
}
