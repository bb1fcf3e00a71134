// The caller role on the real runtime, through aedes and the reference server: a call shows on
// the window and hall panels (the frames the renderer draws for that state) and is announced
// (chime, then the template read the hall way, twice); silent mode plays nothing and survives
// a restart; recall, notices (hall-wide too), clear, brightness, pause; the keypad's presses
// become key events with the window; bad input is refused and the device keeps answering.
import t from 'tap';
import { callerFixture, DEVICE } from './caller-fixture.js';
import { waitFor } from '../../../testkit/wait.js';
import { deviceTime } from '../../../testkit/device-time.js';
import { loadBuiltinFace } from '../../../drivers/matrix/render/builtin-fonts.js';
import { PanelRenderer } from '../../../drivers/matrix/render/panel-renderer.js';
import type { PanelState } from '../../../drivers/hal/types.js';
import type { Ack } from '../../../protocol/messages.js';
import { encodePcmWav } from '../../../drivers/hal/types.js';
import { tempDir } from '../../../testkit/temp.js';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBdfFile } from '../../../drivers/matrix/render/font-face.js';
import { cutCharacters } from '../../../testkit/whole-glyphs.js';
import { hallClock } from '../../../firmware/roles/hall-time.js';

/** The fixture hall's time zone (the default every clock of the hall uses). */
const HALL_ZONE = 'Asia/Shanghai';

t.setTimeout(120_000);

async function drawn(width: number, height: number, state: PanelState): Promise<Buffer> {
  const face = await loadBuiltinFace('wqy-12', { fallbackPath: false });
  return Buffer.from(new PanelRenderer({ width, height, face, clock: { now: () => 0, monotonicMs: () => 0 } }).render(state).data);
}

/** Does the panel show this idle state with the hall's time as of `epochMs` (or the second before: a minute may turn in between)? */
async function showsIdle(f: Parameters<typeof lastFrame>[0], panel: string, width: number, height: number, state: Exclude<PanelState, { kind: 'notice' }>, epochMs: number): Promise<boolean> {
  const shown = lastFrame(f, panel);
  const clocks = [...new Set([hallClock(epochMs - 1000, HALL_ZONE).hhmm, hallClock(epochMs, HALL_ZONE).hhmm])];
  const frames = await Promise.all(clocks.map((clock) => drawn(width, height, { ...state, clock })));
  return frames.some((frame) => frame.equals(shown));
}

const wqy = await loadBdfFile(join(dirname(fileURLToPath(import.meta.url)), '../../../../fonts/wqy-12.bdf'));

function shownWhole(f: { hal: { sim: { matrix(name: string): { lastFrame(): { width: number; height: number; data: Uint8Array } | undefined } } } }, panel: string, text: string): string[] {
  const frame = f.hal.sim.matrix(panel).lastFrame();
  if (!frame) throw new Error(`panel ${panel} shows nothing`);
  return cutCharacters(frame, wqy, text);
}

function lastFrame(f: { hal: { sim: { matrix(name: string): { lastFrame(): { data: Uint8Array } | undefined } } } }, panel: string): Buffer {
  const frame = f.hal.sim.matrix(panel).lastFrame();
  if (!frame) throw new Error(`panel ${panel} shows nothing`);
  return Buffer.from(frame.data);
}

