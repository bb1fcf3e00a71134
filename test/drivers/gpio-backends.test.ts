// The sysfs and firmata GPIO backends.
// sysfs: the chip base is read from a /sys/class/gpio tree built in a temp dir, never assumed;
// onoff is replaced by a recording factory since this machine has no sysfs GPIO.
// firmata: johnny-five driving mock-firmata (docs/hardware.md, "Firmata (Arduino)"), then the whole path a
// board runs (J5 → firmata-io → serialport 13 → bytes) against a StandardFirmata simulator.
import t from 'tap';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findSysfsChip, listSysfsChips } from '../../drivers/gpio/sysfs-chip.js';
import { SysfsGpioBackend, type SysfsGpioFactory } from '../../drivers/gpio/sysfs-backend.js';
import { RecordingGpio } from './recording-sysfs-gpio.js';
import { MockFirmata, announceReady, five, instrumented, type MockIo } from './mock-firmata-io.js';
import { loadBoard } from '../../boards/index.js';
import { systemClock } from '../../drivers/clock/system-clock.js';
import { globalTimers } from '../../drivers/clock/timers.js';
import { tempDir } from '../../testkit/temp.js';
import { FirmataGpioBackend } from '../../drivers/gpio/firmata-backend.js';
import type { InputSpec, OutputSpec } from '../../assembly/resolve-io.js';
import { useFakeTime, settle, type Teardown } from './fake-time.js';
import { createHal } from '../../assembly/create-hal.js';
import { VirtualSerialBus } from '../../simulators/serial/virtual-serial-bus.js';
import { FirmataDevice, FIRMATA_MODE } from '../../simulators/firmata/firmata-device.js';
import { until } from '../../testkit/wait.js';

async function sysfsTree(root: string, chips: Array<{ name: string; label: string; base: number; ngpio: number }>): Promise<string> {
  for (const c of chips) {
    const dir = join(root, c.name);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'label'), `${c.label}\n`);
    await writeFile(join(dir, 'base'), `${c.base}\n`);
    await writeFile(join(dir, 'ngpio'), `${c.ngpio}\n`);
  }
  await writeFile(join(root, 'export'), '');
  return root;
}

const pi4Kernel66 = [
  { name: 'gpiochip512', label: 'pinctrl-bcm2711', base: 512, ngpio: 58 },
  { name: 'gpiochip570', label: 'raspberrypi-exp-gpio', base: 570, ngpio: 8 },
];
const pi5Bookworm = [
  { name: 'gpiochip512', label: 'gpio-brcmstb@107d508500', base: 512, ngpio: 32 },
  { name: 'gpiochip544', label: 'gpio-brcmstb@107d508520', base: 544, ngpio: 4 },
  { name: 'gpiochip571', label: 'pinctrl-rp1', base: 571, ngpio: 54 },
];

t.test('the base comes from the chip with the board label: Pi 4 on 6.6 → 512', async (t) => {
  const root = await sysfsTree(await tempDir(t), pi4Kernel66);
  t.same(await findSysfsChip('pinctrl-bcm2711', root), { name: 'gpiochip512', label: 'pinctrl-bcm2711', base: 512, ngpio: 58 });
});

t.test('Pi 5: the rp1 chip is at 571 on Bookworm', async (t) => {
  const root = await sysfsTree(await tempDir(t), pi5Bookworm);
  t.equal((await findSysfsChip('pinctrl-rp1', root)).base, 571);
  t.equal((await listSysfsChips(root)).length, 3);
});

t.test('no /sys/class/gpio (trixie): UNAVAILABLE saying so', async (t) => {
  const root = join(await tempDir(t), 'sys', 'class', 'gpio');
  await t.rejects(findSysfsChip('pinctrl-bcm2711', root), {
    code: 'UNAVAILABLE',
    message: `${root} does not exist: this kernel has no sysfs GPIO interface (removed on Debian trixie and recent Raspberry Pi OS); use the chardev backend`,
  });
});

t.test('no chip with the label: UNAVAILABLE listing the chips there', async (t) => {
  const root = await sysfsTree(await tempDir(t), pi5Bookworm);
  await t.rejects(findSysfsChip('pinctrl-bcm2711', root), { code: 'UNAVAILABLE', message: /no GPIO chip labelled "pinctrl-bcm2711" under .* \(found: gpiochip512 \[gpio-brcmstb@107d508500\] base 512, .*gpiochip571 \[pinctrl-rp1\] base 571\)/ });
});

