// The announcement queue on injected time with a speaker that takes its playing time on the same
// timers: a call made while another is being announced waits for it (no sound ever starts before
// the previous one ended), each announcement is chime + speech `repeat` times with the gap
// between, silent mode plays nothing (also for calls queued before the switch), chime and
// voice are separate switches, and a failing speaker is reported without stopping the queue.
import t, { type Test } from 'tap';
import { Announcer, type AnnouncementJob } from '../../../firmware/roles/caller/announcer.js';
import { SimSpeaker, type SpeakerEvent } from '../../../simulators/speaker/sim-speaker.js';
import { deviceTime, type DeviceTime } from '../../../testkit/device-time.js';
import { HalError, type Speaker } from '../../../drivers/hal/types.js';
import type { Announced, CallerMode } from '../../../protocol/caller.js';
import type { CallerConfig } from '../../../firmware/roles/caller/config.js';

const VOICE: CallerConfig['voice'] = { enabled: true, chime: true, repeat: 2, repeatGapMs: 800, gapMs: 1500, lang: 'zh-CN' };

function job(ticket: string, extra: Partial<AnnouncementJob> = {}): AnnouncementJob {
  return { ticket, window: '5', text: `请${ticket}号`, voice: true, recall: false, ...extra };
}

function setup(t: Test, options: { voice?: Partial<CallerConfig['voice']>; speaker?: (time: DeviceTime) => Speaker } = {}) {
  const time = deviceTime(t, 0);
  const sim = new SimSpeaker(time.clock, { timers: time.timers, sayMsPerChar: 250 });
  let mode: CallerMode = 'voice';
  const done: Announced[] = [];
  const started: string[] = [];
  const announcer = new Announcer({
    speaker: options.speaker ? options.speaker(time) : sim,
    timers: time.timers,
    clock: time.clock,
    onStart: (j) => started.push(`${j.ticket}@${time.clock.monotonicMs()}`),
    mode: () => mode,
    voice: () => ({ ...VOICE, ...options.voice }),
    voicePack: () => undefined,
    onDone: (r) => done.push(r),
  });
  t.teardown(() => announcer.stop());
  return { time, sim, announcer, done, started, setMode: (m: CallerMode) => (mode = m) };
}

