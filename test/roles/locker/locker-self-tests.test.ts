// The locker's self-tests on the 8a80 simulator: the bus scan names a board that does not
// answer, the sensor check names a door open past the left-open time, and the manual click
// test opens each door in turn (asking the technician to close it), reports a jammed one,
// and stops when the technician gives up.
import t from 'tap';
import { lockerFixture } from './locker-fixture.js';

t.setTimeout(120_000);

t.test('bus scan and sensors', async (t) => {
  const e = await lockerFixture(t);
  const healthy = await e.run(e.runtime.diagnose());
  t.match(healthy.results.find((r) => r.name === 'locker/bus-scan'), { ok: true });
  t.match(healthy.results.find((r) => r.name === 'locker/sensors'), { ok: true });
  e.board.forceOpen(2);
  await e.until('door.forced', () => e.events('door.forced')[0]);
  e.time.tick(61_000);
  e.board.faults.silent = true;
  const sick = await e.run(e.runtime.diagnose());
  t.match(sick.results.find((r) => r.name === 'locker/bus-scan'), { ok: false, detail: /cab-a: TIMEOUT/ });
  t.match(sick.results.find((r) => r.name === 'locker/sensors'), { ok: false, data: { stuck: [2] } });
});

t.test('click-test: each door opens in turn, confirmed by its sensor; a jammed one is named', async (t) => {
  const e = await lockerFixture(t);
  e.board.jam(3);
  const prompts: string[] = [];
  const controller = new AbortController();
  const result = e.run(
    e.runtime.runManualTest('locker', 'click-test', {
      signal: controller.signal,
      prompt: (text) => {
        prompts.push(text);
        // The technician closes each door when asked.
        const m = /^close door (\d+)$/.exec(text);
        if (m) e.board.closeDoor(Number(m[1]));
      },
    }),
  );
  const r = await result;
  t.match(r, { ok: false, detail: /not seen open: 3/ });
  t.same(e.bus.unlocksHeard(1).map((u) => u.lock), [1, 2, 3, 4], 'one unlock per door, in order');
  t.same(prompts.filter((p) => p.startsWith('close')), ['close door 1', 'close door 2', 'close door 4']);
});

t.test('click-test stops when the technician gives up', async (t) => {
  const e = await lockerFixture(t);
  const controller = new AbortController();
  const r = await e.run(
    e.runtime.runManualTest('locker', 'click-test', {
      signal: controller.signal,
      // Nobody closes door 1; the technician aborts instead.
      prompt: (text) => {
        if (text === 'close door 1') controller.abort();
      },
    }),
  );
  t.match(r, { ok: false, detail: /stopped after 1 of 4 doors/ });
  t.same(e.bus.unlocksHeard(1).map((u) => u.lock), [1], 'no other door was opened');
});
