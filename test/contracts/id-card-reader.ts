// The IdCardReader contract (drivers/hal/id-card-reader.ts), as one suite every implementation
// runs over the byte-level simulated GA 467 module: what the kiosk and the cabinet rely on,
// asserted through the interface and through what reached the module (commands heard), never
// through the driver's internals. Run on the driver over a virtual serial port and through the
// sim board's hal.idCardReader() (id-card-reader.test.ts), for both kinds of module (a card
// already read keeps answering "found", or "not found" until it is lifted).
import type { Test } from 'tap';
import type { IdCardEvent, IdCardReader, IdCardReaderHealth } from '../../drivers/hal/id-card-reader.js';
import { LONG_TERM } from '../../drivers/hal/id-card.js';
import type { VirtualIdCardReader, VirtualIdCardReaderOptions } from '../../simulators/id-card-reader/virtual-id-card-reader.js';
import { DEFAULT_SIM_CARD, simCard } from '../../simulators/id-card-reader/sim-card.js';

export interface IdCardReaderRig {
  reader: IdCardReader;
  sim: VirtualIdCardReader;
  /** Moves the reader's time on until `done()` (fails the test after `maxMs` of it). */
  until(what: string, done: () => boolean, maxMs?: number): Promise<void>;
  /** Lets `ms` of the reader's time pass. */
  pass(ms: number): Promise<void>;
  /** Awaits a call while the reader's time moves on. */
  run<T>(promise: Promise<T>): Promise<T>;
  listenerErrors: string[];
  pollMs: number;
}

export type IdCardReaderRigFactory = (t: Test, options: VirtualIdCardReaderOptions) => Promise<IdCardReaderRig>;

/** The events a rig's reader delivered, collected from the start. */
function collect(reader: IdCardReader): IdCardEvent[] {
  const events: IdCardEvent[] = [];
  reader.onCard((e) => events.push(e));
  return events;
}

const reads = (events: IdCardEvent[]) => events.filter((e): e is Extract<IdCardEvent, { kind: 'read' }> => e.kind === 'read');
const unreadable = (events: IdCardEvent[]) => events.filter((e): e is Extract<IdCardEvent, { kind: 'unreadable' }> => e.kind === 'unreadable');

