// The Speaker contract (drivers/hal/types.ts): say and beep resolve when done, one after
// another in the order asked, and after close both reject with HalError CLOSED. Run on the
// sim speaker, the "none" speaker, espeak-ng + aplay over fake processes, and a real sound
// card when HALLD_TEST_SPEAKER names it (then a person listens; only the promises are checked).
import type { Test } from 'tap';
import { HalError, type Speaker } from './hal-imports.js';

export interface SpeakerUnderTest {
  speaker: Speaker;
  /** The texts that reached the voice, in order; absent where nothing can be observed. */
  heard?: () => string[];
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

  t.test('after close say and beep reject with HalError CLOSED; closing twice is fine', async (t) => {
    const { speaker, heard } = await subject.open(t);
    await speaker.close();
    await speaker.close();
    for (const call of [() => speaker.say('迟到'), () => speaker.beep(100)]) {
      const err = await call().then(() => null, (e: unknown) => e);
      t.ok(err instanceof HalError, 'a HalError');
      t.equal((err as HalError | null)?.code, 'CLOSED');
    }
    if (heard) t.same(heard(), [], 'nothing spoken after close');
  });
}
