// createHal end to end: the sim board's SimHal, a Pi board on the simulated gpiod tools, and
// the rules: unknown names say what exists, bad config is BAD_CONFIG, parts that cannot be
// opened are failed self-test results, native packages load only when their backend is used.
import t from 'tap';
import { createRequire } from 'node:module';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHal, createSimHal, isSimHal } from '../../assembly/create-hal.js';
import { FakeGpiod, piHeaderChip } from '../../simulators/gpiod/fake-gpiod.js';
import { FakeRunner } from '../../simulators/process/fake-child.js';
import { VirtualSerialBus } from '../../simulators/serial/virtual-serial-bus.js';
import { SimI2cBus } from '../../simulators/i2c/sim-i2c-bus.js';
import type { SysfsGpio } from '../../drivers/gpio/sysfs-backend.js';
import { tempDir } from '../../testkit/temp.js';
import { useFakeTime, settle } from './fake-time.js';
import { happyTools } from './speaker-tools.js';

const io = {
  inputs: { 'cat-1': { pin: 'GPIO17', pull: 'up', activeLow: true }, door: { pin: 'P1-15', debounceMs: 50 } },
  outputs: { 'lamp-1': { pin: 27, activeLow: true }, buzzer: { pin: 'P1-12' } },
  serial: { printer: { path: '/dev/ttyUSB0', baudRate: 115200 } },
  i2c: { rtc: { address: 0x68 } },
  speaker: { kind: 'espeak' },
};

t.test('the sim board gives a SimHal whose parts behave like the real ones', async (t) => {
  const clock = useFakeTime(t);
  const hal = await createHal({ board: 'sim', io });
  t.teardown(() => hal.close());
  t.ok(isSimHal(hal));
  if (!isSimHal(hal)) return;
  t.equal(hal.board, 'sim');
  t.same(hal.describe(), { inputs: ['cat-1', 'door'], outputs: ['lamp-1', 'buzzer'], serial: ['printer'], i2c: ['rtc'], printers: [], scanners: [], lockBoards: [], matrices: [], displays: [] });

  const changes: Array<[boolean, number]> = [];
  hal.input('cat-1').onChange((a, at) => changes.push([a, at]));
  clock.tick(5000);
  hal.sim.bounce('cat-1', 10);
  clock.tick(30);
  hal.sim.release('cat-1');
  clock.tick(30);
  t.same(changes, [
    [true, 5000],
    [false, 5030],
  ]);

  await hal.output('lamp-1').write(true);
  t.same(
    hal.sim.outputHistory('lamp-1').map((h) => [h.active, h.level]),
    [
      [false, 1],
      [true, 0],
    ],
    'active-low lamp: off = line high, on = line low',
  );

  const frames: Buffer[] = [];
  hal.sim.attachSerialDevice('printer', { receive: (bytes, line) => void line.send(bytes[1] === 0x04 ? Buffer.from([0x12]) : Buffer.alloc(0)) });
  const printer = await hal.serial('printer');
  t.equal(await hal.serial('printer'), printer, 'opened once');
  printer.onData((c) => frames.push(c));
  await printer.write(Buffer.from([0x10, 0x04, 0x01]));
  await settle();
  t.same(frames.map((f) => f.toString('hex')), ['12'], 'DLE EOT 1 answered by the device');
  t.equal(hal.sim.serialWritten('printer').toString('hex'), '100401');

  hal.sim.i2cRegisters('rtc')[0] = 0x59;
  t.equal(await (await hal.i2c('rtc')).readByte(0), 0x59);
  await hal.speaker().say('请A012号', { lang: 'zh-CN' });
  t.same(hal.sim.spoken(), ['请A012号'], 'the sim board always records speech');
});

t.test('self-test: one result per part; NACKs and unplugged ports are failures, not crashes', async (t) => {
  const hal = await createSimHal({ board: 'sim', io });
  t.teardown(() => hal.close());
  let results = await hal.selfTest();
  t.same(
    results.map((r) => [r.name, r.ok]),
    [
      ['input:cat-1', true],
      ['input:door', true],
      ['output:lamp-1', true],
      ['output:buzzer', true],
      ['serial:printer', true],
      ['i2c:rtc', true],
      ['speaker', true],
    ],
  );
  hal.sim.i2cNack('rtc');
  hal.sim.unplugSerial('printer');
  await settle();
  results = await hal.selfTest();
  t.match(results.find((r) => r.name === 'i2c:rtc'), { ok: false, detail: /I2C rtc \(bus 1, 0x68\) probe failed: EREMOTEIO/ });
  t.match(results.find((r) => r.name === 'serial:printer'), { ok: false, detail: /could not be opened/ });
  hal.sim.i2cNack('rtc', 0);
  hal.sim.replugSerial('printer');
  const link = await hal.serial('printer');
  t.ok(link.isOpen(), 'a closed link is replaced by a fresh one on the next call');
  t.ok((await hal.selfTest()).every((r) => r.ok));
});

