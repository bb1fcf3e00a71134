// The digital I/O contract on every GPIO backend, each over its fake: the sim backend, chardev
// over FakeGpiod (the gpiod tools' argv and output, v1 and v2), sysfs over a recorded onoff,
// Firmata through johnny-five over mock-firmata.
import t from 'tap';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SimGpioBackend } from '../../simulators/gpio/sim-gpio-backend.js';
import { ChardevGpioBackend } from '../../drivers/gpio/chardev-backend.js';
import { SysfsGpioBackend } from '../../drivers/gpio/sysfs-backend.js';
import { FirmataGpioBackend } from '../../drivers/gpio/firmata-backend.js';
import type { GpioBackend, GpioParts } from '../../drivers/gpio/gpio-backend.js';
import type { InputSpec, OutputSpec } from '../../assembly/resolve-io.js';
import { systemClock } from '../../drivers/clock/system-clock.js';
import { globalTimers } from '../../drivers/clock/timers.js';
import { loadBoard } from '../../boards/index.js';
import { FakeGpiod, piHeaderChip } from '../../simulators/gpiod/fake-gpiod.js';
import { RecordingGpio } from '../drivers/recording-sysfs-gpio.js';
import { announceReady, five, instrumented } from '../drivers/mock-firmata-io.js';
import { tempDir } from '../../testkit/temp.js';
import { createSimHal } from '../../assembly/create-hal.js';
import { DEBOUNCE_MS, digitalIoContract, type Level, type LineOptions, type OpenLines } from './digital-io.js';

const ctx = { clock: systemClock, timers: globalTimers, onListenerError: () => undefined };
const IN_LINE = 17;
const OUT_LINE = 27;

function specs(o: LineOptions): [InputSpec, OutputSpec] {
  return [
    { name: 'key', pin: IN_LINE, line: IN_LINE, pull: 'up', activeLow: o.inputActiveLow, debounceMs: DEBOUNCE_MS },
    { name: 'led', pin: OUT_LINE, line: OUT_LINE, activeLow: o.outputActiveLow, initial: o.outputInitial },
  ];
}

const idle = (o: LineOptions): Level => (o.inputActiveLow ? 1 : 0);

async function lines(backend: GpioBackend, o: LineOptions, setRaw: (level: Level) => void, driven: () => Level | undefined): Promise<OpenLines> {
  const [input, output] = specs(o);
  const parts: GpioParts = await backend.open([input], [output]);
  return { input: parts.inputs.get('key')!, output: parts.outputs.get('led')!, setRaw, driven, close: () => parts.close() };
}

t.test('sim backend', async (t) => {
  digitalIoContract(t, {
    open: async (o) => {
      const backend = new SimGpioBackend(ctx);
      return lines(backend, o, (level) => backend.setLevel('key', level), () => backend.outputHistory('led').at(-1)?.level);
    },
  });
});

for (const major of [1, 2] as const) {
  t.test(`chardev backend over the gpiod tools v${major}`, async (t) => {
    const board = await loadBoard('rpi-4b');
    digitalIoContract(t, {
      open: async (o) => {
        const gpiod = new FakeGpiod({ major, chips: [piHeaderChip('gpiochip0', 'pinctrl-bcm2711', 58)] });
        gpiod.setInput(IN_LINE, idle(o));
        const backend = new ChardevGpioBackend({ board, runner: gpiod.runner, ctx, restartDelayMs: 1000 });
        return lines(backend, o, (level) => gpiod.setInput(IN_LINE, level), () => gpiod.driven(OUT_LINE));
      },
    });
  });
}

t.test('sysfs backend over onoff', async (t) => {
  const root = await tempDir(t);
  const chip = join(root, 'gpiochip512');
  await mkdir(chip, { recursive: true });
  await Promise.all([writeFile(join(chip, 'label'), 'pinctrl-bcm2711\n'), writeFile(join(chip, 'base'), '512\n'), writeFile(join(chip, 'ngpio'), '58\n'), writeFile(join(root, 'export'), '')]);
  const board = await loadBoard('rpi-4b');
  digitalIoContract(t, {
    open: async (o) => {
      const opened = new Map<number, RecordingGpio>();
      const factory = (gpio: number, direction: 'in' | 'high' | 'low', edge?: 'both') => {
        const g = new RecordingGpio(gpio, direction, edge);
        if (direction === 'in') g.level = idle(o);
        opened.set(gpio - 512, g);
        return g;
      };
      const backend = new SysfsGpioBackend({ board, ctx, root, loadGpio: async () => factory });
      const line = (n: number) => opened.get(n);
      return lines(
        backend,
        o,
        (level) => {
          const g = line(IN_LINE);
          if (g) g.level = level;
          g?.watcher?.(null, level);
        },
        () => {
          const g = line(OUT_LINE);
          return g?.written.at(-1) ?? (g?.direction === 'high' ? 1 : g?.direction === 'low' ? 0 : undefined);
        },
      );
    },
  });
});

t.test('Firmata backend through johnny-five over mock-firmata', async (t) => {
  digitalIoContract(t, {
    open: async (o) => {
      const { io, writes, readers } = instrumented();
      const backend = new FirmataGpioBackend({
        ctx,
        port: { path: '/dev/ttyACM0', baudRate: 57600 },
        readyTimeoutMs: 5000,
        openIo: async () => {
          announceReady(io);
          return io;
        },
        loadJohnnyFive: async () => five,
      });
      const opened = await lines(backend, o, (level) => readers.get(IN_LINE)?.(level), () => writes.filter(([pin]) => pin === OUT_LINE).at(-1)?.[1] as Level | undefined);
      readers.get(IN_LINE)?.(idle(o)); // the board's first report: the resting level
      return opened;
    },
  });
});

// Lines on an MCP23017 pin, through the assembly (io.expanders), the real driver and the real I2C
// driver over the register-level simulated chip. The chip's INT pin is wired to a board input,
// so a change is read when it happens, which the contract's exact debounce timing needs (a
// polled-only expander sees an edge up to pollMs late; test/drivers/mcp23017 covers that path).
t.test('MCP23017 expander lines on the sim board (interrupt-driven)', async (t) => {
  digitalIoContract(t, {
    open: async (o) => {
      const hal = await createSimHal({
        board: 'sim',
        io: {
          expanders: { exp1: { address: 0x20, interrupt: 'exp-int' } },
          inputs: { 'exp-int': { pin: 4, activeLow: true }, key: { pin: 'exp1:A0', pull: o.inputActiveLow ? 'up' : 'none', activeLow: o.inputActiveLow, debounceMs: DEBOUNCE_MS } },
          outputs: { led: { pin: 'exp1:B7', activeLow: o.outputActiveLow, initial: o.outputInitial } },
        },
      });
      const chip = hal.sim.expander('exp1');
      return { input: hal.input('key'), output: hal.output('led'), setRaw: (level) => chip.drive('A0', level), driven: () => chip.output('B7'), close: () => hal.close() };
    },
  });
});
