// The IdCardReader contract on the GA 467 driver: over a virtual serial port with the
// byte-level simulated module behind it (sinon fake time), and through the sim board's
// hal.idCardReader() (io.idCardReaders on an io.serial part, the virtual module the sim board
// attaches to that port). On hardware (HALLD_TEST_ID_CARD_READER=/dev/ttyUSB1) the SAM's status
// is asked and a person lays a card on the reader; nothing of the card is printed.
import t, { type Test } from 'tap';
import { idCardReaderContract, type IdCardReaderRig } from './id-card-reader.js';
import { hardwarePart, runIf } from './hardware-part.js';
import { SerialIdCardReader } from '../../drivers/id-card-reader/serial-id-card-reader.js';
import { idNumberWellFormed, type IdCardEvent } from '../../drivers/hal/types.js';
import { openSerialLink } from '../../drivers/serial/serial-link.js';
import { systemClock } from '../../drivers/clock/system-clock.js';
import { globalTimers } from '../../drivers/clock/timers.js';
import { createSimHal } from '../../assembly/create-hal.js';
import { VirtualSerialBus } from '../../simulators/serial/virtual-serial-bus.js';
import { VirtualIdCardReader } from '../../simulators/id-card-reader/virtual-id-card-reader.js';
import { runOnFakeTime } from '../drivers/lock-board/rig.js';
import { settle, useFakeTime } from '../drivers/fake-time.js';
import { until } from '../../testkit/wait.js';
import type sinon from 'sinon';

const PATH = '/dev/ttyUSB1';
const POLL_MS = 250;
const REPLY_TIMEOUT_MS = 1000;

/** Moves fake time on 1 ms at a time while the serial streams (real setImmediate) settle. */
function timeControls(clock: sinon.SinonFakeTimers): Pick<IdCardReaderRig, 'until' | 'pass' | 'run'> {
  const step = async () => {
    await settle(4);
    await clock.tickAsync(1);
  };
  return {
    async until(what, done, maxMs = 30_000) {
      for (let ms = 0; !done(); ms++) {
        if (ms > maxMs) throw new Error(`no ${what} within ${maxMs} ms of reader time`);
        await step();
      }
    },
    async pass(ms) {
      for (let i = 0; i < ms; i++) await step();
    },
    run: runOnFakeTime(clock),
  };
}

void t.test('GA 467 driver on a virtual serial port', async (t) => {
  idCardReaderContract(t, 'driver', async (t, options) => {
    const clock = useFakeTime(t);
    const bus = new VirtualSerialBus();
    const sim = new VirtualIdCardReader(options);
    bus.attach(PATH, sim);
    const listenerErrors: string[] = [];
    const reader = SerialIdCardReader.open({
      name: 'desk',
      openLink: () => openSerialLink({ name: 'idr', path: PATH, baudRate: 115_200, binding: bus.binding }),
      clock: systemClock,
      timers: globalTimers,
      pollMs: POLL_MS,
      replyTimeoutMs: REPLY_TIMEOUT_MS,
      onListenerError: (part, err) => listenerErrors.push(`${part}: ${err instanceof Error ? err.message : String(err)}`),
    });
    t.teardown(() => reader.close());
    return { reader, sim, listenerErrors, pollMs: POLL_MS, ...timeControls(clock) };
  });
});

async function simBoard(t: Test) {
  const clock = useFakeTime(t);
  const listenerErrors: string[] = [];
  const hal = await createSimHal({
    board: 'sim',
    io: { serial: { idr: { path: PATH } }, idCardReaders: { desk: { serial: 'idr', pollMs: POLL_MS, replyTimeoutMs: REPLY_TIMEOUT_MS } } },
    onListenerError: (part, err) => listenerErrors.push(`${part}: ${err instanceof Error ? err.message : String(err)}`),
  });
  t.teardown(() => hal.close());
  return { hal, clock, listenerErrors };
}

void t.test('hal.idCardReader() on the sim board', async (t) => {
  idCardReaderContract(t, 'sim board', async (t, options) => {
    const { hal, clock, listenerErrors } = await simBoard(t);
    const sim = hal.sim.idCardReader('desk');
    sim.findAfterRead = options.findAfterRead ?? 'found';
    return { reader: await hal.idCardReader('desk'), sim, listenerErrors, pollMs: POLL_MS, ...timeControls(clock) };
  });
});

void t.test('sim board: the USB reader pulled out and put back', async (t) => {
  const { hal, clock } = await simBoard(t);
  const time = timeControls(clock);
  const reader = await hal.idCardReader('desk');
  const sim = hal.sim.idCardReader('desk');
  const events: IdCardEvent[] = [];
  reader.onCard((e) => events.push(e));
  await time.until('ok', () => reader.health().state === 'ok');
  hal.sim.unplugSerial('idr');
  await time.until('the fault', () => reader.health().state === 'fault');
  t.match(reader.health(), { code: 'CLOSED' });
  const row = (await time.run(hal.selfTest())).find((r) => r.name === 'id-card-reader:desk');
  t.match(row, { ok: false, detail: /^CLOSED: / });
  hal.sim.replugSerial('idr');
  sim.placeCard();
  await time.until('the card, on the reopened port', () => events.length === 1, 20_000);
  t.equal(events[0]?.kind, 'read');
  const again = (await time.run(hal.selfTest())).find((r) => r.name === 'id-card-reader:desk');
  t.match(again, { ok: true, detail: 'SAM status 0x90: 操作成功' });
  t.same(hal.describe().idCardReaders, ['desk']);
});

const port = hardwarePart('HALLD_TEST_ID_CARD_READER', 'set HALLD_TEST_ID_CARD_READER=/dev/ttyUSB1 (a GA 467 reader at 115200 8N1), then lay an ID card on it when asked');

void t.test('a real reader (HALLD_TEST_ID_CARD_READER): the SAM is ready and a card placed is read once', runIf(port), async (t) => {
  const reader = SerialIdCardReader.open({ name: 'reader', openLink: () => openSerialLink({ name: 'reader', path: port.value ?? '', baudRate: 115_200 }), clock: systemClock });
  t.teardown(() => reader.close());
  const status = await reader.samStatus();
  t.same(status.ok && status.value.ready, true, `SAM status: ${status.ok ? status.value.meaning : status.message}`);
  const events: IdCardEvent[] = [];
  reader.onCard((e) => events.push(e));
  t.comment('lay an ID card on the reader within 60 s and leave it there');
  await until('a card', () => events.length > 0, 60_000);
  const event = events[0];
  t.equal(event?.kind, 'read', event?.kind === 'unreadable' ? event.detail : 'read');
  if (event?.kind === 'read') t.ok(idNumberWellFormed(event.card.number), 'the number passes its check character (not printed)');
  await new Promise((resolve) => setTimeout(resolve, 3000));
  t.equal(events.length, 1, 'left lying there, it is not read again');
});
