// One record per side names every lock-board family (docs/architecture.md, "Adding a lock-board
// family"): the driver's and the simulators' records are typed by the HAL's union, so a missing
// entry does not compile; this checks what the compiler cannot: both name the same families,
// the io schema accepts exactly those (and "gpio"), and each entry is self-consistent.
import t from 'tap';
import { Value } from '@sinclair/typebox/value';
import { LOCK_BOARD_FAMILIES, SERIAL_LOCK_BOARD_PROTOCOLS } from '../../../drivers/lock-board/families.js';
import { DEFAULT_BAUD_RATE_BY_PROTOCOL, LockBoardConfigSchema, lockBoardRangeProblems } from '../../../drivers/lock-board/config.js';
import { SIM_LOCK_BOARD_FAMILIES } from '../../../simulators/lock-board/families.js';
import { AnyLockBoardConfigSchema } from '../../../assembly/io-schema.js';
import { FAMILIES } from './rig.js';

t.test('the driver and the simulators name the same families, and the tests run them all', async (t) => {
  t.same([...SERIAL_LOCK_BOARD_PROTOCOLS].sort(), Object.keys(SIM_LOCK_BOARD_FAMILIES).sort());
  t.same([...FAMILIES].sort(), [...SERIAL_LOCK_BOARD_PROTOCOLS].sort(), 'the rig (and so the contract suite) covers every family');
  t.same(Object.keys(DEFAULT_BAUD_RATE_BY_PROTOCOL).sort(), [...SERIAL_LOCK_BOARD_PROTOCOLS].sort());
});

t.test('the io schema takes exactly the families of the record, and gpio', async (t) => {
  for (const protocol of SERIAL_LOCK_BOARD_PROTOCOLS) {
    const { address, locks } = SIM_LOCK_BOARD_FAMILIES[protocol].example;
    t.ok(Value.Check(LockBoardConfigSchema, { serial: 'rs485', protocol, address, locks }), `${protocol} with its example board`);
    t.ok(Value.Check(AnyLockBoardConfigSchema, { serial: 'rs485', protocol, address, locks }), `${protocol} in the io union`);
    t.match(String((LockBoardConfigSchema.properties.protocol as { description?: string }).description), protocol, `the schema describes ${protocol}`);
  }
  t.notOk(Value.Check(LockBoardConfigSchema, { serial: 'rs485', protocol: 'kerong', address: 0, locks: 16 }), 'a name no family has');
  t.ok(Value.Check(AnyLockBoardConfigSchema, { protocol: 'gpio', locks: [{ relay: 'r1', sensor: 'd1' }] }), 'relay cabinets are the other branch');
});

t.test("each family's example board fits its own limits, and one past them is named", async (t) => {
  for (const protocol of SERIAL_LOCK_BOARD_PROTOCOLS) {
    const family = LOCK_BOARD_FAMILIES[protocol];
    const { address, locks } = SIM_LOCK_BOARD_FAMILIES[protocol].example;
    t.same(lockBoardRangeProblems('cab', { protocol, address, locks }), [], `${protocol} example`);
    t.ok(family.baudRate > 0 && family.maxLocks >= locks && family.maxAddress >= address);
    if (family.maxLocks < 255) t.match(lockBoardRangeProblems('cab', { protocol, address, locks: family.maxLocks + 1 }), [/io\.lockBoards\.cab\.locks: a .* board has at most/]);
    if (family.maxAddress < 255) t.match(lockBoardRangeProblems('cab', { protocol, address: family.maxAddress + 1, locks }), [/io\.lockBoards\.cab\.address: a .* board id is 0-/]);
  }
});
