// The MCP23017 driver against the register-level simulator: set-up registers, outputs through
// the OLAT shadow, inputs by polling and by interrupt, and every fault path.
import t from 'tap';
import { HalError } from '../../../drivers/hal/hal-error.js';
import { REG } from '../../../drivers/mcp23017/registers.js';
import { VERIFY_EVERY_POLLS } from '../../../drivers/mcp23017/mcp23017-expander.js';
import { ADDRESS, POLL_MS, expanderRig, input, output } from './rig.js';

const writes = (r: { bus: { transfers: Array<{ op: string; register?: number; bytes: number[]; nack?: boolean }> } }) =>
  r.bus.transfers.filter((x) => (x.op === 'writeByte' || x.op === 'writeBlock') && !x.nack).map((x) => [x.register, ...x.bytes]);

t.test('open: mirrored INT, latch before direction, pull-ups, no inversion, interrupt-on-change for the inputs', async (t) => {
  const r = await expanderRig(t, {
    inputs: [input('key', 0), input('door', 9, { pull: 'none' })],
    outputs: [output('lamp', 1, { initial: true }), output('relay', 15), output('buzzer', 8, { activeLow: true })],
  });
  t.same(writes(r), [
    [REG.IOCON, 0x40],
    [REG.OLATA, 0x02, 0x01], // lamp on (A1 high), buzzer off = high (active-low B0), relay low
    [REG.IPOLA, 0, 0],
    [REG.GPPUA, 0x01, 0x00],
    [REG.GPINTENA, 0x01, 0x02, 0, 0, 0, 0],
    [REG.IODIRA, 0xfd, 0x7e],
  ]);
  t.equal(r.chip.output('A1'), 1);
  t.equal(r.chip.output('B0'), 1);
  t.equal(r.chip.output('B7'), 0);
  t.equal(r.chip.output('A0'), undefined, 'an input pin is not driven');
  t.same(r.chip.outputChanges, [{ pin: 'A1', level: 1 }, { pin: 'B0', level: 1 }, { pin: 'B7', level: 0 }], 'each output appears once, at its initial level');
  t.equal(r.expander.inputs.get('key')?.isActive(), false, 'pulled up, not pressed');
  t.ok(r.expander.health().ok);
});

t.test('a write changes its own pin only, from the shadow, never reading the chip back', async (t) => {
  const r = await expanderRig(t, { outputs: [output('lamp', 1, { initial: true }), output('led', 2), output('relay', 12)] });
  r.bus.transfers.length = 0;
  r.chip.outputChanges.length = 0;
  const led = r.expander.outputs.get('led')!;
  await led.write(true);
  await r.expander.outputs.get('relay')!.write(true);
  await led.write(false);
  t.same(r.chip.outputChanges, [{ pin: 'A2', level: 1 }, { pin: 'B4', level: 1 }, { pin: 'A2', level: 0 }], 'the lamp never flickers');
  t.same(
    r.bus.transfers.map((x) => [x.op, x.register, ...x.bytes]),
    [
      ['writeByte', REG.OLATA, 0x06],
      ['writeByte', REG.OLATA + 1, 0x10],
      ['writeByte', REG.OLATA, 0x02],
    ],
    'one OLAT byte per write, no read-modify-write on the wire',
  );
  t.equal(led.isActive(), false);
});

t.test('writes to the GPIO register land in OLAT on the chip too (the datasheet rule the simulator keeps)', async (t) => {
  const r = await expanderRig(t, { outputs: [output('led', 3)] });
  await r.bus.writeByte(ADDRESS, REG.GPIOA, 0x08);
  t.equal(r.chip.output('A3'), 1);
  t.equal(r.chip.registers[REG.OLATA], 0x08);
});

t.test('inputs by polling: a press is seen at the next poll and debounced from there', async (t) => {
  const r = await expanderRig(t, { inputs: [input('key', 5)] });
  const key = r.expander.inputs.get('key')!;
  const changes: boolean[] = [];
  key.onChange((active) => changes.push(active));
  r.chip.drive('A5', 0);
  await r.tick(POLL_MS);
  t.same(changes, [], 'seen, still inside the debounce window');
  await r.tick(30);
  t.same(changes, [true]);
  r.chip.drive('A5', undefined); // released: the pull-up lifts it
  await r.tick(POLL_MS + 30);
  t.same(changes, [true, false]);
  t.equal(key.isActive(), false);
});