t.test('call → both panels show it, chime then the announcement twice, announced(voice)', async (t) => {
  const f = await callerFixture(t);
  const ack = await f.command('call', { ticket: 'A023', window: '5' });
  t.match(ack, { ok: true, data: { ticket: 'A023', window: '5', text: '请A 零二三号到五号窗口办理', mode: 'voice', ahead: 0 } });
  const announced = await waitFor('announced', () => f.events('announced')[0]);
  t.same(announced.message.data, { ticket: 'A023', window: '5', text: '请A 零二三号到五号窗口办理', played: 'voice', recall: false });
  t.same(
    f.hal.sim.speakerEvents().map((e) => (e.kind === 'say' ? `say ${e.text} ${e.lang ?? ''}` : e.kind)),
    ['play', 'say 请A 零二三号到五号窗口办理 zh-CN', 'say 请A 零二三号到五号窗口办理 zh-CN'],
    'chime (one WAV of two tones), then the text twice',
  );
  t.same(lastFrame(f, 'win'), await drawn(128, 16, { kind: 'window', lang: 'zh', window: '5', paused: false, current: { number: 'A023', window: '5', priority: false, sinceMs: 0 } }), 'the window panel shows the call');
  // The judge is the font: a 16-row panel split in two 8-row lines cut every CJK glyph (号 read as 亏).
  t.same(shownWhole(f, 'win', '请A023号到5号窗口'), [], 'every glyph of the call whole on the 16-row window panel');
  t.same(shownWhole(f, 'hall', 'A0235号窗口'), [], 'and on the hall panel');
  t.same(lastFrame(f, 'hall'), await drawn(128, 32, { kind: 'hall', lang: 'zh', calls: [{ number: 'A023', window: '5', priority: false }], limit: 5 }), 'the hall panel lists it');
  await f.command('call', { ticket: 'B101', window: '12', priority: true });
  await waitFor('second announced', () => f.events('announced')[1]);
  t.match(f.events('announced')[1]?.message.data, { text: '请B 一零一号到十二号窗口办理' }, 'window 12 is read 十二');
  t.same(lastFrame(f, 'hall'), await drawn(128, 32, { kind: 'hall', lang: 'zh', calls: [{ number: 'B101', window: '12', priority: true }, { number: 'A023', window: '5', priority: false }], limit: 5 }), 'newest first');
  const state = await waitFor('retained state', () => {
    const s = f.state();
    return (s?.['last'] as unknown[] | undefined)?.length === 2 ? s : undefined;
  });
  t.match(state, { window: '5', mode: 'voice', current: { ticket: 'B101', window: '12', priority: true }, last: [{ ticket: 'B101' }, { ticket: 'A023' }], panels: [{ name: 'win', state: 'ok' }, { name: 'hall', state: 'ok' }] });
});

t.test('silent mode plays nothing, the screens still change, and it survives a restart', async (t) => {
  const f = await callerFixture(t);
  t.match(await f.command('mode', { mode: 'silent' }), { ok: true, data: { mode: 'silent' } });
  await f.restart();
  t.match(await f.command('call', { ticket: 'C007', window: '3' }), { ok: true, data: { mode: 'silent' } });
  const announced = await waitFor('announced', () => f.events('announced')[0]);
  t.equal(announced.message.data['played'], 'silent');
  t.same(f.hal.sim.speakerEvents(), [], 'nothing was played');
  t.same(lastFrame(f, 'win'), await drawn(128, 16, { kind: 'window', lang: 'zh', window: '5', paused: false, current: { number: 'C007', window: '3', priority: false, sinceMs: 0 } }), 'the panel shows the call');
  t.match(await f.command('mode', { mode: 'voice' }), { ok: true });
  await f.command('call', { ticket: 'C008', window: '3', voice: false });
  const chimeOnly = await waitFor('announced', () => f.events('announced')[1]);
  t.equal(chimeOnly.message.data['played'], 'chime', 'voice:false on the call: the chime alone');
  t.same(f.hal.sim.spoken(), [], 'no speech');
});

t.test('a restart shows the current call and the last calls again', async (t) => {
  const f = await callerFixture(t);
  await f.command('call', { ticket: 'A001', window: '5' });
  await f.command('call', { ticket: 'A002', window: '5' });
  await f.command('pause', { paused: true });
  await f.restart();
  t.same(lastFrame(f, 'hall'), await drawn(128, 32, { kind: 'hall', lang: 'zh', calls: [{ number: 'A002', window: '5', priority: false }, { number: 'A001', window: '5', priority: false }], limit: 5 }));
  t.same(lastFrame(f, 'win'), await drawn(128, 16, { kind: 'window', lang: 'zh', window: '5', paused: true }), '暂停服务 kept');
  t.same(f.hal.sim.speakerEvents(), [], 'a restart announces nothing');
});

t.test('recall announces the current call again; without one it is NOT_FOUND', async (t) => {
  const f = await callerFixture(t);
  t.match(await f.command('recall', {}), { ok: false, error: { code: 'NOT_FOUND' } });
  await f.command('call', { ticket: 'A023', window: '5' });
  t.match(await f.command('recall', { ticket: 'A999' }), { ok: false, error: { code: 'NOT_FOUND' } }, 'not the current call');
  t.match(await f.command('recall', { ticket: 'A023' }), { ok: true, data: { ticket: 'A023' } });
  const again = await waitFor('recall announced', () => f.events('announced')[1]);
  t.match(again.message.data, { ticket: 'A023', recall: true, played: 'voice' });
  t.equal(f.hal.sim.spoken().length, 4, 'twice per announcement');
});

