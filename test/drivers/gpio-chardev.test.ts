// The chardev GPIO backend: the gpiod tools' argv and output parsers against their real
// formats (v1.6.3 as installed on Debian 12, v2 from libgpiod master tools/*.c), then the
// backend against a simulated machine with those tools (FakeGpiod), which checks argv the
// way the real tools do and prints their real output lines.
import t from 'tap';
import {
  findLineByName,
  gpiogetArgs,
  gpiomonArgs,
  gpiosetArgs,
  parseGpiodetect,
  parseGpiodVersion,
  parseGpioget,
  parseGpioinfo,
  parseGpiomonLine,
} from '../../drivers/gpio/gpiod-cli.js';
import { ChardevGpioBackend } from '../../drivers/gpio/chardev-backend.js';
import { loadBoard } from '../../boards/index.js';
import { FakeGpiod, piHeaderChip } from '../../simulators/gpiod/fake-gpiod.js';
import { systemClock } from '../../drivers/clock/system-clock.js';
import { globalTimers } from '../../drivers/clock/timers.js';
import type { InputSpec, OutputSpec } from '../../assembly/resolve-io.js';
import { useFakeTime, settle, type Teardown } from './fake-time.js';

t.test('version: v1 and v2 banners', async (t) => {
  t.same(parseGpiodVersion('gpiomon (libgpiod) v1.6.3\nCopyright (C) 2017-2018 Bartosz Golaszewski\nLicense: LGPLv2.1\n'), { major: 1, version: 'v1.6.3' });
  t.same(parseGpiodVersion('gpiomon (libgpiod) v2.1.3\nCopyright (C) 2017-2023 Bartosz Golaszewski\n'), { major: 2, version: 'v2.1.3' });
  t.same(parseGpiodVersion('gpiomon (libgpiod) v2.2-rc1\n'), { major: 2, version: 'v2.2-rc1' });
  t.equal(parseGpiodVersion('command not found'), undefined);
});

t.test('gpiodetect lines', async (t) => {
  const out = 'gpiochip0 [pinctrl-rp1] (54 lines)\ngpiochip10 [gpio-brcmstb@107d508500] (32 lines)\ngpiochip11 [gpio-brcmstb@107d508520] (4 lines)\n';
  t.same(parseGpiodetect(out), [
    { name: 'gpiochip0', label: 'pinctrl-rp1', lines: 54 },
    { name: 'gpiochip10', label: 'gpio-brcmstb@107d508500', lines: 32 },
    { name: 'gpiochip11', label: 'gpio-brcmstb@107d508520', lines: 4 },
  ]);
});

t.test('gpioinfo in both layouts, and finding a chip by line name', async (t) => {
  const v1 = 'gpiochip0 - 58 lines:\n\tline   0:     "ID_SDA"       unused   input  active-high \n\tline  17:     "GPIO17"       unused   input  active-high \n\tline  18:      unnamed       unused   input  active-high \n';
  const v2 = 'gpiochip0 - 8 lines:\n\tline   0:\tunnamed         \tinput\ngpiochip4 - 54 lines:\n\tline  17:\t"GPIO17"        \tinput consumer="halld"\n';
  t.same(findLineByName(parseGpioinfo(v1), 'GPIO17'), { chip: 'gpiochip0', offset: 17 });
  t.same(findLineByName(parseGpioinfo(v2), 'GPIO17'), { chip: 'gpiochip4', offset: 17 });
  t.equal(parseGpioinfo(v1).get('gpiochip0')?.has(18), false, 'unnamed lines carry no name');
  t.equal(findLineByName(parseGpioinfo(v2), 'GPIO99'), undefined);
});

t.test('gpiomon event lines, v1 and v2', async (t) => {
  t.same(parseGpiomonLine('event:  RISING EDGE offset: 17 timestamp: [     123.456789012]'), { offset: 17, level: 1 });
  t.same(parseGpiomonLine('event: FALLING EDGE offset: 4 timestamp: [1700000000.000000001]'), { offset: 4, level: 0 });
  t.same(parseGpiomonLine('1700000000.123456789\trising\tgpiochip0 17 "GPIO17"'), { offset: 17, level: 1 });
  t.same(parseGpiomonLine('12.000000100\tfalling\tgpiochip4 22'), { offset: 22, level: 0 }, 'unnamed line: chip and offset only');
  t.equal(parseGpiomonLine('Monitoring line 17...'), undefined);
  t.equal(parseGpiomonLine(''), undefined);
});

t.test('gpioget output: v1 numbers, v2 name=value', async (t) => {
  t.same(parseGpioget('1 0\n', [17, 22]), [1, 0]);
  t.same(parseGpioget('"17"=active "22"=inactive\n', [17, 22]), [1, 0]);
  t.equal(parseGpioget('1\n', [17, 22]), undefined, 'a count mismatch is not trusted');
});

