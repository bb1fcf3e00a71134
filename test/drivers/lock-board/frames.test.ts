// Byte fixtures from the protocol sources (docs/hardware.md, "Lock boards: 8A/80 family" and "Lock boards: Kerong KR-CU"; Open-Locker's captured frames),
// checked against the codecs alone, without a bus or a simulator.
import t from 'tap';
import { create8a80Codec, xorBcc } from '../../../drivers/lock-board/frame-8a80.js';
import { createKerongCodec, sumChecksum } from '../../../drivers/lock-board/frame-kerong-cu.js';
import { hex, type Decoded, type ReplyDecoder } from '../../../drivers/lock-board/codec.js';

const h = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** Feeds `chunks` the way the bus does: 'data' after each chunk, then 'quiet', then 'deadline'. */
function feed<T>(decode: ReplyDecoder<T>, chunks: Buffer[]): Decoded<T> {
  let rx = Buffer.alloc(0);
  for (const chunk of chunks) {
    rx = Buffer.concat([rx, chunk]);
    const d = decode(rx, 'data');
    if (d.kind !== 'incomplete') return d;
  }
  const quiet = decode(rx, 'quiet');
  return quiet.kind !== 'incomplete' ? quiet : decode(rx, 'deadline');
}

/** Every cut of `bytes` into two pieces, and one byte at a time. */
function cuts(bytes: Buffer): Buffer[][] {
  const out: Buffer[][] = [[bytes], [...bytes].map((b) => Buffer.from([b]))];
  for (let i = 1; i < bytes.length; i++) out.push([bytes.subarray(0, i), bytes.subarray(i)]);
  return out;
}

const board1 = create8a80Codec({ address: 1, locks: 24, polarity: 'set-is-open', statusByteOrder: 'ch1-last' });

void t.test('8a80 requests: the documented frames', async (t) => {
  t.equal(hex(board1.unlock(1).request), '8a 01 01 11 9b', 'open lock 1 on board 1');
  t.equal(hex(board1.status(1).request), '80 01 01 33 b3', 'query lock 1');
  t.equal(hex(board1.statusAll().request), '80 01 00 33 b2', 'query all');
  const board5 = create8a80Codec({ address: 5, locks: 24, polarity: 'set-is-open', statusByteOrder: 'ch1-last' });
  t.equal(hex(board5.unlock(24).request), `8a 05 18 11 ${xorBcc(h('8a051811')).toString(16)}`);
  t.equal(xorBcc(h('8a 01 01 11')), 0x9b);
});

void t.test('8a80 on board 5, lock 24: board and lock bytes where they belong (BCCs worked out by hand)', async (t) => {
  // A board address and a lock number that differ, and neither is 1: a codec that swapped the
  // two, or read one for the other, passes every literal of board 1 lock 1.
  const board5 = create8a80Codec({ address: 5, locks: 24, polarity: 'set-is-open', statusByteOrder: 'ch1-last' });
  t.equal(hex(board5.unlock(24).request), '8a 05 18 11 86', 'unlock: 8A ^ 05 ^ 18 ^ 11 = 86');
  t.equal(hex(board5.status(24).request), '80 05 18 33 ae', 'query one: 80 ^ 05 ^ 18 ^ 33 = AE');
  t.equal(hex(board5.statusAll().request), '80 05 00 33 b6', 'query all: 80 ^ 05 ^ 00 ^ 33 = B6');
  t.same(feed(board5.unlock(24).decode, [h('8a 05 18 00 97')]), { kind: 'frame', value: undefined }, 'unlock ack 8A 05 18 00 97');
  t.same(feed(board5.status(24).decode, [h('80 05 18 11 8c')]), { kind: 'frame', value: { lock: 24, open: true } }, 'status 80 05 18 11 8C');
  t.same(feed(board5.status(24).decode, [h('80 05 18 00 9d')]), { kind: 'frame', value: { lock: 24, open: false } }, 'status 80 05 18 00 9D');
  t.not(feed(board5.status(24).decode, [h('80 18 05 11 8c')]).kind, 'frame', 'board and lock swapped is no reply of ours');
  t.not(feed(board5.unlock(24).decode, [h('8a 18 05 00 97')]).kind, 'frame');
  t.not(feed(board5.status(5).decode, [h('80 05 18 11 8c')]).kind, 'frame', "lock 24's reply does not answer lock 5");
});

