// The MCP23017 driver on the register-level simulator: a SimI2cBus with a SimMcp23017 at 0x20,
// the real I2C driver between them, fake time, and (optionally) the chip's INT pin wired to a
// simulated GPIO input, as on a board.
import type { Test } from 'tap';
import { SimI2cBus } from '../../../simulators/i2c/sim-i2c-bus.js';
import { SimMcp23017 } from '../../../simulators/mcp23017/sim-mcp23017.js';
import { SimGpioBackend } from '../../../simulators/gpio/sim-gpio-backend.js';
import { I2cBusDevice } from '../../../drivers/i2c/i2c-bus-device.js';
import { Mcp23017Expander } from '../../../drivers/mcp23017/mcp23017-expander.js';
import type { InputSpec, OutputSpec } from '../../../drivers/hal/part-specs.js';
import { systemClock } from '../../../drivers/clock/system-clock.js';
import { globalTimers } from '../../../drivers/clock/timers.js';
import { settle, useFakeTime } from '../fake-time.js';

export const ADDRESS = 0x20;
export const POLL_MS = 20;

export interface ExpanderRigOptions {
  inputs?: InputSpec[];
  outputs?: OutputSpec[];
  interrupt?: boolean;
  /** Leave the chip off the bus at open (it is added by the test). */
  absent?: boolean;
}

export function input(name: string, line: number, extra: Partial<InputSpec> = {}): InputSpec {
  return { name, pin: `exp1:${line < 8 ? 'A' : 'B'}${line % 8}`, line, pull: 'up', activeLow: true, debounceMs: 30, ...extra };
}

export function output(name: string, line: number, extra: Partial<OutputSpec> = {}): OutputSpec {
  return { name, pin: `exp1:${line < 8 ? 'A' : 'B'}${line % 8}`, line, activeLow: false, initial: false, ...extra };
}

export async function expanderRig(t: Test, options: ExpanderRigOptions = {}) {
  const clock = useFakeTime(t, 1_000_000);
  const listenerErrors: unknown[] = [];
  const ctx = { clock: systemClock, timers: globalTimers, onListenerError: (_part: string, err: unknown) => listenerErrors.push(err) };
  const bus = new SimI2cBus(1);
  const chip = new SimMcp23017();
  if (!options.absent) bus.addChip(ADDRESS, chip);
  let interrupt: { input: import('../../../drivers/hal/digital-io.js').DigitalInput; activeLow: boolean } | undefined;
  if (options.interrupt) {
    const gpio = new SimGpioBackend(ctx);
    const parts = await gpio.open([{ name: 'exp-int', pin: 4, line: 4, activeLow: true, debounceMs: 0 }], []);
    chip.onInterrupt((level) => gpio.setLevel('exp-int', level));
    interrupt = { input: parts.inputs.get('exp-int')!, activeLow: true };
  }
  const expander = new Mcp23017Expander({
    name: 'exp1',
    device: new I2cBusDevice('exp1', 1, ADDRESS, bus, async () => undefined),
    inputs: options.inputs ?? [],
    outputs: options.outputs ?? [],
    pollMs: POLL_MS,
    ...(interrupt ? { interrupt } : {}),
    ctx,
  });
  await expander.start();
  t.teardown(() => expander.close());
  const tick = async (ms: number) => {
    for (let i = 0; i < ms; i++) {
      clock.tick(1);
      await settle(5);
    }
  };
  return { clock, bus, chip, expander, tick, listenerErrors };
}
