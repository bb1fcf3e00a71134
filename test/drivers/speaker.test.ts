// The espeak-ng + aplay speaker with a fake runner: the argv built, the text on stdin, the
// WAV of a beep, and failures as HalErrors. Plus the none and sim speakers.
import t from 'tap';
import { EspeakSpeaker, aplayArgs, espeakArgs } from '../../drivers/speaker/espeak-speaker.js';
import { espeakVoice, espeakWordsPerMinute } from '../../drivers/speaker/espeak-voice.js';
import { toneWav } from '../../drivers/speaker/tone-wav.js';
import { NoneSpeaker } from '../../drivers/speaker/none-speaker.js';
import { SimSpeaker } from '../../simulators/speaker/sim-speaker.js';
import { ManualClock } from '../../simulators/clock/manual-clock.js';
import { FakeChild, FakeRunner } from '../../simulators/process/fake-child.js';
import { happyTools } from './speaker-tools.js';
import { globalTimers } from '../../drivers/clock/timers.js';
import { useFakeTime, settle } from './fake-time.js';

t.test('voices and rates', async (t) => {
  t.equal(espeakVoice('zh-CN'), 'cmn');
  t.equal(espeakVoice('zh'), 'cmn');
  t.equal(espeakVoice('zh-Hans-CN'), 'cmn');
  t.equal(espeakVoice('zh-HK'), 'yue');
  t.equal(espeakVoice('en-GB'), 'en-gb');
  t.equal(espeakVoice('fr-CA'), 'fr');
  t.equal(espeakVoice('--help'), 'cmn', 'nothing option-like reaches argv');
  t.equal(espeakWordsPerMinute(undefined), 175);
  t.equal(espeakWordsPerMinute(0.8), 140);
  t.equal(espeakWordsPerMinute(10), 450);
});

t.test('say: espeak-ng argv with voice cmn, text on stdin, WAV piped to aplay on the device', async (t) => {
  const runner = new FakeRunner(happyTools);
  const speaker = new EspeakSpeaker({ runner: runner.run, timers: globalTimers, device: 'plughw:1,0' });
  await speaker.say('请A012号到3号窗口', { lang: 'zh-CN', rate: 0.8 });
  t.same(runner.argvOf('espeak-ng'), [['-v', 'cmn', '-s', '140', '--stdout', '--stdin']]);
  t.same(runner.argvOf('aplay'), [['-q', '-D', 'plughw:1,0', '-t', 'wav', '-']]);
  const [espeak, aplay] = runner.children;
  t.equal(espeak?.stdinBytes().toString('utf8'), '请A012号到3号窗口');
  t.equal(aplay?.stdinBytes().toString('latin1'), 'RIFF....WAVEfake', 'espeak stdout → aplay stdin');
  t.same(espeakArgs('en'), ['-v', 'en', '-s', '175', '--stdout', '--stdin']);
  t.same(aplayArgs(), ['-q', '-t', 'wav', '-']);
});

t.test('beep: a WAV of the right length and rate goes to aplay', async (t) => {
  const runner = new FakeRunner(happyTools);
  const speaker = new EspeakSpeaker({ runner: runner.run, timers: globalTimers });
  await speaker.beep(250, 1000);
  const wav = runner.children[0]?.stdinBytes() ?? Buffer.alloc(0);
  t.equal(wav.toString('ascii', 0, 4), 'RIFF');
  t.equal(wav.toString('ascii', 8, 12), 'WAVE');
  t.equal(wav.readUInt32LE(24), 16000, 'sample rate');
  t.equal(wav.readUInt32LE(40), 250 * 16 * 2, '250 ms of 16-bit mono');
  t.same(wav, toneWav(250, 1000));
});

