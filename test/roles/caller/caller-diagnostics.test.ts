// The caller's self-tests on the sim board: panels and speaker in sys/diag; the manual key test
// prompts "press NEXT" and so on, passes when each key comes, and stops when the technician gives
// up (its abort signal); the test pattern puts colour bars on every panel and the calls come back.
import t from 'tap';
import { callerFixture, DEVICE, IO } from './caller-fixture.js';
import { createSimHal } from '../../../assembly/create-hal.js';
import { HalError } from '../../../drivers/hal/types.js';
import { waitFor } from '../../../testkit/wait.js';
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodePcmWav } from '../../../drivers/hal/types.js';
import { tempDir } from '../../../testkit/temp.js';
import type { SpeakerEvent } from '../../../simulators/speaker/sim-speaker.js';
import { colourBars } from '../../../firmware/roles/caller/caller-diagnostics.js';
import { deviceTime } from '../../../testkit/device-time.js';

t.setTimeout(60_000);

t.test('sys/diag reports the panels and the speaker', async (t) => {
  const f = await callerFixture(t);
  const ack = await f.server.client.commandUnchecked(DEVICE, 'sys/diag', {});
  t.equal(ack.ok, true);
  const results = (ack.ok ? (ack.data?.['results'] as { name: string; ok: boolean; detail?: string }[]) : []) ?? [];
  t.match(results.find((r) => r.name === 'caller/panels'), { ok: true, detail: '2 panel(s) up' });
  t.match(results.find((r) => r.name === 'caller/speaker'), { ok: true, detail: 'simulated speaker' });
  t.match(results.find((r) => r.name === 'caller/voice-pack'), { ok: true, detail: /no voice pack configured/ });
});

t.test('key test: asks for each key in turn and passes when they come', async (t) => {
  const f = await callerFixture(t, { role: { keys: { next: 'key-next', recall: 'key-recall' } } });
  const prompts: string[] = [];
  const running = f.runtime.runManualTest('caller', 'key-test', { prompt: (text) => prompts.push(text), signal: new AbortController().signal });
  await waitFor('first prompt', () => prompts[0]);
  t.same(prompts, ['press NEXT']);
  f.hal.sim.press('key-recall'); // the wrong key first: it does not count
  await waitFor('recall key event', () => f.events('key')[0]);
  f.hal.sim.release('key-recall');
  t.same(prompts, ['press NEXT'], 'still waiting for NEXT');
  f.hal.sim.press('key-next');
  await waitFor('second prompt', () => prompts[1]);
  t.equal(prompts[1], 'press RECALL');
  f.hal.sim.release('key-next');
  f.hal.sim.press('key-recall');
  t.match(await running, { name: 'key-test', ok: true, data: { pressed: ['next', 'recall'] } });
});

t.test('key test: the technician gives up → not ok, naming the key still missing', async (t) => {
  const f = await callerFixture(t);
  const abort = new AbortController();
  const prompts: string[] = [];
  const running = f.runtime.runManualTest('caller', 'key-test', { prompt: (text) => prompts.push(text), signal: abort.signal });
  await waitFor('first prompt', () => prompts[0]);
  abort.abort();
  t.match(await running, { ok: false, detail: 'stopped waiting for next', data: { pressed: [], missing: ['next', 'recall', 'pause', 'transfer', 'no-show'] } });
});

t.test('test pattern: colour bars on every panel, then the picture comes back', async (t) => {
  const time = deviceTime(t);
  const f = await callerFixture(t, { time });
  await f.command('call', { ticket: 'A023', window: '5' });
  const before = Buffer.from(f.hal.sim.matrix('win').lastFrame()!.data);
  const prompts: string[] = [];
  const running = f.runtime.runManualTest('caller', 'test-pattern', { prompt: (text) => prompts.push(text), signal: new AbortController().signal });
  await waitFor('prompt', () => prompts[0]);
  t.same(Buffer.from(f.hal.sim.matrix('win').lastFrame()!.data), Buffer.from(colourBars(128, 16).data), 'bars on the window panel');
  t.same(Buffer.from(f.hal.sim.matrix('hall').lastFrame()!.data), Buffer.from(colourBars(128, 32).data), 'and on the hall panel');
  time.tick(5000);
  t.match(await running, { ok: true, detail: 'shown on win, hall' });
  t.same(Buffer.from(f.hal.sim.matrix('win').lastFrame()!.data), before, 'the call is back');
});

