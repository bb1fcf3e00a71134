// The GA 467 driver opens a real device path through serialport's OS binding: a socat
// pseudo-terminal pair at 115200 with the simulated module on the other end (the same rig as
// the lock boards'). Real time: the kernel moves the bytes; no assertion depends on how long
// anything took.
import t from 'tap';
import { spawnSync } from 'node:child_process';
import { openSerialLink } from '../../../drivers/serial/serial-link.js';
import { SerialIdCardReader } from '../../../drivers/id-card-reader/serial-id-card-reader.js';
import { systemClock } from '../../../drivers/clock/system-clock.js';
import type { IdCardEvent } from '../../../drivers/hal/types.js';
import { VirtualIdCardReader } from '../../../simulators/id-card-reader/virtual-id-card-reader.js';
import { startPtyLockBus } from '../../../simulators/lock-board/pty-lock-bus.js';
import { tempDir } from '../../../testkit/temp.js';
import { until } from '../../../testkit/wait.js';

const socat = spawnSync('socat', ['-V'], { encoding: 'utf8' });
const skip = socat.status === 0 ? false : 'socat is not installed (apt-get install socat): no pseudo-terminal to put the reader on';

void t.test('GA 467 reader on a pty: SAM status, a card read once, cut-up replies, a garbled read retried', { skip }, async (t) => {
  const dir = await tempDir(t, 'halld-idr-pty-');
  const sim = new VirtualIdCardReader({ findAfterRead: 'found' });
  const pty = await startPtyLockBus(sim, dir, 115_200);
  t.teardown(() => pty.close());
  const reader = SerialIdCardReader.open({ name: 'desk', openLink: () => openSerialLink({ name: 'idr', path: pty.hostPath, baudRate: 115_200 }), clock: systemClock, pollMs: 50, replyTimeoutMs: 1000 });
  t.teardown(() => reader.close());
  const events: IdCardEvent[] = [];
  reader.onCard((e) => events.push(e));

  const status = await reader.samStatus();
  t.same(status.ok && [status.value.ready, status.value.sw3, status.value.meaning], [true, 0x90, '操作成功'], 'the SAM answers over the pty');

  const placed = sim.placeCard();
  await until('a read', () => events.length === 1, 10_000);
  const first = events[0];
  t.equal(first?.kind === 'read' && first.card.number, '11010519491231002X');
  t.equal(first?.kind === 'read' && Buffer.from(first.card.photoWlt).toString('hex'), placed.photo.toString('hex'), '1024 photo bytes through a real tty, unchanged');
  await until('more finds', () => sim.count('find') > 10, 10_000);
  t.equal(events.length, 1, 'the card lying there (still answering "found") is not read again');

  sim.removeCard();
  sim.faults.split = { chunks: [1, 7, 64, 300, 2], gapMs: 4 };
  sim.faults.corruptCommand = 'read-basic';
  sim.faults.corruptReplies = 1;
  await until('the lift seen', () => sim.heard.slice(-2).every((h) => h.command === 'find' && h.sw3 === 0x80), 10_000);
  sim.placeCard({ name: '李四', number: '440524188001010014' });
  await until('the second card', () => events.length === 2, 10_000);
  t.same(events.map((e) => (e.kind === 'read' ? e.card.name : e.kind)), ['张三', '李四']);
  t.equal(sim.count('read-basic'), 3, 'one read, then a garbled one and its retry');
  t.equal(reader.health().state, 'ok');
});
