// The locker section's checks beyond its schema: each door's board and lock exist, no lock
// opens two doors, no door number twice, the scanner exists.
import t from 'tap';
import { lockerSectionProblems } from '../../../firmware/roles/locker/section-problems.js';
import { LockerConfigSchema, type LockerConfig } from '../../../firmware/roles/locker/config.js';
import type { PartNames } from '../../../firmware/roles/role-module.js';
import { Value } from '@sinclair/typebox/value';

const parts: PartNames = { inputs: [], outputs: [], serial: ['rs485'], i2c: [], printers: [], scanners: ['qr'], lockBoards: ['cab-a', 'cab-b'], matrices: [], displays: [], lockBoardLocks: { 'cab-a': 24, 'cab-b': 8 } };

function section(doors: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}): LockerConfig {
  return Value.Default(LockerConfigSchema, { doors, ...extra }) as LockerConfig;
}

t.test('a good cabinet has no problems; the defaults are the issue\'s', async (t) => {
  const c = section([
    { door: 1, board: 'cab-a', lock: 1, size: 'M' },
    { door: 2, board: 'cab-b', lock: 1, size: 'S' },
  ]);
  t.same(lockerSectionProblems(c, parts), []);
  t.match(c, { leftOpenAfterMs: 60_000, maxCodeTries: 5, lockoutMs: 300_000 });
});

t.test('every problem is named with its pointer', async (t) => {
  const c = section(
    [
      { door: 1, board: 'cab-a', lock: 1, size: 'M' },
      { door: 1, board: 'cab-a', lock: 2, size: 'M' },
      { door: 3, board: 'cab-a', lock: 1, size: 'L' },
      { door: 4, board: 'cab-z', lock: 1, size: 'L' },
      { door: 5, board: 'cab-b', lock: 9, size: 'S' },
    ],
    { scanner: 'nope' },
  );
  t.same(lockerSectionProblems(c, parts), [
    '/doors/1/door: door 1 is already /doors/0',
    '/doors/2/lock: lock 1 of board "cab-a" already opens door 1 (/doors/0)',
    '/doors/3/board: no lock board "cab-z" in io.lockBoards (have cab-a, cab-b)',
    '/doors/4/lock: board "cab-b" has locks 1-8, not 9',
    '/scanner: no scanner "nope" in io.scanners (have qr)',
  ]);
});
