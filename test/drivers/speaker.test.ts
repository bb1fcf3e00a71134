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

t.test('say: the voice espeak-ng reads as Mandarin (asked once), text on stdin, WAV piped to aplay on the device', async (t) => {
  const runner = new FakeRunner(happyTools);
  const speaker = new EspeakSpeaker({ runner: runner.run, timers: globalTimers, device: 'plughw:1,0' });
  await speaker.say('请A012号到3号窗口', { lang: 'zh-CN', rate: 0.8 });
  t.same(
    runner.argvOf('espeak-ng'),
    [
      ['-q', '-x', '-v', 'cmn', '--stdin'],
      ['-q', '-x', '-v', 'cmn-latn-pinyin', '--stdin'],
      ['-v', 'cmn-latn-pinyin', '-s', '140', '--stdout', '--stdin'],
    ],
    'as on espeak-ng 1.51: cmn prints (en) phonemes, so the pinyin voice reads',
  );
  t.same(runner.argvOf('aplay'), [['-q', '-D', 'plughw:1,0', '-t', 'wav', '-']]);
  const [, , espeak, aplay] = runner.children;
  t.equal(espeak?.stdinBytes().toString('utf8'), '请A012号到3号窗口');
  t.equal(aplay?.stdinBytes().toString('latin1'), 'RIFF....WAVEfake', 'espeak stdout → aplay stdin');
  t.same(espeakArgs('en'), ['-v', 'en', '-s', '175', '--stdout', '--stdin']);
  t.same(aplayArgs(), ['-q', '-t', 'wav', '-']);
});

t.test('Mandarin voice: cmn where it reads Mandarin (1.52); none usable fails say() and the self-check with a clear line', async (t) => {
  const as152 = new FakeRunner((child) => {
    if (child.command === 'espeak-ng' && child.args.includes('-x')) child.stdin.on('finish', () => (child.print("tS;h'i21N_| 'ei51_|\n"), child.exit(0)));
    else happyTools(child);
  });
  const speaker152 = new EspeakSpeaker({ runner: as152.run, timers: globalTimers });
  await speaker152.say('请到五号窗口', { lang: 'zh-CN' });
  t.same(as152.argvOf('espeak-ng').map((a) => a[a.indexOf('-v') + 1]), ['cmn', 'cmn'], 'probed once, then spoken with cmn');
  const english = new FakeRunner((child) => {
    if (child.command === 'espeak-ng' && child.args.includes('-x')) child.stdin.on('finish', () => (child.print("(en)kI55NTr'i:55(cmn)_|\n"), child.exit(0)));
    else if (child.args.includes('--version')) {
      child.print(child.command === 'aplay' ? 'aplay: version 1.2.8\n' : 'eSpeak NG text-to-speech: 1.51\n');
      child.exit(0);
    } else happyTools(child);
  });
  const none = new EspeakSpeaker({ runner: english.run, timers: globalTimers });
  await t.rejects(none.say('请到五号窗口', { lang: 'zh-CN' }), { code: 'UNAVAILABLE', message: /no Mandarin voice in this espeak-ng: cmn reads Chinese characters as another language/ });
  const health = await none.check();
  t.equal(health.ok, false);
  t.match(health.detail, /^no Mandarin voice usable: cmn reads Chinese characters as another language .*; cmn-latn-pinyin reads Chinese characters as another language/);
  await none.say('hello', { lang: 'en' });
  t.equal(english.argvOf('espeak-ng').at(-1)?.[1], 'en', 'other languages still speak');
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
  const first = speaker.say('one', { lang: 'en' });
  const second = speaker.say('two', { lang: 'en' });
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

t.test('check runs both tools and names the Mandarin voice', async (t) => {
  const runner = new FakeRunner((child) => {
    if (child.args.includes('-x')) return happyTools(child);
    process.nextTick(() => {
      child.print(child.command === 'aplay' ? 'aplay: version 1.2.8 by Jaroslav Kysela <perex@perex.cz>\n' : 'eSpeak NG text-to-speech: 1.51  Data at: /usr/lib/x86_64-linux-gnu/espeak-ng-data\n');
      child.exit(0);
    });
  });
  const speaker = new EspeakSpeaker({ runner: runner.run, timers: globalTimers });
  t.match(await speaker.check(), { ok: true, data: { aplay: /version 1\.2\.8/, 'espeak-ng': /eSpeak NG/, mandarinVoice: 'cmn-latn-pinyin' } });
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
