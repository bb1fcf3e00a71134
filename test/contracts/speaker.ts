// The Speaker contract (drivers/hal/types.ts): say and beep resolve when done, one after
// another in the order asked, and after close both reject with HalError CLOSED. Run on the
// sim speaker, the "none" speaker, espeak-ng + aplay over fake processes, and a real sound
// card when HALLD_TEST_SPEAKER names it (then a person listens; only the promises are checked).
import type { Test } from 'tap';
import { encodePcmWav, HalError, type Speaker } from './hal-imports.js';

export interface SpeakerUnderTest {
  speaker: Speaker;
  /** The texts that reached the voice, in order; absent where nothing can be observed. */
  heard?: () => string[];
  /** The WAVs given to play() that reached the output, in order; absent where nothing can be observed. */
  played?: () => Buffer[];
}

/** 50 ms of a 440 Hz tone, 16 kHz mono. */
function testWav(): Buffer {
  const samples = new Int16Array(800).map((_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 16_000)));
  return encodePcmWav({ sampleRateHz: 16_000, channels: 1, samples });
}

export interface SpeakerSubject {
  open(t: Test): Promise<SpeakerUnderTest>;
}

export function speakerContract(t: Test, subject: SpeakerSubject): void {
  t.test('say and beep resolve; what is said is heard, in the order asked', async (t) => {
    const { speaker, heard } = await subject.open(t);
    await speaker.beep(100, 880);
    await Promise.all([speaker.say('请A012号到3号窗口', { lang: 'zh-CN' }), speaker.say('A012, window 3', { lang: 'en', rate: 1.2 })]);
    if (heard) t.same(heard(), ['请A012号到3号窗口', 'A012, window 3']);
    else t.pass('resolved (nothing to observe on this speaker)');
  });

  t.test('play() resolves with the WAV played, after a say() asked before it; a buffer that is not a PCM WAV is refused', async (t) => {
    const { speaker, heard, played } = await subject.open(t);
    const wav = testWav();
    const order: string[] = [];
    await Promise.all([speaker.say('请A013号').then(() => order.push('say')), speaker.play(wav).then(() => order.push('play'))]);
    t.same(order, ['say', 'play'], 'one after the other, in the order asked');
    if (heard) t.same(heard(), ['请A013号']);
    if (played) t.same(played().at(-1), wav, 'the same bytes reached the output');
    const err = await speaker.play(Buffer.from('RIFF0000WAVEnot a wav')).then(() => null, (e: unknown) => e);
    t.equal((err as { code?: string } | null)?.code, 'SPEAKER_WAV');
    if (played) t.equal(played().filter((w) => w.toString('ascii', 12, 15) === 'not').length, 0, 'nothing of it was played');
  });

  t.test('after close say, beep and play reject with HalError CLOSED; closing twice is fine', async (t) => {
    const { speaker, heard } = await subject.open(t);
    await speaker.close();
    await speaker.close();
    for (const call of [() => speaker.say('迟到'), () => speaker.beep(100), () => speaker.play(testWav())]) {
      const err = await call().then(() => null, (e: unknown) => e);
      t.ok(err instanceof HalError, 'a HalError');
      t.equal((err as HalError | null)?.code, 'CLOSED');
    }
    if (heard) t.same(heard(), [], 'nothing spoken after close');
  });
}