t.test('the backend opens base + line through onoff and debounces its edges', async (t) => {
  const clock = useFakeTime(t);
  const root = await sysfsTree(await tempDir(t), pi4Kernel66);
  const opened: RecordingGpio[] = [];
  const factory: SysfsGpioFactory = (gpio, direction, edge) => {
    const g = new RecordingGpio(gpio, direction, edge);
    if (gpio === 512 + 17) g.level = 1; // pulled up: not pressed
    opened.push(g);
    return g;
  };
  const backend = new SysfsGpioBackend({ board: await loadBoard('rpi-4b'), ctx: { clock: systemClock, timers: globalTimers, onListenerError: () => undefined }, root, loadGpio: async () => factory });
  const parts = await backend.open(
    [{ name: 'cat-1', pin: 17, line: 17, pull: 'up', activeLow: true, debounceMs: 30 }],
    [{ name: 'led', pin: 27, line: 27, activeLow: false, initial: true }],
  );
  t.same(
    opened.map((g) => [g.gpio, g.direction, g.edge]),
    [
      [529, 'in', 'both'],
      [539, 'high', undefined],
    ],
    'sysfs numbers are 512 + BCM line; the output starts at its initial level',
  );
  const cat = parts.inputs.get('cat-1');
  t.equal(cat?.isActive(), false);
  t.match(cat?.health().data, { gpio: 529, base: 512, pull: /not applied: sysfs cannot set bias; set gpio=17=pu in config.txt/ });
  const changes: boolean[] = [];
  cat?.onChange((a) => changes.push(a));
  for (const v of [0, 1, 0, 1, 0] as const) opened[0]?.watcher?.(null, v);
  clock.tick(30);
  t.same(changes, [true]);
  await parts.outputs.get('led')?.write(false);
  t.same(opened[1]?.written, [0]);
  opened[0]?.watcher?.(new Error('EPOLL'), 0);
  t.match(cat?.health(), { ok: false, detail: 'sysfs watch failed: EPOLL' });
  await parts.close();
  t.ok(opened.every((g) => g.unexported), 'every line unexported on close');
});

t.test('a missing tree fails every part instead of throwing', async (t) => {
  const backend = new SysfsGpioBackend({
    board: await loadBoard('cm4'),
    ctx: { clock: systemClock, timers: globalTimers, onListenerError: () => undefined },
    root: join(await tempDir(t), 'nope'),
    loadGpio: async () => t.fail('onoff must not be loaded without a chip') as never,
  });
  const parts = await backend.open([{ name: 'b', pin: 4, line: 4, activeLow: false, debounceMs: 30 }], [{ name: 'l', pin: 5, line: 5, activeLow: false, initial: false }]);
  t.match(parts.inputs.get('b')?.health(), { ok: false, detail: /does not exist: this kernel has no sysfs GPIO/ });
  await t.rejects(parts.outputs.get('l')?.write(true) ?? Promise.resolve(), { code: 'UNAVAILABLE' });
});

const key: InputSpec = { name: 'key-1', pin: 'D2', line: 2, pull: 'up', activeLow: true, debounceMs: 20 };
const led: OutputSpec = { name: 'led', pin: 'D13', line: 13, activeLow: false, initial: false };

async function open(t: Teardown, io: MockIo, readyTimeoutMs = 5000, ready = true) {
  const backend = new FirmataGpioBackend({
    ctx: { clock: systemClock, timers: globalTimers, onListenerError: () => undefined },
    port: { path: '/dev/ttyACM0', baudRate: 57600 },
    readyTimeoutMs,
    openIo: async () => {
      if (ready) announceReady(io);
      return io;
    },
    loadJohnnyFive: async () => five,
  });
  const parts = await backend.open([key], [led]);
  t.teardown(() => parts.close());
  return parts;
}

