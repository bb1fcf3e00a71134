// Board definitions (boards/*.json) and what is resolved against them: the io section's
// schema and defaults (assembly/config.ts), pins to lines, and the line-used-twice checks.
import t from 'tap';
import { defaultBoardsDir, listBoards, loadBoard, parseBoard } from '../../boards/index.js';
import { BoardSchema, IoConfigError, IoConfigSchema, parseIoConfig, resolveIo, resolvePin } from '../../assembly/config.js';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { tempDir } from '../../testkit/temp.js';

t.test('every shipped board loads, validates and says its backend', async (t) => {
  const boards = await listBoards();
  t.same(
    boards.map((b) => [b.id, b.backend]),
    [
      ['arduino-firmata', 'firmata'],
      ['cm4', 'chardev'],
      ['rpi-4b', 'chardev'],
      ['rpi-5', 'chardev'],
      ['sim', 'sim'],
    ],
  );
});

t.test('Pi boards: chip labels, sysfs only where it works, one 40-pin header', async (t) => {
  const [pi4, cm4, pi5, sim] = await Promise.all(['rpi-4b', 'cm4', 'rpi-5', 'sim'].map((id) => loadBoard(id)));
  t.equal(pi4?.gpio.chipLabel, 'pinctrl-bcm2711');
  t.equal(cm4?.gpio.chipLabel, 'pinctrl-bcm2711');
  t.equal(pi5?.gpio.chipLabel, 'pinctrl-rp1');
  t.equal(pi5?.gpio.chipByLineName, 'GPIO17');
  t.ok(pi4?.gpio.allowedBackends.includes('sysfs'), 'Pi 4 may use sysfs');
  t.ok(cm4?.gpio.allowedBackends.includes('sysfs'), 'CM4 may use sysfs');
  t.notOk(pi5?.gpio.allowedBackends.includes('sysfs'), 'Pi 5 may not (edge interrupts do not fire)');
  t.same(pi5?.header, pi4?.header, 'same header map');
  t.same(sim?.header, pi4?.header, 'the sim board mimics the Pi header');
  t.equal(pi4?.header['P1-11'], 17);
  t.equal(pi4?.header['P1-40'], 21);
  t.equal(pi4?.header['P1-6'], 'GND');
  const gpioPins = Object.values(pi4?.header ?? {}).filter((v) => typeof v === 'number');
  t.equal(gpioPins.length, 28, 'lines 0-27 each appear once on the header');
  t.equal(new Set(gpioPins).size, 28);
  t.equal(pi4?.i2c.defaultBus, 1);
});

t.test('the Arduino board names Arduino pins and its Firmata port', async (t) => {
  const uno = await loadBoard('arduino-firmata');
  t.equal(uno.header['D2'], 2);
  t.equal(uno.header['A0'], 14);
  t.same(uno.firmata, { path: '/dev/ttyACM0', baudRate: 57600, readyTimeoutMs: 10000 });
});

