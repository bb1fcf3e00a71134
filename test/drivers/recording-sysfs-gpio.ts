// onoff's Gpio as the sysfs backend uses it, recorded: this machine has no sysfs GPIO, so the
// tests and the digital I/O contract drive its watcher and read what was written.
import type { SysfsGpio } from '../../drivers/gpio/sysfs-backend.js';
import type { Level } from '../../drivers/gpio/gpio-backend.js';

export class RecordingGpio implements SysfsGpio {
  level: Level;
  written: Level[] = [];
  watcher: ((err: Error | null | undefined, value: Level) => void) | undefined;
  unexported = false;
  constructor(
    readonly gpio: number,
    readonly direction: string,
    readonly edge?: string,
  ) {
    this.level = direction === 'high' ? 1 : 0;
  }
  readSync(): Level {
    return this.level;
  }
  async write(value: Level): Promise<void> {
    this.written.push(value);
  }
  watch(cb: (err: Error | null | undefined, value: Level) => void): void {
    this.watcher = cb;
  }
  unwatchAll(): void {
    this.watcher = undefined;
  }
  unexport(): void {
    this.unexported = true;
  }
}
