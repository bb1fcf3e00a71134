// One loudness for everything a caller plays, measured on the rendered sound by an independent
// judge (ffmpeg's ebur128): a call read by the real espeak-ng (aplay replaced by a process that
// keeps each WAV) and a call joined from a voice pack whose clips were recorded at very
// different levels. Chime and speech each, and the whole announcement, are within ±2 LU of
// −16 LUFS, and no sample is above −1 dBFS. Before this, the chime measured −9.6 LUFS and the
// speech −17.9 LUFS (true peak −1.3 dBFS): the chime 8 LU louder than the voice.
import t, { type Test } from 'tap';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Announcer } from '../../../firmware/roles/caller/announcer.js';
import { VoicePack } from '../../../firmware/roles/caller/voice-pack.js';
import type { CallerConfig } from '../../../firmware/roles/caller/config.js';
import { EspeakSpeaker } from '../../../drivers/speaker/espeak-speaker.js';
import { spawnRunner, runToCompletion, type CommandRunner } from '../../../drivers/process/command-runner.js';
import { globalTimers } from '../../../drivers/clock/timers.js';
import { encodePcmWav, parsePcmWav, type PcmWav } from '../../../drivers/hal/types.js';
import { SimSpeaker } from '../../../simulators/speaker/sim-speaker.js';
import { ManualClock } from '../../../simulators/clock/manual-clock.js';
import { ebur128 } from '../../../testkit/ebur128.js';
import { runs, skipWithout } from '../../../testkit/required-tools.js';
import { tempDir } from '../../../testkit/temp.js';

const skip =
  skipWithout('espeak-ng', runs('espeak-ng', ['--version']), 'apt-get install espeak-ng') || skipWithout('ffmpeg', runs('ffmpeg', ['-version']), 'apt-get install ffmpeg');
const TARGET = -16;
const CEILING = Math.floor(32768 * 10 ** (-1 / 20));
const VOICE: CallerConfig['voice'] = { enabled: true, chime: true, repeat: 2, repeatGapMs: 800, gapMs: 1500, lang: 'zh-CN' };
const monotonic = { monotonicMs: () => performance.now() };

function peakSample(w: PcmWav): number {
  let peak = 0;
  for (const s of w.samples) peak = Math.max(peak, Math.abs(s));
  return peak;
}

function silence(rate: number, ms: number): PcmWav {
  return { sampleRateHz: rate, channels: 1, samples: new Int16Array(Math.round((rate * ms) / 1000)) };
}

/** The sounds one after another, as a listener hears them (same format). */
function sequence(parts: PcmWav[]): PcmWav {
  const first = parts[0]!;
  const samples = new Int16Array(parts.reduce((n, p) => n + p.samples.length, 0));
  let at = 0;
  for (const p of parts) {
    if (p.sampleRateHz !== first.sampleRateHz) throw new Error(`formats differ: ${p.sampleRateHz} vs ${first.sampleRateHz} Hz`);
    samples.set(p.samples, at);
    at += p.samples.length;
  }
  return { ...first, samples };
}

async function judged(t: Test, dir: string, name: string, wav: PcmWav): Promise<void> {
  const file = join(dir, `${name}.wav`);
  await writeFile(file, encodePcmWav(wav));
  const m = await ebur128(file);
  t.ok(Math.abs(m.integratedLufs - TARGET) <= 2, `${name}: ${m.integratedLufs.toFixed(1)} LUFS (target ${TARGET} ±2), true peak ${m.truePeakDbfs.toFixed(1)} dBFS`);
  t.ok(peakSample(wav) <= CEILING, `${name}: highest sample ${(20 * Math.log10(peakSample(wav) / 32768)).toFixed(2)} dBFS (≤ −1)`);
}

t.test('a call read by espeak-ng: chime and speech at one loudness, no peak above −1 dBFS', { skip }, async (t) => {
  const dir = await tempDir(t);
  const played: string[] = [];
  const runner: CommandRunner = (command, args) => {
    if (command !== 'aplay') return spawnRunner(command, args);
    const file = join(dir, `played-${played.length}.wav`);
    played.push(file);
    return spawnRunner('sh', ['-c', 'cat > "$0"', file]);
  };
  const speaker = new EspeakSpeaker({ runner, timers: globalTimers });
  t.teardown(() => speaker.close());
  const announcer = new Announcer({ speaker, timers: globalTimers, clock: monotonic, mode: () => 'voice', voice: () => VOICE, voicePack: () => undefined, onDone: () => undefined });
  announcer.enqueue({ ticket: 'A003', window: '5', text: '请A 零零三号到五号窗口办理', voice: true, recall: false });
  await announcer.idle();
  t.equal(played.length, 3, 'chime, then the speech twice');
  const [chime, speech, again] = await Promise.all(played.map(async (f) => parsePcmWav(await readFile(f))));
  await judged(t, dir, 'chime', chime!);
  await judged(t, dir, 'speech', speech!);
  await judged(t, dir, 'chime + call', sequence([chime!, speech!, silence(speech!.sampleRateHz, VOICE.repeatGapMs), again!]));
});

t.test('a call joined from a voice pack recorded at uneven levels: one loudness', { skip }, async (t) => {
  const dir = await tempDir(t);
  const pack = join(dir, 'pack');
  await runToCompletion(spawnRunner, 'mkdir', [pack]);
  // Each word recorded by espeak-ng at its own amplitude (-a 20 … 200): a pack made on different days.
  const words = ['请', '号', '到', '窗口', '办理', '零', '三', '五', 'A'];
  for (const [i, word] of words.entries()) {
    const r = await runToCompletion(spawnRunner, 'espeak-ng', ['-v', 'cmn-latn-pinyin', '-a', String(20 + ((i * 60) % 200)), '-w', join(pack, `${word}.wav`), '--stdin'], word === 'A' ? 'ei' : word);
    t.equal(r.code, 0, `clip ${word}`);
  }
  const voicePack = await VoicePack.load(pack);
  const clock = new ManualClock();
  const speaker = new SimSpeaker(clock);
  const announcer = new Announcer({ speaker, timers: globalTimers, clock, mode: () => 'voice', voice: () => ({ ...VOICE, repeat: 1 }), voicePack: () => voicePack, onDone: () => undefined });
  announcer.enqueue({ ticket: 'A003', window: '5', text: '请A 零零三号到五号窗口办理', voice: true, recall: false });
  await announcer.idle();
  const wavs = speaker.events().flatMap((e) => (e.kind === 'play' ? [parsePcmWav(e.wav)] : []));
  t.equal(wavs.length, 2, 'the chime, then the joined clips');
  await judged(t, dir, 'pack call', wavs[1]!);
});
