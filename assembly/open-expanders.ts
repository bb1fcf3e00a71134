// The lines on io.expanders pins joined to the board's own: each MCP23017 is opened over the
// I2C buses the Hal uses (the real I2C driver; the sim board's buses carry simulated chips), its
// pins become GpioInputs and GpioOutputs in the same maps as the board's lines, so a role gets
// a key or a relay on an expander from hal.input()/hal.output() like any other. The driver is
// imported only when a config has an expander. A chip that does not answer, or an I2C package
// that is missing, leaves its lines failed (self-test says why); the device keeps running.
import type { GpioContext, GpioInput, GpioOutput, GpioParts } from '../drivers/hal/backend.js';
import type { ExpanderSpec, I2cSpec } from '../drivers/hal/part-specs.js';
import type { I2cDevice } from '../drivers/hal/i2c-device.js';
import { FailedInput, FailedOutput } from '../drivers/gpio/failed-parts.js';

export async function withExpanders(gpio: GpioParts, expanders: readonly ExpanderSpec[], openI2c: (spec: I2cSpec) => Promise<I2cDevice>, ctx: GpioContext): Promise<GpioParts> {
  if (expanders.length === 0) return gpio;
  const { Mcp23017Expander } = await import('../drivers/mcp23017/mcp23017-expander.js');
  const inputs = new Map<string, GpioInput>(gpio.inputs);
  const outputs = new Map<string, GpioOutput>(gpio.outputs);
  const chips: Array<{ close(): Promise<void> }> = [];
  for (const spec of expanders) {
    let device: I2cDevice;
    try {
      device = await openI2c({ name: `expander:${spec.name}`, bus: spec.bus, address: spec.address });
    } catch (err) {
      for (const s of spec.inputs) inputs.set(s.name, new FailedInput(s, err));
      for (const s of spec.outputs) outputs.set(s.name, new FailedOutput(s, err));
      continue;
    }
    const interruptInput = spec.interrupt && gpio.inputs.get(spec.interrupt.input);
    const chip = new Mcp23017Expander({
      name: spec.name,
      device,
      inputs: spec.inputs,
      outputs: spec.outputs,
      pollMs: spec.pollMs,
      ...(spec.interrupt && interruptInput ? { interrupt: { input: interruptInput, activeLow: spec.interrupt.activeLow } } : {}),
      ctx,
    });
    await chip.start();
    chips.push(chip);
    for (const [name, input] of chip.inputs) inputs.set(name, input);
    for (const [name, output] of chip.outputs) outputs.set(name, output);
  }
  return {
    backend: gpio.backend,
    inputs,
    outputs,
    close: async () => {
      await Promise.all(chips.map((c) => c.close().catch(() => undefined)));
      await gpio.close();
    },
  };
}
