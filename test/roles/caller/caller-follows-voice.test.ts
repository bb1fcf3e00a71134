// The screens follow the voice, and the hall's clock is the hall's: three calls made at once are
// heard one after another, and while the first is heard the panels, the TV page's view and the
// retained state show it as the current call with the other two as "next"; the day/night
// brightness follows the hall's time zone even on a board whose system zone is another.
import t from 'tap';
import { callerFixture } from './caller-fixture.js';
import { waitFor } from '../../../testkit/wait.js';
import { deviceTime } from '../../../testkit/device-time.js';
import { scheduledBrightness } from '../../../firmware/roles/caller/caller-panels.js';
import { hallClock } from '../../../firmware/roles/hall-time.js';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBdfFile } from '../../../drivers/matrix/render/font-face.js';
import { cutCharacters } from '../../../testkit/whole-glyphs.js';

t.setTimeout(120_000);
const wqy = await loadBdfFile(join(dirname(fileURLToPath(import.meta.url)), '../../../../fonts/wqy-12.bdf'));

interface CallState {
  ticket: string;
}

t.test('while the first of three calls is heard, it is the current call and the other two wait as next', async (t) => {
  const f = await callerFixture(t, { role: { voice: { repeat: 1, gapMs: 1500 } } });
  await Promise.all([f.command('call', { ticket: 'A001', window: '1' }), f.command('call', { ticket: 'B002', window: '2' }), f.command('call', { ticket: 'C003', window: '3' })]);
  const during = await waitFor('first call heard', () => {
    const s = f.state();
    return (s?.['current'] as CallState | null)?.ticket === 'A001' ? s : undefined;
  });
  t.same((during['next'] as CallState[]).map((c) => c.ticket), ['B002', 'C003'], 'the later calls are next, in order');
  t.same((during['last'] as CallState[]).map((c) => c.ticket), ['A001'], 'only what was heard is in the last calls');
  const win = f.hal.sim.matrix('win').lastFrame();
  t.ok(win && cutCharacters(win, wqy, 'A001').length === 0 && cutCharacters(win, wqy, 'B').length > 0, 'the window panel shows A001, not B002');
  const spokenAtFirst = f.hal.sim.spoken().length;
  t.ok(spokenAtFirst <= 1, 'B002 is not spoken yet');
  const after = await waitFor('last call heard', () => {
    const s = f.state();
    return (s?.['current'] as CallState | null)?.ticket === 'C003' ? s : undefined;
  });
  t.same((after['next'] as CallState[]).length, 0, 'nothing waits');
  t.same((after['last'] as CallState[]).map((c) => c.ticket), ['C003', 'B002', 'A001']);
  await waitFor('all announced', () => (f.events('announced').length === 3 ? true : undefined));
  t.same(f.hal.sim.spoken(), ['请A 零零一号到一号窗口办理', '请B 零零二号到二号窗口办理', '请C 零零三号到三号窗口办理']);
});

t.test('the brightness schedule follows the hall time zone, not the system one', async (t) => {
  const systemZone = process.env['TZ'];
  // The board's system clock says Los Angeles; the hall is in Shanghai.
  process.env['TZ'] = 'America/Los_Angeles';
  t.teardown(() => {
    if (systemZone === undefined) delete process.env['TZ'];
    else process.env['TZ'] = systemZone;
  });
  const noonInShanghai = Date.UTC(2026, 0, 5, 4, 0); // 12:00 in Shanghai, 20:00 the day before in Los Angeles
  t.equal(new Date(noonInShanghai).getHours(), 20, 'the system zone reads evening');
  t.equal(hallClock(noonInShanghai, 'Asia/Shanghai').hhmm, '12:00');
  const schedule = { day: 80, night: 30, dayFrom: '07:00', nightFrom: '19:00' };
  t.equal(scheduledBrightness(schedule, noonInShanghai, 'Asia/Shanghai'), 80, 'day level at noon in the hall');
  const time = deviceTime(t, noonInShanghai);
  const f = await callerFixture(t, { time, role: { brightness: schedule } });
  t.equal(f.hal.sim.matrix('win').brightness(), 80, 'the panels are at the day level at the hall\'s noon');
  t.match(f.state(), { brightness: { level: 80, auto: true } });
});
