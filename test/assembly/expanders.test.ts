// io.expanders on the sim board: config checks with clear messages, and keys and LEDs on an
// MCP23017 reaching a role as plain hal.input()/hal.output() lines through the real driver
// over the simulated chip (the DigitalIo contract runs on them in test/contracts/).
import t from 'tap';
import { createHal, createSimHal } from '../../assembly/create-hal.js';
import { FakeGpiod, piHeaderChip } from '../../simulators/gpiod/fake-gpiod.js';
import { SimI2cBus } from '../../simulators/i2c/sim-i2c-bus.js';
import { SimMcp23017 } from '../../simulators/mcp23017/sim-mcp23017.js';
import { loadBoard } from '../../boards/index.js';
import { parseIoConfig, resolveIo, IoConfigError } from '../../assembly/resolve-io.js';
import { useFakeTime, settle } from '../drivers/fake-time.js';

async function issues(io: unknown): Promise<readonly string[]> {
  const board = await loadBoard('sim');
  try {
    resolveIo(board, parseIoConfig(io));
  } catch (err) {
    if (err instanceof IoConfigError) return err.issues;
    throw err;
  }
  return [];
}

t.test('config checks name the part and say what is wrong', async (t) => {
  const exp = { exp1: { address: 0x20 } };
  t.same(await issues({ expanders: exp, inputs: { k: { pin: 'exp2:A0' } } }), ['inputs.k: pin "exp2:A0" names expander "exp2", which is not in io.expanders (configured: exp1)']);
  t.same(await issues({ expanders: exp, inputs: { k: { pin: 'exp1:C0' } } }), ['inputs.k: pin "exp1:C0": an MCP23017 pin is A0-A7 or B0-B7']);
  t.same(await issues({ expanders: exp, outputs: { l: { pin: 'exp1:B8' } } }), ['outputs.l: pin "exp1:B8": an MCP23017 pin is A0-A7 or B0-B7']);
  t.same(await issues({ expanders: exp, inputs: { k: { pin: 'exp1:a3' } }, outputs: { l: { pin: 'exp1:A3' } } }), ['expander exp1 pin A3 is used twice: inputs.k and outputs.l']);
  t.same(await issues({ expanders: { exp1: { address: 0x40 } } }), ['expanders.exp1.address: an MCP23017 answers at 0x20-0x27 (32-39, set by its A2-A0 pins), not 0x40 (64)']);
  t.same(await issues({ expanders: { exp1: { address: 0x21 }, exp2: { address: 0x21 } } }), ['expanders.exp1 and expanders.exp2 both use address 0x21 on I2C bus 1']);
  t.same(await issues({ expanders: { exp1: { address: 0x21 }, exp2: { address: 0x21, bus: 3 } } }), [], 'one address on two buses is fine');
  t.same(await issues({ i2c: { rtc: { address: 0x22 } }, expanders: { exp1: { address: 0x22 } } }), ['i2c.rtc and expanders.exp1 both use address 0x22 on I2C bus 1']);
  t.same(await issues({ expanders: exp, inputs: { k: { pin: 'exp1:A0', pull: 'down' } } }), ['inputs.k: pin "exp1:A0": the MCP23017 has pull-ups only; use "up" or "none" (and an external resistor to ground)']);
  t.same(await issues({ expanders: { exp1: { address: 0x20, interrupt: 'nope' } } }), ['expanders.exp1.interrupt: "nope" is not an io.inputs line (board inputs: none)']);
  t.same(await issues({ expanders: { exp1: { address: 0x20 } }, inputs: { btn: { pin: 2 } } }), ['line 2 is used twice: I2C bus 1 SDA (used by expanders.exp1) and inputs.btn (pin 2)'], 'a button on the SDA line the expander needs');
  t.match(await issues({ expanders: { exp1: { address: 0x20, pollMs: 0 } } }), [/io\.expanders\.exp1\.pollMs/]);
});

