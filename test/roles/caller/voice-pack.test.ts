// The voice pack on generated clips: silence around each recording is cut and words meet by a
// crossfade, so the joined announcement has no gap and no click (no sample-to-sample jump larger
// than inside the clips themselves, although the clips' tones start and end at different
// phases); the longest clip name wins; a missing word or a clip of another format means
// "no pack for this text" (the speaker's own voice reads it), never a wrong announcement.
import t from 'tap';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodePcmWav, parsePcmWav, type PcmWav } from '../../../drivers/hal/types.js';
import { VoicePack } from '../../../firmware/roles/caller/voice-pack.js';
import { joinClips, trimSilence } from '../../../firmware/roles/caller/wav-join.js';
import { tempDir } from '../../../testkit/temp.js';

const RATE = 16_000;
const AMP = 8000;

/** `silenceMs` of near-silence (low noise), a tone of `ms` at `hz` starting at `phase`, then silence again. */
function clip(hz: number, ms: number, options: { silenceMs?: number; phase?: number; rate?: number } = {}): PcmWav {
  const rate = options.rate ?? RATE;
  const pad = Math.round(((options.silenceMs ?? 120) * rate) / 1000);
  const n = Math.round((ms * rate) / 1000);
  const samples = new Int16Array(pad + n + pad);
  for (let i = 0; i < samples.length; i++) samples[i] = (i * 7919) % 21 - 10; // room noise, ±10
  for (let i = 0; i < n; i++) samples[pad + i] = Math.round(AMP * Math.sin((options.phase ?? 0) + (2 * Math.PI * hz * i) / rate));
  return { sampleRateHz: rate, channels: 1, samples };
}

function maxStep(samples: Int16Array): number {
  let max = 0;
  for (let i = 1; i < samples.length; i++) max = Math.max(max, Math.abs((samples[i] ?? 0) - (samples[i - 1] ?? 0)));
  return max;
}

/** Longest run of samples quieter than the noise floor. */
function longestQuiet(samples: Int16Array, floor = 64): number {
  let run = 0;
  let best = 0;
  for (const s of samples) {
    run = Math.abs(s) <= floor ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}

t.test('trimSilence cuts the room noise before and after the word', async (t) => {
  const trimmed = trimSilence(clip(440, 200, { silenceMs: 150 }));
  const ms = (trimmed.samples.length / RATE) * 1000;
  t.ok(ms >= 200 && ms <= 210, `200 ms of tone plus a few ms kept at the edges (got ${ms.toFixed(1)} ms)`);
  t.equal(trimSilence(clip(440, 0)).samples.length, 0, 'a silent clip becomes empty');
});

t.test('joined clips have no click where words meet, though each is cut mid-waveform', async (t) => {
  // Recordings cut hard at both ends, at different phases: what makes naive concatenation click.
  const words = [clip(440, 180, { phase: 0, silenceMs: 0 }), clip(660, 150, { phase: Math.PI / 2, silenceMs: 0 }), clip(550, 160, { phase: Math.PI, silenceMs: 0 }), clip(330, 200, { phase: 1, silenceMs: 0 })];
  const sourceStep = Math.max(...words.map((w) => maxStep(w.samples)));
  const naive = new Int16Array(words.reduce((n, w) => n + w.samples.length, 0));
  let at = 0;
  for (const w of words) {
    naive.set(w.samples, at);
    at += w.samples.length;
  }
  t.ok(maxStep(naive) > sourceStep * 1.5, `butted together the joints jump by ${maxStep(naive)} (the check can fail)`);
  const joined = joinClips(words);
  t.ok(maxStep(joined.samples) <= sourceStep * 1.1, `largest step ${maxStep(joined.samples)} vs ${sourceStep} inside the clips`);
  t.equal(joined.samples[0], 0, 'starts at zero');
  t.equal(joined.samples.at(-1), 0, 'ends at zero');
  const joinedMs = (joined.samples.length / RATE) * 1000;
  t.ok(joinedMs <= 180 + 150 + 160 + 200 && joinedMs >= 180 + 150 + 160 + 200 - 3 * 8 - 1, `the words' length less the three overlaps (${joinedMs.toFixed(1)} ms)`);
});

t.test('recorded silence around each word is cut: no gap between the words', async (t) => {
  const words = [clip(440, 180), clip(660, 150), clip(550, 160)].map(trimSilence);
  const raw = clip(440, 180);
  t.ok(longestQuiet(raw.samples) > RATE / 10, 'each recording has 100+ ms of room noise (the check can fail)');
  const joined = joinClips(words);
  t.ok(longestQuiet(joined.samples.subarray(200, -200)) < RATE / 1000, 'no quiet stretch of 1 ms or more between the words');
});

t.test('a pack on disk reads the hall announcement, longest names first; anything missing falls back', async (t) => {
  const dir = await tempDir(t, 'halld-voice-');
  const words: Record<string, number> = { 请: 300, 号: 320, 到: 340, 窗: 360, 窗口: 380, 办理: 400, 零: 420, 二: 440, 三: 460, 五: 480, A: 500 };
  for (const [word, hz] of Object.entries(words)) await writeFile(join(dir, `${word}.wav`), encodePcmWav(clip(hz, 120)));
  await writeFile(join(dir, '_chime.wav'), encodePcmWav(clip(880, 300)));
  await writeFile(join(dir, '九.wav'), encodePcmWav(clip(500, 120, { rate: 22_050 })));
  await writeFile(join(dir, '十.wav'), 'not a wav');
  const pack = await VoicePack.load(dir);
  t.equal(pack.words, Object.keys(words).length, 'every good clip (the chime is not a word)');
  t.match(pack.problems, [/九\.wav: 22050 Hz x1, the pack is 16000 Hz x1/, /十\.wav: not a RIFF\/WAVE file/]);
  t.ok(pack.chime(), 'the chime clip');

  const split = pack.split('请A 零二三号到五号窗口办理');
  t.same(split, { ok: true, words: ['请', 'A', '零', '二', '三', '号', '到', '五', '号', '窗口', '办理'] }, '窗口 is one clip, not 窗 + a missing 口');
  const wav = pack.render('请A 零二三号到五号窗口办理');
  t.ok(wav, 'rendered');
  const parsed = parsePcmWav(wav!);
  t.equal(parsed.sampleRateHz, RATE);
  const ms = (parsed.samples.length / RATE) * 1000;
  t.ok(ms > 11 * 120 - 11 * 8 && ms < 11 * 120 + 11 * 8 + 20, `eleven trimmed words back to back (${ms.toFixed(0)} ms), no silences kept`);
  t.same(pack.split('请A 零九号'), { ok: false, missing: '九' }, 'a word whose clip was left out');
  t.equal(pack.render('请B 零二号'), undefined, 'B has no clip: the speaker reads the text instead');
});