/** A sound as the listener gets it: a WAV by its bytes, speech by its text and voice, a tone by itself. */
function heard(e: SpeakerEvent): unknown {
  if (e.kind === 'play') return { kind: 'play', wav: createHash('sha256').update(e.wav).digest('hex') };
  if (e.kind === 'say') return { kind: 'say', text: e.text, lang: e.lang, rate: e.rate };
  return { kind: e.kind };
}

/** A real call of A001 at window 1 (heard once), then the speaker test in silent mode: what each played. */
async function callThenSpeakerTest(t: Parameters<typeof callerFixture>[0], role: Record<string, unknown>) {
  const f = await callerFixture(t, { role });
  await f.command('call', { ticket: 'A001', window: '1' });
  await waitFor('announced', () => f.events('announced')[0]);
  const call = f.hal.sim.speakerEvents().map(heard);
  await f.command('mode', { mode: 'silent' });
  const prompts: string[] = [];
  const result = await f.runtime.runManualTest('caller', 'speaker-test', { prompt: (text) => prompts.push(text), signal: new AbortController().signal });
  const test = f.hal.sim.speakerEvents().slice(call.length).map(heard);
  return { f, call, test, prompts, result };
}

t.test('speaker test: a sample call heard exactly as a real call is (chime, then the speaker\'s Mandarin voice), even in silent mode', async (t) => {
  const { call, test, prompts, result } = await callThenSpeakerTest(t, { voice: { repeat: 1, lang: 'zh-CN', rate: 0.9 } });
  t.match(result, { ok: true });
  t.same(prompts, ["listen: the chime, then 请A 零零一号到一号窗口办理 in the hall's voice"]);
  t.match(call, [{ kind: 'play' }, { kind: 'say', text: '请A 零零一号到一号窗口办理', lang: 'zh-CN', rate: 0.9 }], 'the call: the chime WAV, then the configured voice');
  t.same(test, call, 'the speaker test played the same chime bytes and the same speech with the same voice');
  t.notOk(test.some((e) => (e as { kind: string }).kind === 'beep'), 'no raw tones');
});

t.test('speaker test with a voice pack: the pack\'s chime clip and its joined clips, as a call', async (t) => {
  const dir = await tempDir(t, 'halld-pack-');
  const tone = (hz: number) => encodePcmWav({ sampleRateHz: 16_000, channels: 1, samples: new Int16Array(1600).map((_, i) => Math.round(6000 * Math.sin((2 * Math.PI * hz * i) / 16_000))) });
  const words = ['请', '号', '到', '窗口', '办理', '零', '一', 'A', '_chime'];
  for (const [i, word] of words.entries()) await writeFile(join(dir, `${word}.wav`), tone(300 + i * 40));
  const { f, call, test, result } = await callThenSpeakerTest(t, { voice: { voicePack: dir, repeat: 1 } });
  t.match(result, { ok: true });
  t.equal(call.length, 2, 'the call: two WAVs (the chime clip, the joined words)');
  t.ok(call.every((e) => (e as { kind: string }).kind === 'play'), 'nothing spoken by the TTS');
  t.same(test, call, 'the speaker test played the same two WAVs, byte for byte');
  t.same(f.hal.sim.spoken(), [], 'the TTS was not used');
});

t.test('a panel that cannot be opened leaves the rest working and fails the panels self-test', async (t) => {
  const f = await callerFixture(t, {
    board: {
      id: 'sim',
      hal: async () => {
        const hal = await createSimHal({ board: 'sim', io: IO });
        const painter = hal.painter.bind(hal);
        hal.painter = async (name) => (name === 'hall' ? Promise.reject(new HalError('UNAVAILABLE', 'font file missing')) : painter(name));
        return hal;
      },
    },
  });
  await f.command('call', { ticket: 'A023', window: '5' });
  await waitFor('announced', () => f.events('announced')[0]);
  t.ok(f.hal.sim.matrix('win').lastFrame(), 'the window panel shows the call');
  t.equal(f.hal.sim.matrix('hall').lastFrame(), undefined, 'the hall panel was left out');
  const ack = await f.server.client.commandUnchecked(DEVICE, 'sys/diag', {});
  const results = (ack.ok ? (ack.data?.['results'] as { name: string; ok: boolean; detail?: string }[]) : []) ?? [];
  t.match(results.find((r) => r.name === 'caller/panels'), { ok: false, detail: 'down: hall (font file missing)' });
});