t.test('argv per major: v1 positional chip, v2 -c/-e, bias spelled per major', async (t) => {
  t.same(gpiomonArgs(1, 'gpiochip0', [17], 'up'), ['--line-buffered', '--bias=pull-up', 'gpiochip0', '17']);
  t.same(gpiomonArgs(2, 'gpiochip0', [17, 22]), ['--consumer=halld', '-c', 'gpiochip0', '-e', 'both', '17', '22']);
  t.same(gpiomonArgs(1, 'gpiochip0', [17], 'none'), ['--line-buffered', '--bias=disable', 'gpiochip0', '17']);
  t.same(gpiomonArgs(2, 'gpiochip0', [17], 'none'), ['--consumer=halld', '--bias=disabled', '-c', 'gpiochip0', '-e', 'both', '17']);
  t.same(gpiogetArgs(2, 'gpiochip4', [5], 'down'), ['--consumer=halld', '--bias=pull-down', '-c', 'gpiochip4', '5']);
  t.same(gpiosetArgs(1, 'gpiochip0', 27, 1), ['--mode=signal', 'gpiochip0', '27=1']);
  t.same(gpiosetArgs(2, 'gpiochip0', 27, 0), ['--consumer=halld', '-c', 'gpiochip0', '27=0']);
});

const button: InputSpec = { name: 'cat-1', pin: 'GPIO17', line: 17, pull: 'up', activeLow: true, debounceMs: 30 };
const door: InputSpec = { name: 'door', pin: 22, line: 22, activeLow: false, debounceMs: 30 };
const led: OutputSpec = { name: 'led', pin: 27, line: 27, activeLow: false, initial: false };
const relay: OutputSpec = { name: 'relay', pin: 5, line: 5, activeLow: true, initial: true };

async function open(t: Teardown, gpiod: FakeGpiod, boardId = 'rpi-4b', inputs = [button, door], outputs = [led, relay]) {
  const board = await loadBoard(boardId);
  const backend = new ChardevGpioBackend({ board, runner: gpiod.runner, ctx: { clock: systemClock, timers: globalTimers, onListenerError: () => undefined }, restartDelayMs: 1000 });
  const parts = await backend.open(inputs, outputs);
  t.teardown(() => parts.close());
  return parts;
}

for (const major of [1, 2] as const) {
  t.test(`libgpiod v${major}: edges through gpiomon become debounced changes`, async (t) => {
    const clock = useFakeTime(t);
    const gpiod = new FakeGpiod({ major, chips: [piHeaderChip('gpiochip0', 'pinctrl-bcm2711', 58)] });
    gpiod.setInput(17, 1); // pull-up, not pressed
    gpiod.setInput(22, 1); // door open at boot
    const parts = await open(t, gpiod);
    const cat = parts.inputs.get('cat-1');
    t.equal(cat?.isActive(), false);
    t.equal(parts.inputs.get('door')?.isActive(), true, 'level at boot read with gpioget, no transition');
    const changes: boolean[] = [];
    cat?.onChange((a) => changes.push(a));
    gpiod.setInput(17, 0);
    gpiod.glitch(17, 1);
    gpiod.glitch(17, 0);
    await settle();
    clock.tick(30);
    t.same(changes, [true], 'a press with bounce = one change');
    gpiod.setInput(17, 1);
    await settle();
    clock.tick(30);
    t.same(changes, [true, false]);
    t.same(
      gpiod.calls.filter((c) => c.command === 'gpiomon' && !c.args.includes('--version')).map((c) => c.args),
      major === 1
        ? [['--line-buffered', '--bias=pull-up', 'gpiochip0', '17'], ['--line-buffered', 'gpiochip0', '22']]
        : [['--consumer=halld', '--bias=pull-up', '-c', 'gpiochip0', '-e', 'both', '17'], ['--consumer=halld', '-c', 'gpiochip0', '-e', 'both', '22']],
      'one gpiomon per bias, in this major\'s syntax',
    );
  });

  t.test(`libgpiod v${major}: outputs are held by gpioset, restarted on change, released on close`, async (t) => {
    const gpiod = new FakeGpiod({ major, chips: [piHeaderChip('gpiochip0', 'pinctrl-bcm2711', 58)] });
    const parts = await open(t, gpiod);
    t.equal(gpiod.driven(27), 0, 'led driven to its initial level');
    t.equal(gpiod.driven(5), 0, 'active-low relay, initial on → line low');
    const out = parts.outputs.get('led');
    await out?.write(true);
    t.equal(gpiod.driven(27), 1);
    await out?.write(true);
    t.same(gpiod.setHistory(27), [0, 1], 'writing the same level again starts nothing');
    await out?.write(false);
    t.same(gpiod.setHistory(27), [0, 1, 0]);
    t.equal(out?.isActive(), false);
    t.ok(out?.health().ok);
    await parts.close();
    t.equal(gpiod.driven(27), undefined, 'line released: no gpioset left');
    t.equal(gpiod.monitors().length, 0, 'no gpiomon left');
  });
}

