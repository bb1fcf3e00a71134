// The sim board's OLEDs: each io.displays entry gets a simulated SSD1306 at its I2C part's
// address, so hal.display() runs the real driver over the simulated bus and the chip decodes
// the bytes it sends. The chip model loads only when the config has a display.
import type { ResolvedIo } from '../../drivers/hal/part-specs.js';
import { notConfigured } from '../../drivers/hal/not-configured.js';
import type { SimI2cBus } from '../i2c/sim-i2c-bus.js';
import type { Ssd1306Chip } from '../ssd1306/ssd1306-chip.js';

export async function attachSimDisplays(io: ResolvedIo, busFor: (bus: number) => SimI2cBus): Promise<(name: string) => Ssd1306Chip> {
  const chips = new Map<string, Ssd1306Chip>();
  if (io.displays.length > 0) {
    const { Ssd1306Chip } = await import('../ssd1306/ssd1306-chip.js');
    for (const spec of io.displays) {
      const i2c = io.i2c.find((p) => p.name === spec.i2c);
      if (!i2c) continue; // resolveIo rejects a display on a missing part
      const chip = new Ssd1306Chip({ height: spec.height });
      busFor(i2c.bus).addChip(i2c.address, chip);
      chips.set(spec.name, chip);
    }
  }
  return (name) => {
    const chip = chips.get(name);
    if (!chip) throw notConfigured('displays', name, chips.keys());
    return chip;
  };
}