t.test('inputs by interrupt: INTF and INTCAP are read at once, so a pulse shorter than the read is not lost', async (t) => {
  const r = await expanderRig(t, { inputs: [input('key', 2, { debounceMs: 0 }), input('other', 10, { debounceMs: 0 })], interrupt: true });
  const changes: boolean[] = [];
  r.expander.inputs.get('key')!.onChange((active) => changes.push(active));
  const other: boolean[] = [];
  r.expander.inputs.get('other')!.onChange((active) => other.push(active));
  r.bus.transfers.length = 0;
  r.chip.drive('A2', 0);
  r.chip.drive('A2', 1); // back up before anyone could read GPIO
  t.equal(r.chip.interruptLevel(), 0, 'INT asserted (active-low)');
  await r.tick(0);
  await r.tick(1);
  t.same(changes, [true, false], 'the captured low, then the level now');
  t.same(other, [], 'a pin that did not interrupt is not touched');
  t.equal(r.chip.interruptLevel(), 1, 'reading INTCAP/GPIO released INT');
  t.same(r.bus.transfers.slice(0, 2).map((x) => [x.op, x.register, x.bytes.length]), [
    ['readBlock', REG.INTFA, 4],
    ['readBlock', REG.GPIOA, 2],
  ]);
});

t.test('a read failure marks every pin faulty, writes reject with HalError IO, and both recover when the chip answers', async (t) => {
  const r = await expanderRig(t, { inputs: [input('key', 0)], outputs: [output('lamp', 8)] });
  const key = r.expander.inputs.get('key')!;
  const lamp = r.expander.outputs.get('lamp')!;
  r.bus.nack(ADDRESS);
  await r.tick(POLL_MS);
  t.match(key.health(), { ok: false, detail: /expander exp1 \(I2C bus 1, 0x20\) does not answer: .*EREMOTEIO/ });
  t.match(lamp.health(), { ok: false });
  const err = await lamp.write(true).catch((e: unknown) => e);
  t.ok(err instanceof HalError && err.code === 'IO', 'HalError IO');
  t.equal(lamp.isActive(), false, 'a failed write is not the level');
  r.chip.reset(); // it lost power meanwhile: every register at its power-on value
  r.chip.drive('A0', 0);
  r.bus.nack(ADDRESS, 0);
  const changes: boolean[] = [];
  key.onChange((a) => changes.push(a));
  await r.tick(POLL_MS + 30);
  t.ok(key.health().ok, 'recovered');
  t.ok(r.expander.health().ok);
  t.equal(r.chip.registers[REG.IODIRA + 1], 0xfe, 'set up again: B0 an output');
  t.equal(r.chip.registers[REG.GPPUA], 0x01, 'pull-up back');
  t.same(changes, [true], 'the press made during the outage is reported once the chip answers');
  await lamp.write(true);
  t.equal(r.chip.output('B0'), 1);
});

t.test('a failed write leaves the shadow as it was: the next write does not carry it', async (t) => {
  const r = await expanderRig(t, { outputs: [output('a', 0), output('b', 1)] });
  r.bus.nack(ADDRESS, 1);
  await t.rejects(r.expander.outputs.get('a')!.write(true), { code: 'IO' });
  await r.expander.outputs.get('b')!.write(true);
  t.equal(r.chip.output('A0'), 0, 'the refused level never reaches the pin later');
  t.equal(r.chip.output('A1'), 1);
});

t.test('a chip that reset without an I2C error is noticed by the periodic check and set up again', async (t) => {
  const r = await expanderRig(t, { outputs: [output('relay', 4, { initial: true })] });
  r.chip.reset();
  t.equal(r.chip.output('A4'), undefined, 'after the reset the pin floats');
  await r.tick(POLL_MS * VERIFY_EVERY_POLLS);
  t.equal(r.chip.output('A4'), 1, 'driven again at the level last written');
});

t.test('a chip absent at open: open resolves, pins are faulty, and it comes up when plugged in', async (t) => {
  const r = await expanderRig(t, { inputs: [input('key', 0)], outputs: [output('lamp', 1, { initial: true })], absent: true });
  t.match(r.expander.inputs.get('key')!.health(), { ok: false });
  r.chip.drive('A0', 0);
  r.bus.addChip(ADDRESS, r.chip);
  const changes: boolean[] = [];
  r.expander.inputs.get('key')!.onChange((a) => changes.push(a));
  await r.tick(POLL_MS);
  t.ok(r.expander.inputs.get('key')!.health().ok);
  t.equal(r.expander.inputs.get('key')!.isActive(), true, 'the level found at first contact is the starting level');
  t.same(changes, [], 'no transition for it');
  t.equal(r.chip.output('A1'), 1);
});

t.test('close stops the polling and releases the device', async (t) => {
  const r = await expanderRig(t, { inputs: [input('key', 0)] });
  await r.expander.close();
  const count = r.bus.transfers.length;
  await r.tick(POLL_MS * 3);
  t.equal(r.bus.transfers.length, count);
  t.match(r.expander.health(), { ok: false, detail: 'closed' });
});