void t.test('8a80 replies: unlock ack and single-lock status, with either polarity', async (t) => {
  t.same(feed(board1.unlock(1).decode, [h('8a 01 01 00 8a')]), { kind: 'frame', value: undefined }, 'unlock ack 8A 01 01 00 8A');
  t.same(feed(board1.status(1).decode, [h('80 01 01 11 91')]), { kind: 'frame', value: { lock: 1, open: true } }, '80 01 01 11 91, set-is-open');
  t.same(feed(board1.status(1).decode, [h('80 01 01 00 80')]), { kind: 'frame', value: { lock: 1, open: false } });
  const inverted = create8a80Codec({ address: 1, locks: 24, polarity: 'set-is-closed', statusByteOrder: 'ch1-last' });
  t.same(feed(inverted.status(1).decode, [h('80 01 01 11 91')]), { kind: 'frame', value: { lock: 1, open: false } }, 'set-is-closed');
  t.match(feed(board1.status(1).decode, [h('80 01 01 22 a2')]), { kind: 'invalid', code: 'BAD_REPLY' }, 'a status byte that is neither 00 nor 11');
});

void t.test('8a80 query-all: captured frames, lengths the channel count does not predict, byte order', async (t) => {
  const eight = create8a80Codec({ address: 1, locks: 8, polarity: 'set-is-open', statusByteOrder: 'ch1-last' });
  const verified = feed(eight.statusAll().decode, [h('80 01 00 00 00 33 b2')]);
  t.same(verified.kind === 'frame' && verified.value.filter((s) => s.open), [], "Open-Locker's verified 8-channel board: 3 status bytes, all closed");
  const demo = feed(board1.statusAll().decode, [h('80 01 00 00 02 33 b0')]);
  t.same(demo.kind === 'frame' && demo.value.filter((s) => s.open).map((s) => s.lock), [2], 'Android demo capture: lock 2 open (last byte = channels 1-8)');
  const notes = feed(board1.statusAll().decode, [h('80 01 00 00 14 33 a6')]);
  t.same(notes.kind === 'frame' && notes.value.filter((s) => s.open).map((s) => s.lock), [3, 5], 'doors 3 and 5 open');
  const first = create8a80Codec({ address: 1, locks: 24, polarity: 'set-is-open', statusByteOrder: 'ch1-first' });
  const swapped = feed(first.statusAll().decode, [h('80 01 00 00 02 33 b0')]);
  t.same(swapped.kind === 'frame' && swapped.value.filter((s) => s.open).map((s) => s.lock), [18], "statusByteOrder 'ch1-first' reads the same frame as lock 18");
  const fifty = create8a80Codec({ address: 1, locks: 50, polarity: 'set-is-open', statusByteOrder: 'ch1-last' });
  const body = h('80 01 00 00 00 00 00 00 01 33');
  const long = feed(fifty.statusAll().decode, [Buffer.concat([body, Buffer.from([xorBcc(body)])])]);
  t.same(long.kind === 'frame' && long.value.filter((s) => s.open).map((s) => s.lock), [1], '50-channel firmware: 7 status bytes, 11-byte frame');
  t.match(feed(fifty.statusAll().decode, [h('80 01 00 00 02 33 b0')]), { kind: 'invalid', code: 'BAD_REPLY' }, 'a 24-channel reply to a board configured with 50 locks');
  t.same(board1.statusAll().decode(h('80 01 00 00 02 33 b0'), 'data'), { kind: 'incomplete' }, 'no end byte: the frame ends only when the line goes quiet');
});

void t.test('8a80: split frames and garbage before them, every way they can be cut', async (t) => {
  for (const [what, decode, frame, expected] of [
    ['unlock ack', board1.unlock(1).decode, h('8a 01 01 00 8a'), undefined],
    ['status', board1.status(1).decode, h('80 01 01 11 91'), { lock: 1, open: true }],
  ] as const) {
    for (const garbage of [h(''), h('00 ff'), h('8a 80 01'), h('80 01 01 11 00')]) {
      const all = Buffer.concat([garbage, frame]);
      const bad = cuts(all).find((chunks) => JSON.stringify(feed(decode as ReplyDecoder<unknown>, chunks)) !== JSON.stringify({ kind: 'frame', value: expected }));
      t.notOk(bad, `${what} after [${hex(garbage)}]: every cut decodes`);
    }
  }
});

