// The register-level MCP23017 simulator on its own: the datasheet behaviour the driver tests rely on.
import t from 'tap';
import { SimI2cBus } from '../../simulators/i2c/sim-i2c-bus.js';
import { SimMcp23017 } from '../../simulators/mcp23017/sim-mcp23017.js';
import { IOCON, REG } from '../../drivers/mcp23017/registers.js';

const A = 0x27;
function rig() {
  const bus = new SimI2cBus(1);
  const chip = new SimMcp23017();
  bus.addChip(A, chip);
  return { bus, chip };
}

t.test('power-on: every pin an input, undriven pins read low, pull-ups read high', async (t) => {
  const { bus, chip } = rig();
  t.same([await bus.readByte(A, REG.IODIRA), await bus.readByte(A, REG.IODIRA + 1)], [0xff, 0xff]);
  t.equal(await bus.readByte(A, REG.GPIOA), 0);
  await bus.writeByte(A, REG.GPPUA, 0x81);
  t.equal(await bus.readByte(A, REG.GPIOA), 0x81);
  chip.drive('A7', 0);
  t.equal(await bus.readByte(A, REG.GPIOA), 0x01, 'a driven pin beats its pull-up');
});

t.test('sequential addressing wraps after 0x15; IOCON.SEQOP toggles within the A/B pair', async (t) => {
  const { bus } = rig();
  await bus.writeI2cBlock(A, 0x14, 3, Buffer.from([0x11, 0x22, 0x33]));
  t.same([await bus.readByte(A, REG.OLATA), await bus.readByte(A, REG.OLATA + 1)], [0x11, 0x22]);
  t.equal(await bus.readByte(A, REG.IODIRA), 0x33, 'the third byte wrapped to IODIRA');
  await bus.writeByte(A, REG.IOCON, IOCON.SEQOP);
  await bus.writeI2cBlock(A, REG.GPPUA, 3, Buffer.from([0x01, 0x02, 0x03]));
  t.same([await bus.readByte(A, REG.GPPUA), await bus.readByte(A, REG.GPPUA + 1), await bus.readByte(A, REG.INTFA)], [0x03, 0x02, 0], 'A, B, A again');
  t.equal(await bus.readByte(A, REG.IOCON + 1), IOCON.SEQOP, 'IOCON answers at both addresses');
  await t.rejects(bus.writeByte(A, REG.IOCON, IOCON.BANK), /BANK = 1/, 'the other bank layout is refused, not faked');
});

t.test('GPIO: inputs through IPOL, outputs from OLAT; writes to GPIO go to OLAT; INTF/INTCAP are read-only', async (t) => {
  const { bus, chip } = rig();
  await bus.writeByte(A, REG.IODIRA, 0x0f); // A0-A3 in, A4-A7 out
  await bus.writeByte(A, REG.IPOLA, 0xff);
  chip.drive('A0', 1);
  await bus.writeByte(A, REG.GPIOA, 0x50);
  t.equal(chip.output('A4'), 1);
  t.equal(chip.output('A5'), 0);
  t.equal(chip.output('A0'), undefined);
  t.equal(await bus.readByte(A, REG.GPIOA), 0x50 | 0x0e, 'outputs as latched, inputs inverted (IPOL acts on inputs only)');
  await bus.writeByte(A, REG.INTFA, 0xff);
  t.equal(await bus.readByte(A, REG.INTFA), 0);
});

t.test('interrupt on change: INT follows INTPOL, INTCAP holds the first capture, reading GPIO or INTCAP clears it', async (t) => {
  const { bus, chip } = rig();
  const levels: number[] = [];
  chip.onInterrupt((l) => levels.push(l));
  await bus.writeByte(A, REG.GPINTENA + 1, 0x01); // B0
  chip.drive('B0', 1);
  t.equal(chip.interruptLevel(), 0, 'active-low by default');
  chip.drive('B0', 0);
  t.equal(await bus.readByte(A, REG.INTFA + 1), 0x01);
  t.equal(await bus.readByte(A, REG.INTCAPA + 1), 0x01, 'the port when it fired');
  t.equal(chip.interruptLevel(), 1, 'reading INTCAP cleared it');
  chip.drive('B0', 1);
  t.equal(chip.interruptLevel(), 0);
  await bus.readByte(A, REG.GPIOA + 1);
  t.equal(chip.interruptLevel(), 1, 'reading GPIO cleared it');
  await bus.writeByte(A, REG.IOCON, IOCON.INTPOL);
  chip.drive('B0', 0);
  t.equal(chip.interruptLevel(), 1, 'INTPOL: active-high');
  t.same(levels.slice(0, 4), [0, 1, 0, 1]);
  chip.drive('A3', 1);
  t.equal(await bus.readByte(A, REG.INTFA), 0, 'a pin without GPINTEN does not interrupt');
});

t.test('INTCON = 1 compares with DEFVAL and keeps interrupting while the pin differs', async (t) => {
  const { bus, chip } = rig();
  await bus.writeI2cBlock(A, REG.GPINTENA, 6, Buffer.from([0x02, 0, 0x00, 0, 0x02, 0]));
  chip.drive('A1', 1);
  t.equal(chip.interruptLevel(), 0);
  await bus.readByte(A, REG.GPIOA);
  t.equal(chip.interruptLevel(), 0, 'still unlike DEFVAL: raised again');
  chip.drive('A1', 0);
  await bus.readByte(A, REG.GPIOA);
  t.equal(chip.interruptLevel(), 1);
});

t.test('reset() is a power cycle; a NACKed chip is the bus\'s fault injection', async (t) => {
  const { bus, chip } = rig();
  await bus.writeByte(A, REG.IODIRA, 0x00);
  await bus.writeByte(A, REG.OLATA, 0xff);
  chip.reset();
  t.equal(chip.output('A0'), undefined);
  t.equal(await bus.readByte(A, REG.OLATA), 0);
  bus.nack(A, 1);
  await t.rejects(bus.readByte(A, REG.GPIOA), { code: 'EREMOTEIO' });
  t.equal(await bus.readByte(A, REG.IODIRA), 0xff);
});

t.test('a listener that drives a pin while hearing an output change is heard once per change (relay opens a door whose switch is on the chip)', async (t) => {
  const { bus, chip } = rig();
  await bus.writeByte(A, REG.IODIRA, 0xfe); // A0 out
  const heard: string[] = [];
  chip.onOutput((pin, level) => {
    heard.push(`${pin}=${level}`);
    if (pin === 'A0') chip.drive('B0', level === 1 ? 0 : 1);
  });
  await bus.writeByte(A, REG.OLATA, 0x01);
  await bus.writeByte(A, REG.OLATA, 0x00);
  t.same(heard, ['A0=1', 'A0=0']);
  t.equal(await bus.readByte(A, REG.GPIOA + 1), 0x01);
});