t.test('a hall-wide notice reaches the caller on all/cmd and scrolls; untilMs takes it down', async (t) => {
  const time = deviceTime(t);
  const f = await callerFixture(t, { time });
  const acks: Ack[] = [];
  f.server.client.onAck((device, ack) => device === DEVICE && acks.push(ack));
  const id = await f.server.client.hallCommand('caller/notice', { text: '今日16:00停止取号，请合理安排时间', untilMs: time.clock.now() + 60_000 });
  const ack = await waitFor('hall-wide ack', () => acks.find((a) => a.id === id));
  t.match(ack, { ok: true, data: { hallWide: true } });
  t.match(f.state(), { notice: { text: '今日16:00停止取号，请合理安排时间' } });
  const before = lastFrame(f, 'win');
  time.tick(500);
  t.notSame(lastFrame(f, 'win'), before, 'the long notice scrolls (repainted on the timers)');
  time.tick(60_000);
  await waitFor('notice gone from the state', () => (f.state()?.['notice'] === null ? true : undefined));
  t.ok(await showsIdle(f, 'win', 128, 16, { kind: 'window', lang: 'zh', window: '5', paused: false }, time.clock.now()), 'panel back to the window label and the hall\'s time');
});

t.test('a notice ending in the past is refused; clear takes down what it names', async (t) => {
  const f = await callerFixture(t);
  t.match(await f.command('notice', { text: 'old', untilMs: Date.now() - 60_000 }), { ok: false, error: { code: 'BAD_REQUEST' } }, 'an end in the past');
  await f.command('call', { ticket: 'A1', window: '5' });
  t.match(await f.command('clear', { what: 'history' }), { ok: true });
  t.ok(await showsIdle(f, 'hall', 128, 32, { kind: 'hall', lang: 'zh', calls: [], limit: 5 }, Date.now()), 'the hall list is empty: only the hall\'s time');
  t.same(lastFrame(f, 'win'), await drawn(128, 16, { kind: 'window', lang: 'zh', window: '5', paused: false, current: { number: 'A1', window: '5', priority: false, sinceMs: 0 } }), 'the current call stays');
  t.match(await f.command('clear', {}), { ok: true, data: { cleared: 'all' } });
  t.ok(await showsIdle(f, 'win', 128, 16, { kind: 'window', lang: 'zh', window: '5', paused: false }, Date.now()), 'the window panel idle: its label and the hall\'s time');
});

t.test('brightness: a level holds, auto returns to the schedule', async (t) => {
  const f = await callerFixture(t, { role: { brightness: { day: 70, night: 70 } } });
  t.equal(f.hal.sim.matrix('win').brightness(), 70, 'the schedule (day = night here)');
  t.match(await f.command('brightness', { level: 25 }), { ok: true, data: { level: 25, auto: false } });
  t.same([f.hal.sim.matrix('win').brightness(), f.hal.sim.matrix('hall').brightness()], [25, 25]);
  t.match(await f.command('brightness', { level: 'auto' }), { ok: true, data: { level: 70, auto: true } });
  t.equal(f.hal.sim.matrix('hall').brightness(), 70);
});

t.test('keypad: each press is one key event with the window, and the panel acknowledges it', async (t) => {
  const time = deviceTime(t);
  const f = await callerFixture(t, { time });
  f.hal.sim.press('key-next');
  time.tick(50);
  f.hal.sim.release('key-next');
  time.tick(50);
  f.hal.sim.bounce('key-no-show', 5, 'active');
  time.tick(50);
  f.hal.sim.release('key-no-show');
  time.tick(50);
  const keys = await waitFor('two key events', () => (f.events('key').length >= 2 ? f.events('key') : undefined));
  t.same(keys.map((e) => e.message.data), [{ key: 'next', window: '5' }, { key: 'no-show', window: '5' }]);
  t.same(lastFrame(f, 'win'), await drawn(128, 16, { kind: 'window', lang: 'zh', window: '5', paused: false, feedback: '过号' }), 'feedback on the panel');
  time.tick(1500);
  t.ok(await showsIdle(f, 'win', 128, 16, { kind: 'window', lang: 'zh', window: '5', paused: false }, time.clock.now()), 'and gone after feedbackMs');
  // Barrier: a later press must arrive after anything the bounces could have sent.
  f.hal.sim.press('key-recall');
  time.tick(50);
  await waitFor('recall key', () => f.events('key').find((e) => e.message.data['key'] === 'recall'));
  t.equal(f.events('key').length, 3, 'a bouncing key counted once');
});