t.test('failures: a tool exiting non-zero is IO with its stderr, a missing tool is UNAVAILABLE', async (t) => {
  const failing = new FakeRunner((child) => {
    if (child.command === 'espeak-ng') child.stdin.on('finish', () => child.exit(0));
    if (child.command === 'aplay') child.stdin.on('finish', () => (child.printError('aplay: main:831: audio open error: No such file or directory\n'), child.exit(1)));
  });
  const speaker = new EspeakSpeaker({ runner: failing.run, timers: globalTimers });
  await t.rejects(speaker.say('hi', { lang: 'en' }), { code: 'IO', message: 'aplay failed (exit 1): aplay: main:831: audio open error: No such file or directory' });
  const missing = new EspeakSpeaker({ runner: (cmd, args) => FakeChild.missing(cmd, args), timers: globalTimers });
  await t.rejects(missing.beep(100), { code: 'UNAVAILABLE', message: 'aplay is not installed' });
  t.match(await missing.check(), { ok: false, detail: 'espeak-ng not installed (apt install espeak-ng); aplay not installed (apt install alsa-utils)' });
  await speaker.say('still works after a failure?', { lang: 'en' }).catch(() => undefined);
  t.equal(failing.argvOf('espeak-ng').length, 2, 'the queue goes on after a failure');
});

t.test('utterances never overlap, and a hung player is killed after maxPlayMs', async (t) => {
  const clock = useFakeTime(t);
  const runner = new FakeRunner((child) => {
    if (child.command === 'espeak-ng') child.stdin.on('finish', () => child.exit(0));
    // aplay never finishes on its own
  });
  const speaker = new EspeakSpeaker({ runner: runner.run, timers: globalTimers, maxPlayMs: 5000 });
  const first = speaker.say('一', { lang: 'zh-CN' });
  const second = speaker.say('二', { lang: 'zh-CN' });
  const firstResult = first.catch((e: unknown) => e);
  await settle();
  t.equal(runner.argvOf('espeak-ng').length, 1, 'the second waits for the first');
  clock.tick(5000);
  t.match(await firstResult, { code: 'TIMEOUT' });
  await settle();
  t.equal(runner.argvOf('espeak-ng').length, 2, 'then the second starts');
  t.same(runner.children.find((c) => c.command === 'aplay')?.signals, ['SIGKILL']);
  await speaker.close();
  await t.rejects(second, { code: 'CLOSED' });
  await t.rejects(speaker.say('三'), { code: 'CLOSED' });
});

t.test('check runs both tools', async (t) => {
  const runner = new FakeRunner((child) =>
    process.nextTick(() => {
      child.print(child.command === 'aplay' ? 'aplay: version 1.2.8 by Jaroslav Kysela <perex@perex.cz>\n' : 'eSpeak NG text-to-speech: 1.51  Data at: /usr/lib/x86_64-linux-gnu/espeak-ng-data\n');
      child.exit(0);
    }),
  );
  const speaker = new EspeakSpeaker({ runner: runner.run, timers: globalTimers });
  t.match(await speaker.check(), { ok: true, data: { aplay: /version 1\.2\.8/, 'espeak-ng': /eSpeak NG/ } });
});

t.test('none and sim speakers', async (t) => {
  const none = new NoneSpeaker();
  await none.say('x');
  await none.beep(100);
  t.same(await none.check(), { ok: true, detail: 'no speaker configured' });
  const clock = new ManualClock();
  const sim = new SimSpeaker(clock);
  await sim.say('请A012号', { lang: 'zh-CN' });
  clock.advance(500);
  await sim.beep(200, 880);
  t.same(sim.spoken(), ['请A012号']);
  t.same(sim.events(), [
    { kind: 'say', text: '请A012号', lang: 'zh-CN', atMs: 1000, endMs: 1000 },
    { kind: 'beep', durationMs: 200, frequencyHz: 880, atMs: 1500, endMs: 1500 },
  ], 'without timers a sound ends as it starts');
  await sim.close();
  await t.rejects(sim.say('x'), { code: 'CLOSED' });
});
