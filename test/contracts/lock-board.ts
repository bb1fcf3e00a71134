// The LockBoard contract (drivers/hal/lock-board.ts), as one suite every implementation runs
// over its simulator: behaviour the locker role relies on, asserted through the interface and
// what reaches the hardware (bytes on the wire, relay clicks), never through the driver's
// internals. lockBoardBehaviour() holds what every backend shares (the RS485 families and the
// "gpio" relay cabinet); lockBoardContract() adds the serial wire's rules (frames, retries,
// garbled and lost replies). Run directly and through the sim board's hal.lockBoard() (lock-board.test.ts).
import type { Test } from 'tap';
import type { LockBoard, LockBoardHealth } from './hal-imports.js';
import type { VirtualLockBoard } from '../../simulators/lock-board/virtual-lock-board.js';
import type { VirtualLockBus } from '../../simulators/lock-board/virtual-lock-bus.js';

/** The cabinet side every backend's simulator offers: doors a test opens and shuts, jams, pulses seen. */
export type DoorSim = Pick<VirtualLockBoard, 'forceOpen' | 'closeDoor' | 'setItem' | 'jam' | 'pulses'>;

export interface BehaviourRig {
  board: LockBoard;
  sim: DoorSim;
  /** Unlocks that reached the hardware (unlock frames heard, relay pulses). */
  unlocksSent(): number;
  /** Nothing at all reached the hardware (no byte written, no line driven). */
  quiet(): boolean;
  run<T>(promise: Promise<T>): Promise<T>;
  listenerErrors: string[];
  infrared: boolean;
}

export interface ContractRig {
  /** The board under test, on a line with its simulated twin. */
  board: LockBoard;
  sim: VirtualLockBoard;
  line: Pick<VirtualLockBus, 'heard' | 'unlocksHeard'>;
  /** Every byte the driver wrote to the line, in order. */
  written(): Buffer;
  /** Awaits `promise` while moving (fake) time on until the I/O settles. */
  run<T>(promise: Promise<T>): Promise<T>;
  /** What the board reported as listener errors. */
  listenerErrors: string[];
  /** The board has infrared item sensors. */
  infrared: boolean;
  /** The documented unlock frame for the rig's board (a byte fixture, not the driver's encoder). */
  unlockFrame(lock: number): Buffer;
}