/** Runs timers and the promise work they release until the queue is idle. */
async function runUntilIdle(time: DeviceTime, announcer: Announcer): Promise<void> {
  let idle = false;
  void announcer.idle().then(() => (idle = true));
  for (let i = 0; i < 10_000 && !idle; i++) {
    time.tick(10);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (!idle) throw new Error('the queue never went idle');
}

function describe(e: SpeakerEvent): string {
  return e.kind === 'say' ? `say ${e.text}` : e.kind;
}

t.test('a call during an announcement waits for it: no sound starts before the previous one ended', async (t) => {
  const { time, sim, announcer, done } = setup(t);
  t.equal(announcer.enqueue(job('A001')), 0, 'nothing ahead');
  for (let i = 0; i < 30; i++) {
    time.tick(10);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  t.ok(sim.events().length > 0 && done.length === 0, 'A001 is being announced');
  t.equal(announcer.enqueue(job('B002')), 1, 'B002 waits behind it');
  t.equal(announcer.enqueue(job('C003')), 2);
  await runUntilIdle(time, announcer);
  const events = sim.events();
  t.same(events.map(describe), ['play', 'say 请A001号', 'say 请A001号', 'play', 'say 请B002号', 'say 请B002号', 'play', 'say 请C003号', 'say 请C003号'], 'the chime (one WAV), then the speech twice');
  for (let i = 1; i < events.length; i++) {
    const prev = events[i - 1]!;
    const cur = events[i]!;
    t.ok(prev.endMs !== undefined && cur.atMs >= prev.endMs, `${describe(cur)} starts at ${cur.atMs}, after ${describe(prev)} ended at ${prev.endMs}`);
  }
  const repeatGap = events[2]!.atMs - events[1]!.endMs!;
  t.equal(repeatGap, 800, 'the repeat comes after repeatGapMs');
  t.same(done.map((d) => [d.ticket, d.played]), [['A001', 'voice'], ['B002', 'voice'], ['C003', 'voice']], 'announced in call order');
});

t.test('queued calls are separated by gapMs of silence, and each one starts (for the screens) when its own announcement does', async (t) => {
  const { time, sim, announcer, started } = setup(t, { voice: { repeat: 1 } });
  announcer.enqueue(job('A001'));
  announcer.enqueue(job('B002'));
  announcer.enqueue(job('C003'));
  await runUntilIdle(time, announcer);
  const events = sim.events();
  const firstOf = (i: number) => events[i * 2]!;
  const lastOf = (i: number) => events[i * 2 + 1]!;
  for (const i of [1, 2]) {
    const silence = firstOf(i).atMs - (lastOf(i - 1).endMs ?? Number.POSITIVE_INFINITY);
    t.ok(silence >= VOICE.gapMs, `silence before call ${i + 1}: ${silence} ms (gap ${VOICE.gapMs} ms)`);
  }
  t.same(started.map((s) => s.split('@')[0]), ['A001', 'B002', 'C003'], 'each call is started once, in order');
  for (const [i, s] of started.entries()) {
    const at = Number(s.split('@')[1]);
    const previousEnd = i === 0 ? 0 : (lastOf(i - 1).endMs ?? Number.POSITIVE_INFINITY);
    t.ok(at >= previousEnd && at <= firstOf(i).atMs, `call ${i + 1} is shown at ${at}: after the previous call was heard (${previousEnd}), by its own chime (${firstOf(i).atMs})`);
  }
});

t.test('silent mode plays nothing, also for calls queued before the switch', async (t) => {
  const { time, sim, announcer, done, setMode } = setup(t);
  announcer.enqueue(job('A001'));
  announcer.enqueue(job('A002'));
  await new Promise<void>((resolve) => setImmediate(resolve));
  setMode('silent');
  await runUntilIdle(time, announcer);
  t.same(done.map((d) => d.played), ['voice', 'silent'], 'the one playing finishes; the queued one is silent');
  const before = sim.events().length;
  announcer.enqueue(job('A003'));
  await runUntilIdle(time, announcer);
  t.equal(sim.events().length, before, 'nothing more was played');
  t.equal(done.at(-1)?.played, 'silent');
});

t.test('chime and voice are separate switches', async (t) => {
  const chimeOnly = setup(t, { voice: { enabled: false } });
  chimeOnly.announcer.enqueue(job('A001'));
  await runUntilIdle(chimeOnly.time, chimeOnly.announcer);
  t.same(chimeOnly.sim.events().map(describe), ['play']);
  t.equal(chimeOnly.done[0]?.played, 'chime');

  const voiceOnly = setup(t, { voice: { chime: false, repeat: 3 } });
  voiceOnly.announcer.enqueue(job('A002'));
  await runUntilIdle(voiceOnly.time, voiceOnly.announcer);
  t.same(voiceOnly.sim.events().map(describe), ['say 请A002号', 'say 请A002号', 'say 请A002号'], 'three repeats, no chime');
  t.equal(voiceOnly.done[0]?.played, 'voice');

  const neither = setup(t, { voice: { chime: false, enabled: false } });
  neither.announcer.enqueue(job('A003'));
  await runUntilIdle(neither.time, neither.announcer);
  t.same(neither.sim.events(), []);
  t.equal(neither.done[0]?.played, 'silent');
});

t.test('a speaker that fails is reported in announced.error and the next call still plays', async (t) => {
  let fail = true;
  const { time, announcer, done } = setup(t, {
    voice: { chime: false, repeat: 1 },
    speaker: (tm) => {
      const sim = new SimSpeaker(tm.clock, { timers: tm.timers });
      return {
        beep: (ms, hz) => sim.beep(ms, hz),
        play: (wav) => sim.play(wav),
        close: () => sim.close(),
        say: (text, o) => {
          if (fail) {
            fail = false;
            return Promise.reject(new HalError('UNAVAILABLE', 'espeak-ng is not installed'));
          }
          return sim.say(text, o);
        },
      };
    },
  });
  announcer.enqueue(job('A001'));
  announcer.enqueue(job('A002'));
  await runUntilIdle(time, announcer);
  t.match(done, [{ ticket: 'A001', played: 'voice', error: 'espeak-ng is not installed' }, { ticket: 'A002', played: 'voice' }]);
  t.notOk('error' in done[1]!, 'the second one played');
});