t.test('unknown part names: NOT_CONFIGURED naming the part and listing what exists', async (t) => {
  const hal = await createSimHal({ board: 'sim', io });
  t.teardown(() => hal.close());
  t.throws(() => hal.input('cat-9'), { code: 'NOT_CONFIGURED', message: 'no input named "cat-9" in io.inputs (configured: cat-1, door)' });
  t.throws(() => hal.output('lamp'), { code: 'NOT_CONFIGURED', message: 'no output named "lamp" in io.outputs (configured: lamp-1, buzzer)' });
  await t.rejects(hal.serial('scanner'), { code: 'NOT_CONFIGURED', message: 'no serial port named "scanner" in io.serial (configured: printer)' });
  await t.rejects(hal.i2c('temp'), { code: 'NOT_CONFIGURED', message: 'no I2C device named "temp" in io.i2c (configured: rtc)' });
  t.throws(() => hal.sim.press('cat-9'), { code: 'NOT_CONFIGURED' });
  const empty = await createSimHal({ board: 'sim' });
  t.teardown(() => empty.close());
  t.throws(() => empty.input('x'), { message: 'no input named "x" in io.inputs (configured: none)' });
});

t.test('config that cannot work is BAD_CONFIG before anything is opened', async (t) => {
  await t.rejects(createHal({ board: 'rpi-5', io: { inputs: { a: { pin: 17 } }, outputs: { b: { pin: 'P1-11' } } } }), {
    code: 'BAD_CONFIG',
    message: /line 17 is used twice: inputs\.a \(pin 17\) and outputs\.b \(pin "P1-11"\)/,
  });
  await t.rejects(createHal({ board: 'rpi-5', backendOverride: 'sysfs' }), { code: 'BAD_CONFIG', message: 'GPIO backend "sysfs" is not allowed on board rpi-5 (allowed: chardev, sim)' });
  await t.rejects(createHal({ board: 'rpi-6' }), { code: 'BAD_CONFIG', message: /no board "rpi-6"/ });
});

t.test('backendOverride "sim" simulates a Pi board for the demo', async (t) => {
  const hal = await createSimHal({ board: 'rpi-5', io: { inputs: { k: { pin: 'P1-11' } } } });
  t.teardown(() => hal.close());
  t.equal(hal.board, 'rpi-5');
  t.ok(isSimHal(hal));
});

t.test('a Pi 4 on the gpiod tools, with a printer port and an RTC', async (t) => {
  const clock = useFakeTime(t);
  const gpiod = new FakeGpiod({ major: 2, chips: [piHeaderChip('gpiochip0', 'pinctrl-bcm2711', 58), { name: 'gpiochip1', label: 'raspberrypi-exp-gpio', lines: 8 }] });
  gpiod.setInput(17, 1);
  const serial = new VirtualSerialBus();
  serial.createPort('/dev/ttyUSB0');
  const rtc = new SimI2cBus(1);
  rtc.addDevice(0x68, { 0: 0x30 });
  const speech = new FakeRunner(happyTools);
  const runner = (cmd: string, args: readonly string[]) => (cmd.startsWith('gpio') ? gpiod.runner(cmd, args) : speech.run(cmd, args));
  const hal = await createHal({ board: 'rpi-4b', io, deps: { runner, serialBinding: serial.binding, openI2cBus: async () => rtc } });
  t.teardown(() => hal.close());
  t.notOk(isSimHal(hal));
  const changes: boolean[] = [];
  hal.input('cat-1').onChange((a) => changes.push(a));
  gpiod.setInput(17, 0);
  await settle();
  clock.tick(30);
  t.same(changes, [true]);
  await hal.output('buzzer').write(true);
  t.equal(gpiod.driven(18), 1, 'P1-12 is BCM 18');
  t.equal(gpiod.driven(27), 1, 'active-low lamp off = high');
  await hal.speaker().say('请A012号', { lang: 'zh-CN' });
  t.same(speech.argvOf('espeak-ng').at(-1), ['-v', 'cmn-latn-pinyin', '-s', '175', '--stdout', '--stdin'], 'the voice this espeak-ng reads as Mandarin (1.51 here)');
  const results = await hal.selfTest();
  t.same(results.filter((r) => !r.ok && r.name !== 'speaker'), [], 'gpio, serial and i2c all reachable');
  await hal.close();
  await hal.close();
  t.equal(gpiod.monitors().length, 0, 'helpers stopped');
  t.equal(gpiod.driven(18), undefined);
  t.throws(() => hal.input('cat-1'), { code: 'CLOSED' });
});