t.test('inputs: reports through the debounce', async (t) => {
  const clock = useFakeTime(t);
  const { io, modes, readers } = instrumented();
  const parts = await open(t, io);
  t.same(modes[0], [2, 0], 'D2 in INPUT mode (mock-firmata has no PULLUP; see the byte-level test for that)');
  const input = parts.inputs.get('key-1');
  const changes: boolean[] = [];
  input?.onChange((a) => changes.push(a));
  const report = readers.get(2);
  report?.(1); // released (Firmata repeats port values)
  report?.(0);
  report?.(1);
  report?.(0);
  clock.tick(20);
  t.same(changes, [true], 'press, once');
  report?.(1);
  clock.tick(20);
  t.same(changes, [true, false]);
  t.match(input?.health(), { ok: true, data: { backend: 'firmata', port: '/dev/ttyACM0', line: 2 } });
});

t.test('outputs: OUTPUT mode, initial level, writes', async (t) => {
  const { io, modes, writes } = instrumented();
  const parts = await open(t, io);
  t.same(modes[1], [13, 1], 'D13 in OUTPUT mode');
  t.same(writes, [[13, 0]], 'initial level written');
  await parts.outputs.get('led')?.write(true);
  t.same(writes, [
    [13, 0],
    [13, 1],
  ]);
});

t.test('the board going away: inputs fault, writes are refused', async (t) => {
  const { io } = instrumented();
  const parts = await open(t, io);
  io.emit('close');
  t.match(parts.inputs.get('key-1')?.health(), { ok: false, detail: 'the Firmata port closed' });
  await t.rejects(parts.outputs.get('led')?.write(true) ?? Promise.resolve(), { code: 'UNAVAILABLE', message: 'the Firmata port closed' });
});

t.test('no handshake within the timeout: every part fails, nothing throws', async (t) => {
  const clock = useFakeTime(t);
  const { io } = instrumented();
  const opening = open(t, io, 3000, false);
  await settle();
  clock.tick(3000);
  const parts = await opening;
  t.match(parts.inputs.get('key-1')?.health(), { ok: false, detail: /no Firmata handshake from \/dev\/ttyACM0 within 3000 ms/ });
  await t.rejects(parts.outputs.get('led')?.write(true) ?? Promise.resolve(), { code: 'UNAVAILABLE' });
});

t.test('mock-firmata speaks an older protocol without PULLUP: pull-up falls back to INPUT', async (t) => {
  const io = new MockFirmata();
  const modes: Array<[number, number]> = [];
  io.pinMode = (pin, mode) => void modes.push([pin, mode]);
  io.digitalRead = () => undefined;
  io.digitalWrite = () => undefined;
  await open(t, io);
  t.same(modes[0], [2, 0], 'INPUT: the board needs an external resistor then');
});

t.test('handshake, PULLUP input, output writes: the bytes a real Uno gets', async (t) => {
  const bus = new VirtualSerialBus();
  const uno = new FirmataDevice();
  bus.attach('/dev/ttyACM0', uno);
  const hal = await createHal({
    board: 'arduino-firmata',
    io: { inputs: { 'key-1': { pin: 'D2', pull: 'up', activeLow: true, debounceMs: 0 } }, outputs: { led: { pin: 'D13' } } },
    deps: { serialBinding: bus.binding },
  });
  t.teardown(() => hal.close());
  const [input] = await hal.selfTest();
  t.match(input, { name: 'input:key-1', ok: true });
  t.equal(uno.mode(2), FIRMATA_MODE.PULLUP, 'SET_PIN_MODE 2 PULLUP');
  t.equal(uno.mode(13), FIRMATA_MODE.OUTPUT);
  t.ok(uno.received.includes('f40d01'), 'F4 0D 01 on the wire');
  t.ok(uno.received.includes('d001'), 'REPORT_DIGITAL port 0 on');
  const key = hal.input('key-1');
  t.equal(key.isActive(), false, 'pulled up: not pressed');
  const changes: boolean[] = [];
  key.onChange((a) => changes.push(a));
  uno.setInput(2, 0);
  await until('the press', () => changes.length > 0);
  t.same(changes, [true], 'DIGITAL_MESSAGE from the board → press');
  await hal.output('led').write(true);
  await until('the LED on the board', () => uno.output(13) === 1);
  t.equal(uno.output(13), 1, 'DIGITAL_MESSAGE port 1 with bit 5 set');
  t.same(changes, [true], 'still one press after the round trip to the board and back');
  await hal.close();
  t.notOk(bus.isOpen('/dev/ttyACM0'), 'the port is closed with the HAL');
});
