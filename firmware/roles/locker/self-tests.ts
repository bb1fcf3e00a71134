// The locker's self-tests: the bus scan (every board answers), stuck sensors (a door that
// has read open since longer than the left-open alarm, while nobody opened it), and the manual
// click test that opens each door in turn (it moves locks, so only a technician runs it).
import type { SelfTestResult } from '../../../drivers/hal/types.js';
import type { LockerContract } from '../../../protocol/locker.js';
import type { ManualTestContext, RoleContext, RoleInstance } from '../role-module.js';
import type { Cabinet } from './cabinet.js';
import { delay } from './delay.js';

/** How often the click test looks at a door the technician was asked to close. */
const CLOSE_CHECK_MS = 200;

export function lockerSelfTests(ctx: RoleContext<LockerContract>, cabinet: Cabinet): Pick<RoleInstance<unknown, LockerContract>, 'selfTests' | 'manualSelfTests'> {
  return {
    selfTests: {
      'bus-scan': async (): Promise<SelfTestResult> => {
        const boards = await cabinet.scan();
        const bad = boards.filter((b) => !b.ok);
        return {
          name: 'bus-scan',
          ok: bad.length === 0,
          detail: bad.length === 0 ? `${boards.length} board(s) answer` : bad.map((b) => `${b.board}: ${b.detail}`).join('; '),
          data: { boards },
          covers: boards.map((b) => `lock-board:${b.board}`),
        };
      },
      sensors: async (): Promise<SelfTestResult> => {
        const now = ctx.clock.monotonicMs();
        const stuck = [...cabinet.doors.values()].filter((d) => d.open === true && now - d.openedAtMs > cabinet.config.leftOpenAfterMs).map((d) => d.door);
        const unread = [...cabinet.doors.values()].filter((d) => d.open === undefined).map((d) => d.door);
        const ok = stuck.length === 0 && unread.length === 0;
        return {
          name: 'sensors',
          ok,
          detail: ok
            ? 'every door sensor read, none open past the left-open time'
            : [stuck.length > 0 ? `open longer than ${cabinet.config.leftOpenAfterMs} ms (stuck sensor or door left open): ${stuck.join(', ')}` : '', unread.length > 0 ? `never read: ${unread.join(', ')}` : '']
                .filter(Boolean)
                .join('; '),
          data: { stuck, unread },
        };
      },
    },
    manualSelfTests: {
      'click-test': async (t: ManualTestContext): Promise<SelfTestResult> => {
        const results: Array<{ door: number; opened: boolean; detail: string }> = [];
        for (const d of cabinet.doors.values()) {
          if (t.signal.aborted) break;
          t.prompt(`opening door ${d.door} (board ${d.board}, lock ${d.lock}): watch it open`);
          const out = await cabinet.unlock(d, { by: 'self-test', signal: t.signal });
          results.push({ door: d.door, opened: out.ok, detail: out.ok ? `seen open after ${out.waitedMs} ms` : out.message });
          if (!out.ok) continue;
          void cabinet.emit('door.opened', { door: d.door, by: 'self-test' }, { who: 'self-test', what: 'opened', door: d.door }, [out.settle]);
          t.prompt(`close door ${d.door}`);
          while (d.open === true && !t.signal.aborted) await delay(ctx.timers, CLOSE_CHECK_MS, t.signal);
        }
        const failed = results.filter((r) => !r.opened);
        const aborted = t.signal.aborted;
        return {
          name: 'click-test',
          ok: !aborted && failed.length === 0 && results.length === cabinet.doors.size,
          detail: aborted
            ? `stopped after ${results.length} of ${cabinet.doors.size} doors`
            : failed.length === 0
              ? `all ${results.length} doors opened and were seen open`
              : `not seen open: ${failed.map((f) => `${f.door} (${f.detail})`).join('; ')}`,
          data: { results },
        };
      },
    },
  };
}
