// One record per side names every lock-board family (docs/architecture.md, "Adding a lock-board
// family"): the driver's and the simulators' records are typed by the HAL's union, so a missing
// entry does not compile; this checks what the compiler cannot: both name the same families,
// the io schema accepts exactly those (and "gpio"), and each entry is self-consistent.
import t from 'tap';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
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

t.test('each family has its docs/hardware.md section and its README line', async (t) => {
  const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
  const hardware = readFileSync(join(REPO, 'docs/hardware.md'), 'utf8').split(/\n(?=## )/);
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const lockBoardsLine = readme.slice(readme.indexOf('- **`lockBoards`**'), readme.indexOf('\n- ', readme.indexOf('- **`lockBoards`**')));
  for (const protocol of SERIAL_LOCK_BOARD_PROTOCOLS) {
    const codec = `drivers/lock-board/frame-${protocol}.ts`;
    const sim = `simulators/lock-board/sim-${protocol}.ts`;
    t.ok(existsSync(join(REPO, codec)) && existsSync(join(REPO, sim)), `${codec} and ${sim}`);
    t.ok(
      hardware.some((s) => s.startsWith('## Lock boards: ') && s.includes(`\`${codec}\``) && s.includes(`\`${sim}\``)),
      `docs/hardware.md has a "## Lock boards: …" section naming ${codec} and ${sim}`,
    );
    t.ok(lockBoardsLine.includes(`\`${protocol}\``), `README's io.lockBoards bullet names \`${protocol}\``);
  }
});
