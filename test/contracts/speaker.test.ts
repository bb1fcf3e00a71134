// The Speaker contract on every speaker: sim, none, espeak-ng + aplay over fake processes, and
// a real sound card (HALLD_TEST_SPEAKER=plughw:1,0, espeak-ng and aplay installed).
import t from 'tap';
import { SimSpeaker } from '../../simulators/speaker/sim-speaker.js';
import { NoneSpeaker } from '../../drivers/speaker/none-speaker.js';
import { EspeakSpeaker } from '../../drivers/speaker/espeak-speaker.js';
import { spawnRunner } from '../../drivers/process/command-runner.js';
import { globalTimers } from '../../drivers/clock/timers.js';
import { ManualClock } from '../../simulators/clock/manual-clock.js';
import { FakeRunner } from '../../simulators/process/fake-child.js';
import { speakerContract } from './speaker.js';
import { happyTools } from '../drivers/speaker-tools.js';
import { hardwarePart, runIf } from './hardware-part.js';

t.test('sim speaker', async (t) => {
  speakerContract(t, {
    open: async () => {
      const speaker = new SimSpeaker(new ManualClock());
      return { speaker, heard: () => speaker.spoken(), played: () => speaker.events().flatMap((e) => (e.kind === 'play' ? [e.wav] : [])) };
    },
  });
});

t.test('none speaker (no sound configured)', async (t) => {
  speakerContract(t, { open: async () => ({ speaker: new NoneSpeaker() }) });
});

t.test('espeak-ng + aplay over fake processes', async (t) => {
  speakerContract(t, {
    open: async () => {
      const runner = new FakeRunner(happyTools);
      const speaker = new EspeakSpeaker({ runner: runner.run, timers: globalTimers });
      // What is spoken (not the phoneme probe that chooses the Mandarin voice).
      const heard = () => runner.children.filter((c) => c.command === 'espeak-ng' && !c.args.includes('-x')).map((c) => c.stdinBytes().toString('utf8'));
      const played = () => runner.children.filter((c) => c.command === 'aplay').map((c) => c.stdinBytes());
      return { speaker, heard, played };
    },
  });
});

t.test('sim speaker taking playing time on timers', async (t) => {
  speakerContract(t, {
    open: async () => {
      const speaker = new SimSpeaker(new ManualClock(), { timers: globalTimers, sayMsPerChar: 1 });
      return { speaker, heard: () => speaker.spoken(), played: () => speaker.events().flatMap((e) => (e.kind === 'play' ? [e.wav] : [])) };
    },
  });
});

const card = hardwarePart('HALLD_TEST_SPEAKER', 'set HALLD_TEST_SPEAKER=plughw:1,0 (an ALSA device; espeak-ng and aplay installed) to play through a real sound card');

t.test('a real sound card (HALLD_TEST_SPEAKER)', runIf(card), async (t) => {
  speakerContract(t, { open: async () => ({ speaker: new EspeakSpeaker({ runner: spawnRunner, timers: globalTimers, device: card.value ?? '' }) }) });
});
