// Several I2C parts on one bus share one open bus handle; the handle closes with the last.
import type { I2cBus, I2cBusOpener } from './i2c-bus-device.js';

export class I2cBusPool {
  private readonly buses = new Map<number, { handle: Promise<I2cBus>; users: number }>();

  constructor(private readonly openBus: I2cBusOpener) {}

  /** The shared handle for `bus` and the function that gives it back. */
  async acquire(bus: number): Promise<{ handle: I2cBus; release: () => Promise<void> }> {
    let entry = this.buses.get(bus);
    if (!entry) {
      entry = { handle: this.openBus(bus), users: 0 };
      this.buses.set(bus, entry);
    }
    entry.users++;
    let handle: I2cBus;
    try {
      handle = await entry.handle;
    } catch (err) {
      // Let the next attempt try again instead of remembering the failure.
      if (this.buses.get(bus) === entry) this.buses.delete(bus);
      throw err;
    }
    let released = false;
    const owner = entry;
    return {
      handle,
      release: async () => {
        if (released) return;
        released = true;
        if (--owner.users > 0) return;
        if (this.buses.get(bus) === owner) this.buses.delete(bus);
        await handle.close();
      },
    };
  }
}