t.test('the interrupt line is read undebounced; the resolved plan carries the expander lines apart from the board lines', async (t) => {
  const board = await loadBoard('sim');
  const io = resolveIo(
    board,
    parseIoConfig({ expanders: { exp1: { address: 0x20, interrupt: 'int' } }, inputs: { int: { pin: 4, activeLow: true }, key: { pin: 'exp1:B2', pull: 'up', activeLow: true } }, outputs: { led: { pin: 'exp1:A7' } } }),
  );
  t.same(io.inputs.map((i) => [i.name, i.debounceMs]), [['int', 0]]);
  t.same(io.outputs, []);
  t.match(io.expanders, [{ name: 'exp1', bus: 1, address: 0x20, pollMs: 20, interrupt: { input: 'int', activeLow: true }, inputs: [{ name: 'key', line: 10, pull: 'up' }], outputs: [{ name: 'led', line: 7 }] }]);
});

t.test('on the sim board, a key and an LED on the expander are plain lines; self-test shows where they are', async (t) => {
  const clock = useFakeTime(t, 1_000_000);
  const hal = await createSimHal({
    board: 'sim',
    io: { expanders: { exp1: { address: 0x20 } }, inputs: { next: { pin: 'exp1:A0', pull: 'up', activeLow: true } }, outputs: { busy: { pin: 'exp1:B0' } } },
  });
  t.teardown(() => hal.close());
  t.same(hal.describe().inputs, ['next']);
  const changes: boolean[] = [];
  hal.input('next').onChange((a) => changes.push(a));
  hal.sim.press('next');
  for (let ms = 0; ms < 20 + 30; ms++) {
    clock.tick(1);
    await settle(3);
  }
  t.same(changes, [true], 'seen at the next poll, debounced');
  await hal.output('busy').write(true);
  t.same(hal.sim.outputHistory('busy').map((c) => c.level), [0, 1]);
  t.equal(hal.sim.expander('exp1').output('B0'), 1);
  const results = await hal.selfTest();
  t.match(results.find((r) => r.name === 'input:next'), { ok: true, data: { expander: 'exp1', pin: 'A0' } });
  hal.sim.i2cBus(1).nack(0x20);
  for (let ms = 0; ms < 20; ms++) {
    clock.tick(1);
    await settle(3);
  }
  t.match((await hal.selfTest()).find((r) => r.name === 'output:busy'), { ok: false, detail: /expander exp1 .* does not answer/ });
});

t.test('a Pi 4 on the gpiod tools: expander lines over the pooled I2C bus, INT on a chardev input', async (t) => {
  const clock = useFakeTime(t, 1_000_000);
  const gpiod = new FakeGpiod({ major: 2, chips: [piHeaderChip('gpiochip0', 'pinctrl-bcm2711', 58)] });
  gpiod.setInput(4, 1);
  const bus = new SimI2cBus(1);
  const chip = new SimMcp23017();
  bus.addChip(0x27, chip);
  chip.onInterrupt((level) => gpiod.setInput(4, level));
  const hal = await createHal({
    board: 'rpi-4b',
    io: { expanders: { keys: { address: 0x27, interrupt: 'keys-int' } }, inputs: { 'keys-int': { pin: 4, activeLow: true }, next: { pin: 'keys:B3', pull: 'up', activeLow: true, debounceMs: 30 } } },
    deps: { runner: gpiod.runner, openI2cBus: async () => bus },
  });
  t.teardown(() => hal.close());
  const changes: boolean[] = [];
  hal.input('next').onChange((a) => changes.push(a));
  chip.drive('B3', 0);
  await settle();
  t.equal(chip.interruptLevel(), 1, 'INT seen through gpiomon and the chip read at once');
  clock.tick(30);
  t.same(changes, [true]);
  await hal.close();
  t.equal(gpiod.monitors().length, 0);
});

t.test('no I2C at all: createHal resolves, expander lines are failed parts that say why', async (t) => {
  const hal = await createHal({
    board: 'rpi-4b',
    io: { expanders: { exp1: { address: 0x20 } }, inputs: { key: { pin: 'exp1:A0' } }, outputs: { lamp: { pin: 'exp1:A1' } } },
    deps: { runner: new FakeGpiod({ major: 2, chips: [piHeaderChip('gpiochip0', 'pinctrl-bcm2711', 58)] }).runner, openI2cBus: async () => Promise.reject(new Error('the i2c-bus package is not installed')) },
  });
  t.teardown(() => hal.close());
  const results = Object.fromEntries((await hal.selfTest()).map((r) => [r.name, r]));
  t.match(results['input:key'], { ok: false, detail: /i2c-bus package is not installed/ });
  t.match(results['output:lamp'], { ok: false });
  await t.rejects(hal.output('lamp').write(true), { code: 'UNAVAILABLE' });
});