void t.test('8a80: a wrong BCC is CHECKSUM once the line is quiet, never a frame', async (t) => {
  t.same(board1.status(1).decode(h('80 01 01 11 92'), 'data'), { kind: 'incomplete' }, 'more bytes could still come');
  t.match(board1.status(1).decode(h('80 01 01 11 92'), 'quiet'), { kind: 'invalid', code: 'CHECKSUM' });
  t.match(feed(board1.statusAll().decode, [h('80 01 00 00 02 33 b1')]), { kind: 'invalid', code: 'CHECKSUM' });
  t.same(board1.unlock(1).decode(h('8a 01'), 'quiet'), { kind: 'incomplete' }, 'half a frame at a pause: wait for the rest');
  t.same(board1.status(2).decode(h('80 01 01 11 91'), 'deadline'), { kind: 'incomplete' }, "another lock's reply is not this one's");
  t.same(board1.status(1).decode(h('80 02 01 11 92'), 'deadline'), { kind: 'incomplete' }, "another board's reply is not this one's");
});

const kerong0 = createKerongCodec({ address: 0, locks: 16, polarity: 'set-is-closed' });

void t.test('kerong-cu requests: the documented frames', async (t) => {
  t.equal(hex(kerong0.unlock(1).request), '02 00 31 03 36', 'unlock lock index 0');
  for (let n = 0; n < 16; n++) t.equal(hex(kerong0.unlock(n + 1).request), hex(Buffer.from([0x02, n, 0x31, 0x03, n + 0x36])), `unlock n=${n}: 02 n 31 03 (n+36)`);
  t.equal(hex(kerong0.statusAll().request), '02 00 32 03 37', 'query all');
  t.equal(hex(kerong0.status(3).request), '02 02 30 03 37');
  const board2 = createKerongCodec({ address: 2, locks: 16, polarity: 'set-is-closed' });
  t.equal(hex(board2.unlock(3).request), '02 22 31 03 58', 'board id in the high nibble');
  t.equal(sumChecksum(h('02 22 31 03')), 0x58);
});

void t.test('kerong-cu replies: hook and infrared bits', async (t) => {
  // L1=05 (locks 1 and 3 hooked), L2=80 (lock 16 hooked), I1=01 (item in 1); SUM = C1.
  const reply = h('02 00 36 05 80 01 00 03 c1');
  const all = feed(kerong0.statusAll().decode, [reply]);
  if (all.kind !== 'frame') return t.fail(JSON.stringify(all));
  t.same(all.value.filter((s) => !s.open).map((s) => s.lock), [1, 3, 16], "hook bit 1 = closed ('set-is-closed')");
  t.same(all.value.filter((s) => s.itemPresent).map((s) => s.lock), [1]);
  const one = feed(kerong0.status(3).decode, [h('02 02 35 05 80 01 00 03 c2')]);
  t.same(one, { kind: 'frame', value: { lock: 3, open: false, itemPresent: false } });
  t.same(feed(kerong0.unlock(1).decode, [h('02 00 35 00 00 00 00 03 3a')]), { kind: 'frame', value: undefined }, 'unlock answered by a 0x35 status frame');
  t.match(feed(kerong0.statusAll().decode, [h('02 00 36 05 80 01 00 03 c0')]), { kind: 'invalid', code: 'CHECKSUM' });
  const board1 = createKerongCodec({ address: 1, locks: 16, polarity: 'set-is-closed' });
  t.same(board1.statusAll().decode(reply, 'deadline'), { kind: 'incomplete' }, "board 0's reply is not board 1's");
  for (const garbage of [h(''), h('02 03'), h('ff 02 00 36')]) {
    const bad = cuts(Buffer.concat([garbage, reply])).find((chunks) => feed(kerong0.statusAll().decode, chunks).kind !== 'frame');
    t.notOk(bad, `after [${hex(garbage)}]: every cut decodes`);
  }
});
