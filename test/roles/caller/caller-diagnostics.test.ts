// The caller's self-tests on the sim board: panels and speaker in sys/diag; the manual key test
// prompts "press NEXT" and so on, passes when each key comes, and stops when the technician gives
// up (its abort signal); the test pattern puts colour bars on every panel and the calls come back.
import t from 'tap';
import { callerFixture, DEVICE, IO } from './caller-fixture.js';
import { createSimHal } from '../../../assembly/create-hal.js';
import { HalError } from '../../../drivers/hal/types.js';
import { waitFor } from '../../../testkit/wait.js';
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

t.test('speaker test plays the chime and a phrase even in silent mode', async (t) => {
  const f = await callerFixture(t);
  await f.command('mode', { mode: 'silent' });
  const prompts: string[] = [];
  t.match(await f.runtime.runManualTest('caller', 'speaker-test', { prompt: (text) => prompts.push(text), signal: new AbortController().signal }), { ok: true });
  t.same(prompts, ['listen: a chime, then 叫号测试']);
  t.same(f.hal.sim.speakerEvents().map((e) => (e.kind === 'say' ? e.text : e.kind)), ['beep', 'beep', '叫号测试']);
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
