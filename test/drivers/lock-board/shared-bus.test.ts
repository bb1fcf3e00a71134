// Several boards on one RS485 line share one queue: one request on the wire at a time, each
// reply read as the answer of the request before it, a dead board delaying but not breaking
// the others, both families' addressing.
import t, { type Test } from 'tap';
import { lockRig, type LockRig } from './rig.js';

/**
 * The line's traffic never has a request while another answered request's reply is still due,
 * and every reply comes from the board the request before it addressed.
 */
function assertSerialised(t: Test, r: LockRig): void {
  let awaiting: number | undefined;
  let overlaps = 0;
  let wrongReplies = 0;
  for (const entry of r.line.wire) {
    if (entry.from === 'host') {
      if (awaiting !== undefined) overlaps += 1;
      awaiting = r.line.heard.find((h) => h.bytes === entry.bytes)?.answered ? entry.address : undefined;
    } else {
      if (entry.address !== awaiting) wrongReplies += 1;
      awaiting = undefined;
    }
  }
  t.same({ overlaps, wrongReplies }, { overlaps: 0, wrongReplies: 0 }, `one transaction at a time (${r.line.wire.length} frames on the wire)`);
}

void t.test('8a80: three boards on one line, called all at once, each gets its own answer', async (t) => {
  const r = await lockRig(t, {
    family: '8a80',
    boards: [
      { name: 'cab-a', address: 1, locks: 24 },
      { name: 'cab-b', address: 2, locks: 12 },
      { name: 'cab-c', address: 3, locks: 8 },
    ],
  });
  r.line.board(2).forceOpen(7);
  r.line.board(3).forceOpen(1);
  const [a, b, c] = ['cab-a', 'cab-b', 'cab-c'].map((n) => r.boards.get(n)!);
  const results = await r.run(Promise.all([a!.statusAll(), b!.open(3), b!.statusAll(), c!.status(1), a!.status(24)]));
  t.same(results.map((x) => x.ok), [true, true, true, true, true]);
  const [allA, , allB, oneC, oneA] = results;
  t.same(allA?.ok && (allA.value as { open: boolean }[]).filter((s) => s.open), []);
  t.same(allB?.ok && (allB.value as { lock: number; open: boolean }[]).filter((s) => s.open).map((s) => s.lock), [3, 7], 'board 2: its own door 7 and the one just unlocked');
  t.same(oneC?.ok && oneC.value, { lock: 1, open: true });
  t.same(oneA?.ok && oneA.value, { lock: 24, open: false });
  t.same(r.line.unlocksHeard().map((u) => [u.address, u.lock]), [[2, 3]], 'one unlock, for board 2 lock 3');
  t.same(r.line.heard.map((h) => h.address), [1, 2, 2, 3, 1], 'requests in call order');
  assertSerialised(t, r);
});

void t.test('8a80: a dead board on the line delays the others but does not break them', async (t) => {
  const r = await lockRig(t, {
    family: '8a80',
    boards: [
      { name: 'cab-a', address: 1, locks: 24 },
      { name: 'cab-b', address: 2, locks: 24 },
    ],
  });
  r.line.board(2).faults.silent = true;
  const a = r.boards.get('cab-a')!;
  const b = r.boards.get('cab-b')!;
  const [first, dead, after] = await r.run(Promise.all([a.statusAll(), b.statusAll(), a.open(9)]));
  t.ok(first.ok);
  t.same(dead.ok ? 'ok' : [dead.code, dead.attempts], ['TIMEOUT', 3]);
  t.ok(after.ok, 'the unlock queued behind the dead board still goes out, once');
  t.same([a.health().state, b.health().state], ['ok', 'fault'], 'health is per board');
  t.same(r.line.heard.map((h) => `${h.address}:${h.kind}`), ['1:status-all', '2:status-all', '2:status-all', '2:status-all', '1:unlock']);
  assertSerialised(t, r);
});

void t.test('kerong-cu: two boards by the high nibble of ADDR', async (t) => {
  const r = await lockRig(t, {
    family: 'kerong-cu',
    boards: [
      { name: 'cab-a', address: 0, locks: 16 },
      { name: 'cab-b', address: 1, locks: 12 },
    ],
  });
  r.line.board(1).setItem(12, true);
  const a = r.boards.get('cab-a')!;
  const b = r.boards.get('cab-b')!;
  const [openB, allB, allA] = await r.run(Promise.all([b.open(5), b.statusAll(), a.statusAll()]));
  t.ok(openB.ok);
  t.same(r.line.board(1).pulses, [5]);
  t.same(r.line.board(0).pulses, []);
  t.same(allB.ok && allB.value.length, 12);
  t.same(allB.ok && allB.value.filter((s) => s.open || s.itemPresent), [
    { lock: 5, open: true, itemPresent: false },
    { lock: 12, open: false, itemPresent: true },
  ]);
  t.same(allA.ok && allA.value.filter((s) => s.open), []);
  t.equal(r.written().subarray(0, 5).toString('hex'), '021431034a', 'board 1 lock 5: ADDR 0x14, SUM 0x4A');
  assertSerialised(t, r);
});

void t.test('a late reply tail is dropped, and the next call reads its own reply', async (t) => {
  const r = await lockRig(t, { family: 'kerong-cu' });
  // The first 2 bytes arrive in time, the rest long after the 1000 ms deadline.
  r.sim.faults.split = { chunks: [2], gapMs: 2500 };
  const late = await r.run(r.board.open(1));
  t.same(late.ok ? 'ok' : [late.code, late.sent], ['TIMEOUT', true]);
  r.sim.faults.split = undefined;
  await r.run(r.line.flushed());
  const next = await r.run(r.board.open(2));
  t.ok(next.ok, 'the second unlock is acknowledged by its own reply');
  t.same(r.sim.pulses, [1, 2]);
  t.equal(r.line.unlocksHeard().length, 2, 'one frame per call');
});