export function lockBoardBehaviour(t: Test, name: string, makeRig: (t: Test) => Promise<BehaviourRig>): void {
  void t.test(`${name}: statusAll reads every door, and item sensors where the board has them`, async (t) => {
    const r = await makeRig(t);
    r.sim.forceOpen(2);
    r.sim.forceOpen(r.board.locks);
    r.sim.setItem(3, true);
    const all = await r.run(r.board.statusAll());
    if (!all.ok) return t.fail(all.message);
    t.equal(all.value.length, r.board.locks, 'one entry per configured lock');
    t.same(all.value.filter((s) => s.open).map((s) => s.lock), [2, r.board.locks]);
    if (r.infrared) t.same(all.value.filter((s) => s.itemPresent).map((s) => s.lock), [3], 'infrared bits read');
    else t.notOk(all.value.some((s) => 'itemPresent' in s), 'no itemPresent on a board without item sensors');
    t.same(r.board.health().state, 'ok');
  });

  void t.test(`${name}: status(lock) follows the door both ways`, async (t) => {
    const r = await makeRig(t);
    const closed = await r.run(r.board.status(5));
    t.same(closed.ok && closed.value, r.infrared ? { lock: 5, open: false, itemPresent: false } : { lock: 5, open: false });
    r.sim.forceOpen(5);
    const open = await r.run(r.board.status(5));
    t.same(open.ok && open.value.open, true);
    r.sim.closeDoor(5);
    const again = await r.run(r.board.status(5));
    t.same(again.ok && again.value.open, false);
    t.equal(r.unlocksSent(), 0, 'reading status sends no unlock');
  });

  void t.test(`${name}: open() gives exactly one unlock, acknowledged, and the door opens`, async (t) => {
    const r = await makeRig(t);
    const result = await r.run(r.board.open(1));
    t.ok(result.ok, 'acknowledged');
    t.equal(result.attempts, 1);
    t.equal(r.unlocksSent(), 1, 'one unlock reached the hardware');
    t.same(r.sim.pulses, [1]);
    const after = await r.run(r.board.status(1));
    t.same(after.ok && after.value.open, true, 'the sensor confirms');
  });

  void t.test(`${name}: a jammed lock acknowledges, the sensor says closed`, async (t) => {
    const r = await makeRig(t);
    r.sim.jam(4);
    const result = await r.run(r.board.open(4));
    t.ok(result.ok, 'the board acknowledged the pulse');
    const after = await r.run(r.board.status(4));
    t.same(after.ok && after.value.open, false, 'ack is not an open door');
    t.equal(r.unlocksSent(), 1);
  });

  void t.test(`${name}: a door forced open shows up with no unlock sent`, async (t) => {
    const r = await makeRig(t);
    r.sim.forceOpen(6);
    const all = await r.run(r.board.statusAll());
    t.same(all.ok && all.value.find((s) => s.lock === 6)?.open, true);
    t.equal(r.unlocksSent(), 0);
  });

  void t.test(`${name}: a lock number outside 1..locks is refused with nothing on the wire`, async (t) => {
    const r = await makeRig(t);
    for (const lock of [0, -1, r.board.locks + 1, 1.5, Number.NaN]) {
      const result = await r.board.open(lock);
      t.same(result.ok ? 'ok' : [result.code, result.sent], ['BAD_LOCK', false], `open(${lock})`);
      const status = await r.board.status(lock);
      t.same(status.ok ? 'ok' : status.code, 'BAD_LOCK', `status(${lock})`);
    }
    t.ok(r.quiet(), 'nothing reached the hardware');
    t.equal(r.board.health().state, 'unknown', 'a refused call says nothing about the board');
  });

  void t.test(`${name}: a health listener that throws is reported, the driver goes on`, async (t) => {
    const r = await makeRig(t);
    r.board.onHealth(() => {
      throw new Error('role bug');
    });
    const seen: string[] = [];
    r.board.onHealth((h) => seen.push(h.state));
    const result = await r.run(r.board.status(1));
    t.ok(result.ok);
    t.same(seen, ['ok']);
    t.match(r.listenerErrors, [/role bug/]);
  });

  void t.test(`${name}: after close() every call is CLOSED and nothing is written`, async (t) => {
    const r = await makeRig(t);
    await r.board.close();
    for (const result of [await r.board.open(1), await r.board.status(1), await r.board.statusAll()]) {
      t.same(result.ok ? 'ok' : [result.code, result.sent], ['CLOSED', false]);
    }
    t.ok(r.quiet(), 'nothing reached the hardware');
  });
}