export function idCardReaderContract(t: Test, name: string, makeRig: IdCardReaderRigFactory): void {
  for (const findAfterRead of ['found', 'not-found'] as const) {
    void t.test(`${name} (${findAfterRead} after a read): a card placed is read once, left lying is not read again, placed anew is`, async (t) => {
      const r = await makeRig(t, { findAfterRead });
      const events = collect(r.reader);
      await r.until('the SAM status check and the first finds', () => r.sim.count('find') >= 2);
      t.equal(r.sim.heard[0]?.command, 'status', 'the SAM status is asked before anything else');
      t.equal(r.reader.health().state, 'ok');
      const placed = r.sim.placeCard();
      await r.until('a read', () => events.length > 0);
      const [first] = reads(events);
      if (!first) return t.fail(`expected a read, got ${JSON.stringify(events)}`);
      const card = first.card;
      t.same(
        [card.name, card.sex, card.nationCode, card.birthDate, card.address, card.number, card.issuer, card.validFrom, card.validUntil],
        ['张三', 'male', '01', '19491231', DEFAULT_SIM_CARD.address, '11010519491231002X', DEFAULT_SIM_CARD.issuer, '20200101', '20400101'],
        'every text field, trimmed of its padding',
      );
      t.equal(Buffer.from(card.photoWlt).toString('hex'), placed.photo.toString('hex'), 'the 1024 WLT bytes passed through untouched');
      t.same(
        r.sim.heard.slice(-3).map((h) => [h.command, h.sw3]),
        [
          ['find', 0x9f],
          ['select', 0x90],
          ['read-basic', 0x90],
        ],
      );
      await r.pass(r.pollMs * 10);
      t.equal(reads(events).length, 1, 'ten polls later, still one read of the card lying there');
      t.equal(r.sim.count('read-basic'), 1);
      r.sim.removeCard();
      await r.pass(r.pollMs * 4);
      r.sim.placeCard({ name: '李四', sex: '2', number: '440524188001010014' });
      await r.until('the second card', () => reads(events).length === 2);
      t.same([reads(events)[1]?.card.name, reads(events)[1]?.card.sex], ['李四', 'female']);
      t.same(unreadable(events), []);
    });
  }

  void t.test(`${name}: an expired card is read with its dates, a long-term one says so`, async (t) => {
    const r = await makeRig(t, {});
    const events = collect(r.reader);
    r.sim.placeCard({ validFrom: '20050301', validUntil: '20150301' });
    await r.until('a read', () => events.length === 1);
    const expired = reads(events)[0]?.card;
    t.same([expired?.validUntil, expired?.validOn('20260101'), expired?.validOn('20150301'), expired?.validOn('20050228')], ['20150301', 'expired', 'valid', 'not-yet-valid']);
    r.sim.removeCard();
    await r.pass(r.pollMs * 4);
    r.sim.placeCard({ birthDate: '19400101', validFrom: '20100101', validUntil: '长期' });
    await r.until('the long-term card', () => events.length === 2);
    const longTerm = reads(events)[1]?.card;
    t.same([longTerm?.validUntil, longTerm?.validOn('20990101')], [LONG_TERM, 'valid']);
  });

  void t.test(`${name}: a SAM that failed its self-test is a fault: reset once, no card read, back when it recovers`, async (t) => {
    const r = await makeRig(t, {});
    const events = collect(r.reader);
    const changes: IdCardReaderHealth[] = [];
    r.reader.onHealth((h) => changes.push(h));
    r.sim.faults.samFault = 0x60;
    r.sim.faults.resetClearsSamFault = false;
    await r.until('a status and a reset', () => r.sim.count('reset') >= 1 && r.sim.count('status') >= 3);
    t.match(r.reader.health(), { ok: false, state: 'fault', code: 'SAM', detail: /0x60 \(SAM自检失败/ });
    const status = await r.run(r.reader.samStatus());
    t.same(status.ok && [status.value.ready, status.value.sw3], [false, 0x60]);
    r.sim.placeCard();
    await r.pass(r.pollMs * 6);
    t.equal(r.sim.count('reset'), 1, 'one reset per fault, not one per poll');
    t.equal(r.sim.count('find'), 0, 'no find while the SAM is not ready');
    t.same(events, []);
    delete r.sim.faults.samFault;
    await r.until('the card, once the SAM answers 0x90', () => events.length === 1);
    t.equal(reads(events).length, 1);
    t.same(
      changes.map((h) => h.state),
      ['fault', 'ok'],
      'fault and recovery reported once each',
    );
  });

  void t.test(`${name}: a SAM fault a reset clears costs one reset`, async (t) => {
    const r = await makeRig(t, {});
    const events = collect(r.reader);
    r.sim.faults.samFault = 0x60;
    r.sim.placeCard();
    await r.until('the card', () => events.length === 1);
    t.equal(r.sim.count('reset'), 1);
    t.equal(r.reader.health().state, 'ok');
    const reset = await r.run(r.reader.resetSam());
    t.ok(reset.ok, 'resetSam answers 0x90');
  });

  void t.test(`${name}: a garbled (bad checksum) reply is not a card; the read is tried again`, async (t) => {
    const r = await makeRig(t, {});
    const events = collect(r.reader);
    r.sim.faults.corruptCommand = 'read-basic';
    r.sim.faults.corruptReplies = 1;
    r.sim.placeCard();
    await r.until('a read', () => events.length === 1);
    t.equal(r.sim.count('read-basic'), 2, 'the garbled read reply, then a good one');
    r.sim.removeCard();
    await r.pass(r.pollMs * 4);
    delete r.sim.faults.corruptCommand;
    r.sim.faults.corruptReplies = 3; // whatever comes next: finds, a select
    r.sim.placeCard({ name: '王五', number: '440524188001010014' });
    await r.until('the card after the garbled replies', () => events.length === 2);
    t.same(
      reads(events).map((e) => e.card.name),
      ['张三', '王五'],
      'no event from a garbled reply, each card read once it came through',
    );
    t.same(unreadable(events), []);
    t.equal(r.reader.health().state, 'ok');
  });

  void t.test(`${name}: a module that halts the card it read: a garbled read reply is reported unreadable, and the card read when placed again`, async (t) => {
    const r = await makeRig(t, { findAfterRead: 'not-found' });
    const events = collect(r.reader);
    r.sim.faults.corruptCommand = 'read-basic';
    r.sim.faults.corruptReplies = 1;
    r.sim.placeCard();
    await r.until('the verdict', () => events.length === 1);
    t.match(events, [{ kind: 'unreadable', code: 'CHECKSUM' }], 'the card answers "no card" after the read it executed: tell the citizen at once');
    t.equal(r.sim.count('read-basic'), 1);
    r.sim.removeCard();
    await r.pass(r.pollMs * 2);
    r.sim.placeCard();
    await r.until('placed again', () => events.length === 2);
    t.equal(events[1]?.kind, 'read');
  });

  void t.test(`${name}: replies cut into pieces, slowly, behind line noise`, async (t) => {
    const r = await makeRig(t, {});
    const events = collect(r.reader);
    r.sim.faults.garbagePrefix = Buffer.from([0x00, 0xaa, 0xaa, 0x96, 0xff, 0xaa]);
    r.sim.faults.split = { chunks: [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377], gapMs: 3 };
    r.sim.placeCard();
    await r.until('a read from the pieces', () => events.length === 1, 60_000);
    t.equal(reads(events)[0]?.card.number, '11010519491231002X');
    t.equal(Buffer.from(reads(events)[0]?.card.photoWlt ?? []).length, 1024);
  });

  void t.test(`${name}: a card that cannot be read is reported once, after the tries, and read when placed again`, async (t) => {
    const r = await makeRig(t, {});
    const events = collect(r.reader);
    r.sim.faults.readFails = 3;
    r.sim.placeCard();
    await r.until('the card given up on', () => events.length === 1);
    t.match(events, [{ kind: 'unreadable', code: 'READ_FAILED', detail: /读居民身份证操作失败/ }]);
    t.equal(r.sim.count('read-basic'), 3, 'three tries');
    await r.pass(r.pollMs * 6);
    t.equal(events.length, 1, 'not reported again while it lies there');
    r.sim.removeCard();
    await r.pass(r.pollMs * 4);
    r.sim.placeCard();
    await r.until('placed again', () => events.length === 2);
    t.equal(events[1]?.kind, 'read');
  });

  void t.test(`${name}: a misread number (check character wrong) is unreadable, never a card`, async (t) => {
    const r = await makeRig(t, {});
    const events = collect(r.reader);
    r.sim.placeCard({ number: '110105194912310021' });
    await r.until('the verdict', () => events.length === 1);
    t.match(events, [{ kind: 'unreadable', code: 'BAD_DATA', detail: /GB 11643 check character/ }]);
    t.notMatch(JSON.stringify(events), /110105194912310021/, 'the event does not carry the number');
  });

  void t.test(`${name}: a card cannot be printed or logged by mistake`, async (t) => {
    const r = await makeRig(t, {});
    const events = collect(r.reader);
    r.sim.placeCard();
    await r.until('a read', () => events.length === 1);
    const { inspect } = await import('node:util');
    const text = [JSON.stringify(events), inspect(events, { depth: 10 }), String(reads(events)[0]?.card), JSON.stringify({ ...reads(events)[0]?.card })].join('\n');
    for (const secret of ['11010519491231002X', '张三', DEFAULT_SIM_CARD.address, '19491231']) t.notOk(text.includes(secret), `no ${secret.slice(0, 2)}… in JSON, inspect, String or a spread copy`);
    t.match(text, /personal information, not printed/);
  });

  void t.test(`${name}: a module that stops answering is a TIMEOUT fault; it comes back`, async (t) => {
    const r = await makeRig(t, {});
    const events = collect(r.reader);
    await r.until('ok', () => r.reader.health().state === 'ok');
    r.sim.faults.silent = true;
    await r.until('the fault', () => r.reader.health().state === 'fault', 20_000);
    t.match(r.reader.health(), { code: 'TIMEOUT' });
    const status = await r.run(r.reader.samStatus());
    t.same(status.ok ? 'ok' : status.code, 'TIMEOUT');
    r.sim.faults.silent = false;
    r.sim.placeCard();
    await r.until('back, and the card read', () => events.length === 1, 20_000);
    t.equal(r.reader.health().state, 'ok');
  });

  void t.test(`${name}: a listener that throws is reported; the others still hear the card`, async (t) => {
    const r = await makeRig(t, {});
    r.reader.onCard(() => {
      throw new Error('role bug');
    });
    const events = collect(r.reader);
    r.sim.placeCard();
    await r.until('a read', () => events.length === 1);
    t.match(r.listenerErrors, [/role bug/]);
    t.notMatch(r.listenerErrors.join('\n'), /11010519491231002X/);
  });

  void t.test(`${name}: after close() nothing is heard, nothing more is sent, calls are CLOSED`, async (t) => {
    const r = await makeRig(t, {});
    const events = collect(r.reader);
    await r.until('polling', () => r.sim.count('find') >= 1);
    await r.reader.close();
    const heard = r.sim.heard.length;
    r.sim.placeCard(simCard());
    await r.pass(r.pollMs * 8);
    t.equal(r.sim.heard.length, heard, 'no poll after close');
    t.same(events, []);
    const status = await r.reader.samStatus();
    t.same(status.ok ? 'ok' : status.code, 'CLOSED');
    const reset = await r.reader.resetSam();
    t.same(reset.ok ? 'ok' : reset.code, 'CLOSED');
  });
}