t.test('bad input is refused with a reason and the device keeps answering', async (t) => {
  const f = await callerFixture(t);
  t.match(await f.command('call', { ticket: 'A 023', window: '5' }), { ok: false, error: { code: 'BAD_REQUEST' } });
  t.match(await f.command('call', { ticket: 'A023' }), { ok: false, error: { code: 'BAD_REQUEST' } });
  t.match(await f.command('mode', { mode: 'loud' }), { ok: false, error: { code: 'BAD_REQUEST' } });
  t.match(await f.command('brightness', { level: 101 }), { ok: false, error: { code: 'BAD_REQUEST' } });
  t.match(await f.server.client.commandUnchecked(DEVICE, 'sys/ping', { n: 1 }), { ok: true, data: { n: 1 } });
});

t.test('with a voice pack the announcement is the joined clips played as one WAV; a word it lacks is spoken by TTS', async (t) => {
  const dir = await tempDir(t, 'halld-pack-');
  const tone = (hz: number) => encodePcmWav({ sampleRateHz: 16_000, channels: 1, samples: new Int16Array(1600).map((_, i) => Math.round(6000 * Math.sin((2 * Math.PI * hz * i) / 16_000))) });
  for (const [i, word] of ['请', '号', '到', '窗口', '办理', '零', '二', '三', '五', 'A', '_chime'].entries()) await writeFile(join(dir, `${word}.wav`), tone(300 + i * 40));
  const f = await callerFixture(t, { role: { voice: { voicePack: dir, repeat: 1 } } });
  await f.command('call', { ticket: 'A023', window: '5' });
  await waitFor('announced', () => f.events('announced')[0]);
  const events = f.hal.sim.speakerEvents();
  t.same(events.map((e) => e.kind), ['play', 'play'], 'the chime clip, then the announcement');
  const speech = events[1];
  const ms = speech?.kind === 'play' ? speech.durationMs : 0;
  t.ok(ms > 11 * 100 - 11 * 8 && ms <= 11 * 100, `eleven 100 ms clips joined (${ms.toFixed(0)} ms)`);
  const written = await f.hal.sim.speaker().writeRecordings(dir);
  t.equal(written.length, 2, 'what was played can be listened to');
  await f.command('call', { ticket: 'B1', window: '5' });
  await waitFor('second announced', () => f.events('announced')[1]);
  t.same(f.hal.sim.spoken(), ['请B 一号到五号窗口办理'], 'B and 一 have no clip: the text goes to the speaker\'s voice');
  t.match(f.state(), { voicePack: { dir, words: 10 } });
});

t.test('idle panels show the hall\'s time (HH:MM in the hall\'s zone), every glyph whole; it turns with the minute and gives way to a call', async (t) => {
  // 09:07:30 in Shanghai (the hall's zone) is 01:07 UTC: the panels must read 09:07.
  const time = deviceTime(t, Date.UTC(2026, 0, 5, 1, 7, 30));
  const f = await callerFixture(t, { time });
  await waitFor('panels painted', () => f.hal.sim.matrix('win').lastFrame() && f.hal.sim.matrix('hall').lastFrame());
  t.same(shownWhole(f, 'win', '5号窗口09:07'), [], 'the 16-row window panel: its window and the time, whole');
  t.same(shownWhole(f, 'hall', '09:07'), [], 'the hall panel: the time, whole');
  t.same([...shownWhole(f, 'win', '1'), ...shownWhole(f, 'hall', '1')], ['1', '1'], 'not the UTC time (01:07)');
  time.tick(31_000);
  await waitFor('09:08 on the window panel', () => shownWhole(f, 'win', '09:08').length === 0 || undefined);
  t.same(shownWhole(f, 'hall', '09:08'), [], 'the hall panel turned too');
  await f.command('call', { ticket: 'A023', window: '5' });
  await waitFor('the call on the window panel', () => shownWhole(f, 'win', '请A023号到5号窗口').length === 0 || undefined);
  const call = { number: 'A023', window: '5', priority: false };
  t.same(lastFrame(f, 'win'), await drawn(128, 16, { kind: 'window', lang: 'zh', window: '5', paused: false, current: { ...call, sinceMs: 0 } }), 'the call has the one-line window panel (no clock)');
  t.same(lastFrame(f, 'hall'), await drawn(128, 32, { kind: 'hall', lang: 'zh', calls: [call], limit: 5 }), 'and the hall panel\'s rows are calls now (no clock)');
});