export function lockBoardContract(t: Test, name: string, makeRig: (t: Test) => Promise<ContractRig>): void {
  lockBoardBehaviour(t, name, async (t) => {
    const r = await makeRig(t);
    return { ...r, unlocksSent: () => r.line.unlocksHeard().length, quiet: () => r.written().length === 0 };
  });

  void t.test(`${name}: open() writes exactly the one documented unlock frame and the door opens`, async (t) => {
    const r = await makeRig(t);
    const result = await r.run(r.board.open(1));
    t.ok(result.ok, 'acknowledged');
    t.equal(result.attempts, 1);
    t.equal(r.written().toString('hex'), r.unlockFrame(1).toString('hex'), 'the wire carries the one unlock frame and nothing else');
    t.same(r.sim.pulses, [1]);
    const after = await r.run(r.board.status(1));
    t.same(after.ok && after.value.open, true, 'the sensor confirms');
  });

  void t.test(`${name}: an unanswered unlock is not resent; TIMEOUT with sent:true, and the door may well be open`, async (t) => {
    const r = await makeRig(t);
    r.sim.faults.dropReplies = 1; // executed, reply lost
    const result = await r.run(r.board.open(2));
    t.same(result.ok ? 'ok' : [result.code, result.sent, result.attempts], ['TIMEOUT', true, 1]);
    t.equal(r.written().toString('hex'), r.unlockFrame(2).toString('hex'), 'one unlock frame, no retry');
    t.equal(r.board.health().state, 'fault');
    const after = await r.run(r.board.status(2));
    t.same(after.ok && after.value.open, true, 'status() tells the caller what happened');
    t.equal(r.board.health().state, 'ok', 'and the board is back');
    t.equal(r.line.unlocksHeard().length, 1);
  });

  void t.test(`${name}: an unlock lost on the way in is not resent either`, async (t) => {
    const r = await makeRig(t);
    r.sim.faults.ignoreRequests = 1;
    const result = await r.run(r.board.open(2));
    t.same(result.ok ? 'ok' : [result.code, result.sent], ['TIMEOUT', true]);
    t.equal(r.written().toString('hex'), r.unlockFrame(2).toString('hex'));
    t.same(r.sim.pulses, []);
  });

  void t.test(`${name}: a garbled unlock reply is CHECKSUM, not a retry`, async (t) => {
    const r = await makeRig(t);
    r.sim.faults.corruptReplies = 1;
    const result = await r.run(r.board.open(3));
    t.same(result.ok ? 'ok' : [result.code, result.sent, result.attempts], ['CHECKSUM', true, 1]);
    t.equal(r.line.unlocksHeard().length, 1);
    t.same(r.sim.pulses, [3], 'the board did pulse');
  });

  void t.test(`${name}: unanswered status queries are retried, then the board is a fault, then ok again`, async (t) => {
    const r = await makeRig(t);
    const changes: LockBoardHealth[] = [];
    r.board.onHealth((h) => changes.push(h));
    r.sim.faults.silent = true;
    const result = await r.run(r.board.statusAll());
    t.same(result.ok ? 'ok' : [result.code, result.attempts], ['TIMEOUT', 3], 'one request and two retries');
    t.equal(r.line.heard.length, 3, 'three requests on the wire');
    t.same(changes.map((h) => [h.state, h.code]), [['fault', 'TIMEOUT']]);
    const second = await r.run(r.board.status(1));
    t.notOk(second.ok);
    t.equal(changes.length, 1, 'still faulted: no second event');
    t.equal(r.board.health().consecutiveFailures, 2);
    r.sim.faults.silent = false;
    const back = await r.run(r.board.statusAll());
    t.ok(back.ok);
    t.same(changes.map((h) => h.state), ['fault', 'ok'], 'recovery reported once');
    t.same(r.board.health(), { ok: true, state: 'ok', sinceMs: r.board.health().sinceMs, consecutiveFailures: 0 });
  });

  void t.test(`${name}: one garbled or lost status reply is absorbed by a retry`, async (t) => {
    const r = await makeRig(t);
    r.sim.faults.corruptReplies = 1;
    const garbled = await r.run(r.board.status(1));
    t.same(garbled.ok && garbled.attempts, 2);
    r.sim.faults.dropReplies = 1;
    const lost = await r.run(r.board.statusAll());
    t.same(lost.ok && lost.attempts, 2);
    t.equal(r.board.health().state, 'ok', 'a retried success is no fault');
    r.sim.faults.corruptReplies = 3;
    const bad = await r.run(r.board.statusAll());
    t.same(bad.ok ? 'ok' : [bad.code, bad.attempts], ['CHECKSUM', 3]);
  });

  void t.test(`${name}: replies cut into pieces and behind line noise are read`, async (t) => {
    const r = await makeRig(t);
    r.sim.forceOpen(1);
    r.sim.faults.garbagePrefix = Buffer.from([0x00, 0xff, 0x8a, 0x80, 0x02, 0x13]);
    r.sim.faults.split = { chunkSize: 1, gapMs: 2 };
    const all = await r.run(r.board.statusAll());
    t.same(all.ok && all.value[0], r.infrared ? { lock: 1, open: true, itemPresent: false } : { lock: 1, open: true });
    r.sim.faults.split = { chunks: [2, 1] };
    const opened = await r.run(r.board.open(2));
    t.ok(opened.ok);
    const one = await r.run(r.board.status(2));
    t.same(one.ok && one.value.open, true);
  });

  void t.test(`${name}: an unlock still queued when close() comes is never sent`, async (t) => {
    const r = await makeRig(t);
    r.sim.faults.silent = true;
    const inFlight = r.board.statusAll();
    const queued = r.board.open(1);
    await r.run(Promise.resolve()); // the status request is on the wire, the unlock waits its turn
    t.equal(r.line.heard.length, 1);
    await r.board.close();
    const [first, second] = await r.run(Promise.all([inFlight, queued]));
    t.same(first.ok ? 'ok' : [first.code, first.sent], ['CLOSED', true], 'the line closed under the request in flight');
    t.same(second.ok ? 'ok' : [second.code, second.sent], ['CLOSED', false]);
    t.equal(r.line.unlocksHeard().length, 0, 'no unlock frame');
  });
}