t.test('v1 gpiomon is run line-buffered, so an event reaches us at once instead of after 4 KiB', async (t) => {
  const gpiod = new FakeGpiod({ major: 1, chips: [piHeaderChip('gpiochip0', 'pinctrl-bcm2711', 58)] });
  gpiod.setInput(17, 1);
  const parts = await open(t, gpiod, 'rpi-4b', [{ ...button, debounceMs: 0 }], []);
  const changes: boolean[] = [];
  parts.inputs.get('cat-1')?.onChange((a) => changes.push(a));
  gpiod.setInput(17, 0);
  await settle();
  t.same(changes, [true], 'the fake holds output back like stdio does unless -b/--line-buffered is given');
});

t.test('Pi 5: the chip is found by label wherever it is numbered', async (t) => {
  const gpiod = new FakeGpiod({ major: 2, chips: [{ name: 'gpiochip0', label: 'gpio-brcmstb@107d508500', lines: 32 }, piHeaderChip('gpiochip4', 'pinctrl-rp1', 54)] });
  const parts = await open(t, gpiod, 'rpi-5', [button], [led]);
  t.equal(parts.inputs.get('cat-1')?.health().data?.['chip'], 'gpiochip4');
  t.equal(gpiod.driven(27, 'gpiochip4'), 0);
});

t.test('no chip with the label: found by the line named GPIO17', async (t) => {
  const gpiod = new FakeGpiod({ major: 2, chips: [{ name: 'gpiochip0', label: 'foo', lines: 8 }, piHeaderChip('gpiochip2', 'renamed-by-a-future-kernel', 54)] });
  gpiod.setInput(17, 1, 'gpiochip2'); // pulled up: not pressed
  const parts = await open(t, gpiod, 'rpi-5', [button], []);
  t.same(parts.inputs.get('cat-1')?.health(), { ok: true, data: { line: 17, active: false, edges: 0, backend: 'chardev', chip: 'gpiochip2', gpiod: 'v2.1.3', pid: gpiod.monitors()[0]?.pid } });
  t.ok(gpiod.calls.some((c) => c.command === 'gpioinfo'));
});

t.test('no such chip, or no tools: every part fails with the reason, nothing throws', async (t) => {
  const noChip = new FakeGpiod({ major: 1, chips: [{ name: 'gpiochip0', label: 'foo', lines: 8 }] });
  const parts = await open(t, noChip, 'rpi-5');
  const health = parts.inputs.get('cat-1')?.health();
  t.equal(health?.ok, false);
  t.match(health?.detail, /no GPIO chip labelled "pinctrl-rp1" or with a line named "GPIO17" for board rpi-5 \(gpiodetect lists: gpiochip0 \[foo\]\)/);
  await t.rejects(parts.outputs.get('led')?.write(true) ?? Promise.resolve(), { code: 'UNAVAILABLE' });
  t.equal(parts.inputs.get('cat-1')?.isActive(), false);

  const missing = new FakeGpiod({ major: 2, chips: [], missing: true });
  const none = await open(t, missing);
  t.match(none.outputs.get('relay')?.health().detail, /gpiomon not found: install the gpiod tools \(apt install gpiod\)/);
});

t.test('a line taken by another process: the output says so in its health', async (t) => {
  const gpiod = new FakeGpiod({ major: 2, chips: [piHeaderChip('gpiochip0', 'pinctrl-bcm2711', 58)] });
  gpiod.claimElsewhere(27);
  const parts = await open(t, gpiod, 'rpi-4b', [], [led]);
  await settle();
  t.match(parts.outputs.get('led')?.health().detail, /gpioset exited \(code 1\): gpioset: unable to request lines on chip '\/dev\/gpiochip0': Device or resource busy/);
});

t.test('gpiomon dying is a fault, then it is restarted and a change missed meanwhile is reported', async (t) => {
  const clock = useFakeTime(t);
  const gpiod = new FakeGpiod({ major: 2, chips: [piHeaderChip('gpiochip0', 'pinctrl-bcm2711', 58)] });
  gpiod.setInput(17, 1);
  const parts = await open(t, gpiod, 'rpi-4b', [button], []);
  const cat = parts.inputs.get('cat-1');
  const changes: boolean[] = [];
  cat?.onChange((a) => changes.push(a));
  const first = gpiod.monitors()[0];
  first?.printError('gpiomon: error reading line events: No such device\n');
  first?.exit(1);
  await settle();
  t.match(cat?.health(), { ok: false, detail: 'gpiomon exited (code 1): gpiomon: error reading line events: No such device' });
  gpiod.setInput(17, 0); // pressed while nobody watched
  clock.tick(1000); // restart delay
  await settle();
  t.equal(gpiod.monitors().length, 1, 'a new gpiomon runs');
  t.not(gpiod.monitors()[0], first);
  t.equal(cat?.health().ok, true, 'fault cleared');
  clock.tick(30);
  t.same(changes, [true], 'the missed press is reported once, through the debounce');
});