t.test('nothing there at all: createHal still resolves, and the self-test says why per part', async (t) => {
  const hal = await createHal({
    board: 'rpi-5',
    io: { ...io, speaker: { kind: 'none' } },
    deps: {
      runner: new FakeGpiod({ major: 2, chips: [], missing: true }).runner,
      serialBinding: new VirtualSerialBus().binding,
      // i2c-bus opens without /dev/i2c-1 and fails on the first transfer
      openI2cBus: async () => Object.assign(new SimI2cBus(1), { receiveByte: () => Promise.reject(Object.assign(new Error("ENOENT: no such file or directory, open '/dev/i2c-1'"), { code: 'ENOENT' })) }),
    },
  });
  t.teardown(() => hal.close());
  const results = Object.fromEntries((await hal.selfTest()).map((r) => [r.name, r]));
  t.match(results['input:cat-1'], { ok: false, detail: /gpiomon not found/ });
  t.match(results['output:buzzer'], { ok: false, detail: /gpiomon not found/ });
  t.match(results['serial:printer'], { ok: false, detail: /serial port printer \(\/dev\/ttyUSB0\) could not be opened/ });
  t.match(results['i2c:rtc'], { ok: false, detail: /no \/dev\/i2c-1/ });
  t.match(results['speaker'], { ok: true });
  t.equal(hal.input('cat-1').isActive(), false);
  await t.rejects(hal.output('buzzer').write(true), { code: 'UNAVAILABLE' });
});

t.test('sysfs on an old Pi 4 image: the base is read from the tree given', async (t) => {
  const root = await tempDir(t);
  await mkdir(join(root, 'gpiochip512'));
  for (const [f, v] of Object.entries({ label: 'pinctrl-bcm2711', base: '512', ngpio: '58' })) await writeFile(join(root, 'gpiochip512', f), `${v}\n`);
  const opened: number[] = [];
  const fakeGpio = (n: number): SysfsGpio => {
    opened.push(n);
    return { readSync: () => 1, write: async () => undefined, watch: () => undefined, unwatchAll: () => undefined, unexport: () => undefined };
  };
  const hal = await createHal({ board: 'rpi-4b', backendOverride: 'sysfs', io: { inputs: io.inputs }, deps: { sysfsRoot: root, loadSysfsGpio: async () => fakeGpio } });
  t.teardown(() => hal.close());
  t.same(opened, [529, 534], 'GPIO17 → 529, GPIO22 → 534');
  t.match((await hal.selfTest())[0], { ok: true, data: { base: 512, gpio: 529 } });
});

t.test('native packages are not loaded by the sim or chardev HALs', async (t) => {
  const sim = await createSimHal({ board: 'sim', io });
  await sim.selfTest();
  await sim.close();
  const pi = await createHal({ board: 'rpi-5', io: { inputs: io.inputs }, deps: { runner: new FakeGpiod({ major: 1, chips: [piHeaderChip('gpiochip0', 'pinctrl-rp1', 54)] }).runner } });
  await pi.close();
  const loaded = Object.keys(createRequire(import.meta.url).cache);
  for (const pkg of ['onoff', 'epoll', 'i2c-bus', 'johnny-five', 'firmata-io', 'rpi-led-matrix']) t.notOk(loaded.some((f) => f.includes(`/node_modules/${pkg}/`)), `${pkg} not loaded`);
});

t.test('a listener that throws is reported through onListenerError; the device keeps running', async (t) => {
  const clock = useFakeTime(t);
  const errors: string[] = [];
  const hal = await createSimHal({ board: 'sim', io, onListenerError: (part, err) => errors.push(`${part}: ${(err as Error).message}`) });
  t.teardown(() => hal.close());
  hal.input('door').onChange(() => {
    throw new Error('role bug');
  });
  hal.sim.press('door');
  clock.tick(50);
  t.same(errors, ['input:door: role bug']);
  t.ok(hal.input('door').isActive());
});
