// Button evaluators on an Arduino over Firmata (johnny-five driving mock-firmata): the same
// events as the GPIO and page paths, and the LEDs blink on the board's pins while a rating
// is requested, then only the pressed level's LED stays lit.
import t from 'tap';
import { createHal } from '../../../assembly/create-hal.js';
import { announceReady, five, instrumented } from '../../drivers/mock-firmata-io.js';
import { caseRequest, evaluatorFixture, LEVELS } from './evaluator-fixture.js';
import { waitFor } from '../../../testkit/wait.js';
import { CHANNEL } from '../../../protocol/evaluator.js';

t.setTimeout(60_000);

/** Buttons on D2..D6 (level 5..1), LEDs on D8..D12. */
const buttonPin = (level: number) => 2 + LEVELS.indexOf(level as 5);
const ledPin = (level: number) => 8 + LEVELS.indexOf(level as 5);
const IO = {
  inputs: Object.fromEntries(LEVELS.map((l) => [`btn-${l}`, { pin: `D${buttonPin(l)}`, pull: 'up', activeLow: true, debounceMs: 10 }])),
  outputs: Object.fromEntries(LEVELS.map((l) => [`led-${l}`, { pin: `D${ledPin(l)}` }])),
};

t.test('a Firmata button rates the open case; the LEDs on the board show it', async (t) => {
  const { io, readers, writes } = instrumented();
  const e = await evaluatorFixture(t, {
    role: { blinkMs: 100 },
    board: {
      id: 'arduino-firmata',
      io: IO,
      hal: () =>
        createHal({
          board: 'arduino-firmata',
          io: IO,
          deps: {
            openFirmataIo: async () => {
              announceReady(io);
              return io;
            },
            loadJohnnyFive: async () => five,
          },
        }),
    },
  });
  const lastWrite = (level: number) => writes.filter(([pin]) => pin === ledPin(level)).at(-1)?.[1];
  const writesTo = (level: number) => writes.filter(([pin]) => pin === ledPin(level)).length;

  await e.command('request', caseRequest('case-f'));
  const start = writesTo(3);
  await waitFor('the LEDs blink on the board', () => writesTo(3) >= start + 3 && LEVELS.every((l) => writesTo(l) >= start + 3));

  // Released, then pressed (pulled up, active low: 0 = pressed), as Firmata reports port values.
  const report = readers.get(buttonPin(2));
  t.ok(report, 'D3 reports its level');
  report?.(1);
  report?.(0);
  const ev = await waitFor('rating.submitted', () => e.events('rating.submitted')[0]);
  t.match(ev.message.data, { caseId: 'case-f', level: 2, levelName: '不满意', items: ['attitude'], channel: CHANNEL, offline: false });
  await waitFor('only led-2 lit', () => lastWrite(2) === 1 && [5, 4, 3, 1].every((l) => lastWrite(l) === 0));
  // Barrier: a later case's event arrives after anything the press could still have sent.
  await e.command('request', caseRequest('case-g'));
  await e.command('cancel', { caseId: 'case-g' });
  await waitFor('case-g cancelled', () => e.events('rating.cancelled')[0]);
  t.equal(e.events('rating.submitted').length, 1, 'one rating');
});