t.test('unknown, malformed and mismatched board files give errors naming them', async (t) => {
  const dir = await tempDir(t);
  await t.rejects(loadBoard('rpi-3'), { code: 'BAD_CONFIG', message: /no board "rpi-3" in .*known boards: arduino-firmata, cm4, rpi-4b, rpi-5, sim/ });
  await t.rejects(loadBoard('../etc/passwd'), { code: 'BAD_CONFIG', message: /not valid/ }, 'an id is never a path');
  await writeFile(join(dir, 'broken.json'), '{ "id": ');
  await t.rejects(loadBoard('broken', { dir }), { code: 'BAD_CONFIG', message: /broken\.json is not JSON/ });
  const sim = JSON.parse(await readFile(join(defaultBoardsDir(), 'sim.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(join(dir, 'other.json'), JSON.stringify(sim));
  await t.rejects(loadBoard('other', { dir }), { message: /says id "sim"/ });
  await writeFile(join(dir, 'bad.json'), JSON.stringify({ ...sim, id: 'bad', gpio: { backend: 'sysfs', allowedBackends: ['sysfs'], lines: { first: 0, last: 27 } } }));
  await t.rejects(loadBoard('bad', { dir }), { message: /chipLabel or chipByLineName/ });
});

t.test('a new board is a data file: drop it in a folder and it loads', async (t) => {
  const dir = await tempDir(t);
  const pi4 = JSON.parse(await readFile(join(defaultBoardsDir(), 'rpi-4b.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(join(dir, 'rpi-400.json'), JSON.stringify({ ...pi4, id: 'rpi-400', name: 'Raspberry Pi 400' }));
  t.same(await listBoards({ dir }), [{ id: 'rpi-400', name: 'Raspberry Pi 400', backend: 'chardev' }]);
});

t.test('board checks beyond the schema', async (t) => {
  const base = await loadBoard('sim');
  t.throws(() => parseBoard({ ...base, header: { 'P1-99': 40 } }, 'x'), { message: /P1-99: line 40 is outside the GPIO lines 0-27/ });
  t.throws(() => parseBoard({ ...base, gpio: { ...base.gpio, backend: 'firmata' } }, 'x'), { message: /not in allowedBackends/ });
  t.throws(() => parseBoard({ ...base, extra: 1 }, 'x'), { message: /Unexpected property/ });
});

t.test('boards/board.schema.json is generated from BoardSchema', async (t) => {
  const file = JSON.parse(await readFile(join(defaultBoardsDir(), 'board.schema.json'), 'utf8')) as unknown;
  t.same(file, JSON.parse(JSON.stringify(BoardSchema)), 'regenerate with JSON.stringify(BoardSchema) if this fails');
});

t.test('parseIoConfig fills defaults inside every part', async (t) => {
  const io = parseIoConfig({
    inputs: { 'cat-1': { pin: 17 } },
    outputs: { led: { pin: 'GPIO27' } },
    serial: { printer: { path: '/dev/ttyUSB0' } },
    i2c: { rtc: { address: 0x68 } },
  });
  t.same(io.inputs?.['cat-1'], { pin: 17, activeLow: false, debounceMs: 30 });
  t.same(io.outputs?.['led'], { pin: 'GPIO27', activeLow: false, initial: false });
  t.same(io.serial?.['printer'], { path: '/dev/ttyUSB0', baudRate: 9600 });
  t.same(parseIoConfig(undefined), { inputs: {}, outputs: {}, serial: {}, i2c: {}, printers: {}, scanners: {}, lockBoards: {}, expanders: {}, matrices: {}, displays: {}, idCardReaders: {} }, 'an absent io section is empty');
});

t.test('parseIoConfig lists every problem with its path', async (t) => {
  const err = t.throws(() =>
    parseIoConfig({
      inputs: { Cat_1: { pin: 17 }, ok: { pin: 17, pull: 'sideways' } },
      i2c: { rtc: { address: 0x90 } },
      speakers: {},
    }),
  ) as IoConfigError;
  t.ok(err instanceof IoConfigError);
  t.equal(err.code, 'BAD_CONFIG');
  const text = err.issues.join('\n');
  t.match(text, /io\.inputs: part name "Cat_1" must be 1-32 characters of a-z 0-9 -/);
  t.match(text, /io\.inputs\.ok\.pull/);
  t.match(text, /io\.i2c\.rtc\.address/);
  t.match(text, /io\.speakers: Unexpected property/);
});

t.test('IoConfigSchema is a plain JSON Schema the lead can embed', async (t) => {
  const json = JSON.parse(JSON.stringify(IoConfigSchema)) as { properties: Record<string, unknown>; default: unknown };
  t.same(Object.keys(json.properties).sort(), ['displays', 'expanders', 'firmata', 'i2c', 'idCardReaders', 'inputs', 'lockBoards', 'matrices', 'outputs', 'printers', 'scanners', 'serial', 'speaker']);
  t.same(json.default, {}, 'the whole section may be left out');
});

t.test('resolvePin: numbers, GPIO names and header pins map to the same line', async (t) => {
  const pi5 = await loadBoard('rpi-5');
  t.equal(resolvePin(pi5, 17), 17);
  t.equal(resolvePin(pi5, 'GPIO17'), 17);
  t.equal(resolvePin(pi5, 'gpio17'), 17, 'case does not matter');
  t.equal(resolvePin(pi5, 'BCM17'), 17);
  t.equal(resolvePin(pi5, 'P1-11'), 17);
  t.equal(resolvePin(pi5, 'p1-11'), 17);
  const uno = await loadBoard('arduino-firmata');
  t.equal(resolvePin(uno, 'D7'), 7);
  t.equal(resolvePin(uno, 'A0'), 14);
});

t.test('resolvePin errors name the pin and the board, and say why', async (t) => {
  const pi4 = await loadBoard('rpi-4b');
  t.throws(() => resolvePin(pi4, 'P1-2'), { code: 'BAD_CONFIG', message: 'pin "P1-2" on board rpi-4b: header pin P1-2 is a 5V pin, not a GPIO line' });
  t.throws(() => resolvePin(pi4, 'P1-41'), { message: /pin "P1-41" on board rpi-4b: not a known pin; use a line number like 2, "GPIO2", or a header pin like "P1-3"/ });
  t.throws(() => resolvePin(pi4, 40), { message: 'pin 40 on board rpi-4b: line 40 does not exist (GPIO lines 0-27)' });
  t.throws(() => resolvePin(pi4, 'GPIO1'), { message: /pin "GPIO1" on board rpi-4b: line 1 is reserved: ID_SC/ });
  t.throws(() => resolvePin(pi4, '17'), { message: /"17" on board rpi-4b: a number in quotes is ambiguous; write 17 \(no quotes\) for line 17/ });
  const uno = await loadBoard('arduino-firmata');
  t.throws(() => resolvePin(uno, 'GPIO17'), { message: /pin "GPIO17" on board arduino-firmata: not a known pin/ });
});

t.test('resolveIo resolves pins and fills the board defaults', async (t) => {
  const pi4 = await loadBoard('rpi-4b');
  const io = resolveIo(
    pi4,
    parseIoConfig({ inputs: { 'cat-1': { pin: 'P1-11', pull: 'up', activeLow: true } }, outputs: { led: { pin: 27, initial: true } }, i2c: { rtc: { address: 0x68 } }, serial: { scanner: { path: '/dev/ttyACM0', baudRate: 115200 } } }),
  );
  t.same(io.inputs, [{ name: 'cat-1', pin: 'P1-11', line: 17, pull: 'up', activeLow: true, debounceMs: 30 }]);
  t.same(io.outputs, [{ name: 'led', pin: 27, line: 27, activeLow: false, initial: true }]);
  t.same(io.i2c, [{ name: 'rtc', bus: 1, address: 0x68 }], 'bus from the board');
  t.same(io.serial, [{ name: 'scanner', path: '/dev/ttyACM0', baudRate: 115200 }]);
});

t.test('one line used twice is an error naming both parts', async (t) => {
  const pi4 = await loadBoard('rpi-4b');
  const err = t.throws(() => resolveIo(pi4, parseIoConfig({ inputs: { 'cat-1': { pin: 'GPIO17' } }, outputs: { led: { pin: 'P1-11' } } }))) as IoConfigError;
  t.same(err.issues, ['line 17 is used twice: inputs.cat-1 (pin "GPIO17") and outputs.led (pin "P1-11")']);
});

t.test('bus pins and shared ports are cross-checked too', async (t) => {
  const pi4 = await loadBoard('rpi-4b');
  const err = t.throws(() =>
    resolveIo(
      pi4,
      parseIoConfig({
        i2c: { rtc: { address: 0x68 }, clock: { address: 0x68 } },
        inputs: { sda: { pin: 2 }, bad: { pin: 'P1-1' } },
        serial: { a: { path: '/dev/serial0' }, b: { path: '/dev/serial0' } },
        outputs: { tx: { pin: 14 } },
      }),
    ),
  ) as IoConfigError;
  t.same(err.issues, [
    'i2c.rtc and i2c.clock both use address 0x68 on I2C bus 1',
    'serial.a and serial.b both use serial port /dev/serial0',
    'line 2 is used twice: I2C bus 1 SDA (used by i2c.rtc) and inputs.sda (pin 2)',
    'inputs.bad: pin "P1-1" on board rpi-4b: header pin P1-1 is a 3V3 pin, not a GPIO line',
    'line 14 is used twice: /dev/serial0 TX (used by serial.a) and outputs.tx (pin 14)',
  ]);
  const uno = await loadBoard('arduino-firmata');
  t.throws(() => resolveIo(uno, parseIoConfig({ i2c: { rtc: { address: 0x68 } } })), { message: /i2c\.rtc: no bus given and board arduino-firmata has no default I2C bus/ });
});

t.test('HALLD_BOARDS_DIR points an install at another folder of board files', async (t) => {
  const dir = await tempDir(t);
  const before = process.env['HALLD_BOARDS_DIR'];
  process.env['HALLD_BOARDS_DIR'] = dir;
  t.teardown(() => {
    if (before === undefined) delete process.env['HALLD_BOARDS_DIR'];
    else process.env['HALLD_BOARDS_DIR'] = before;
  });
  t.equal(defaultBoardsDir(), dir);
  await t.rejects(loadBoard('sim'), { message: /no board "sim" in .* \(known boards: none\)/ });
});
