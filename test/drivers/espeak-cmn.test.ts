// The caller's fallback voice for real: EspeakSpeaker.say() runs Debian's espeak-ng with the cmn
// (Mandarin) voice on an announcement, offline; aplay is replaced by a process that keeps the
// stream, which must be a PCM WAV of plausible length (a missing voice gives a near-empty one).
import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EspeakSpeaker } from '../../drivers/speaker/espeak-speaker.js';
import { spawnRunner, type CommandRunner } from '../../drivers/process/command-runner.js';
import { globalTimers } from '../../drivers/clock/timers.js';
import { parsePcmWav, wavDurationMs } from '../../drivers/hal/types.js';
import { runs, skipWithout } from '../../testkit/required-tools.js';
import { tempDir } from '../../testkit/temp.js';

const skip = skipWithout('espeak-ng', runs('espeak-ng', ['--version']), 'apt-get install espeak-ng');

t.test('espeak-ng reads 请A 零二三号到五号窗口办理 with the cmn voice', { skip }, async (t) => {
  const file = join(await tempDir(t), 'announcement.wav');
  const runner: CommandRunner = (command, args) => (command === 'aplay' ? spawnRunner('sh', ['-c', 'cat > "$0"', file]) : spawnRunner(command, args));
  const speaker = new EspeakSpeaker({ runner, timers: globalTimers });
  t.teardown(() => speaker.close());
  await speaker.say('请A 零二三号到五号窗口办理', { lang: 'zh-CN' });
  const wav = parsePcmWav(await readFile(file));
  const seconds = wavDurationMs(wav) / 1000;
  t.ok(seconds > 2 && seconds < 15, `about 14 syllables of speech (${seconds.toFixed(1)} s)`);
  let loud = 0;
  for (const s of wav.samples) if (Math.abs(s) > 1000) loud++;
  t.ok(loud > wav.samples.length / 20, 'sound, not silence');
});
