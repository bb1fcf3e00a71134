import t from 'tap';
import iconv from 'iconv-lite';
import { VirtualEscPosPrinter, createMemoryLinkPair, realTimeStatusByte, NO_FAULTS } from '../../../simulators/escpos-printer/index.js';

function ask(sim: VirtualEscPosPrinter, n: number): number[] {
  const replies: number[] = [];
  const off = sim.onReply((b) => replies.push(...b));
  sim.receive(Buffer.from([0x10, 0x04, n]));
  off();
  return replies;
}

t.test('status replies like a real printer', async (t) => {
  const sim = new VirtualEscPosPrinter();
  t.same([1, 2, 3, 4].flatMap((n) => ask(sim, n)), [0x12, 0x12, 0x12, 0x12], 'healthy');
  sim.setFaults({ paperOut: true });
  t.same(ask(sim, 4), [0x72], 'paper out, n=4');
  t.same(ask(sim, 2), [0x32], 'paper out, n=2');
  t.same(ask(sim, 1), [0x1a], 'paper out, offline');
  sim.setFaults({ paperOut: false, coverOpen: true });
  t.same(ask(sim, 2), [0x16], 'cover open, n=2');
  sim.setFaults({ coverOpen: false, paperLow: true });
  t.same(ask(sim, 4), [0x1e], 'near end');
  t.same(ask(sim, 1), [0x12], 'near end keeps printing');
  sim.setFaults({ paperLow: false, cutterError: true });
  t.same(ask(sim, 3), [0x1a], 'auto-cutter error');
  sim.setFaults({ cutterError: false, noReply: true });
  t.same(ask(sim, 1), [], 'no reply');
  t.equal(sim.statusQueries, 12, 'answered or not, every query counted');
  t.equal(realTimeStatusByte(5, NO_FAULTS), null, 'n outside 1–4 unanswered');
});

t.test('GS r 1 paper sensor answered while online', async (t) => {
  const sim = new VirtualEscPosPrinter();
  sim.setFaults({ paperLow: true });
  const replies: number[] = [];
  sim.onReply((b) => replies.push(...b));
  sim.receive(Buffer.from([0x1d, 0x72, 0x01]));
  t.same(replies, [0x03]);
});

t.test('offline: data is dropped, never printed later; DLE EOT still answered', async (t) => {
  const sim = new VirtualEscPosPrinter({ chineseModeAtPowerOn: true });
  sim.receive(Buffer.from('printed\nhalf a li'));
  sim.setFaults({ paperOut: true });
  t.ok(sim.log.includes('offline: unprinted line discarded'));
  const body = Buffer.concat([iconv.encode('离线时的票\n', 'gb18030'), Buffer.from([0x1d, 0x56, 0x00])]);
  sim.receive(body);
  t.same(ask(sim, 4), [0x72]);
  t.equal(sim.droppedBytes, body.length);
  sim.setFaults({ paperOut: false });
  sim.receive(Buffer.from('after\n'));
  t.same(sim.items.map((i) => (i.type === 'text' ? i.text : i.type)), ['printed', 'after']);
  t.match(sim.log.join('\n'), new RegExp(`${body.length} bytes received while offline were dropped`));
});

t.test('decoding: GB18030 in Chinese mode, code tables otherwise', async (t) => {
  const sim = new VirtualEscPosPrinter();
  sim.receive(Buffer.from([0x82, 0x0a])); // cp437 é
  sim.receive(Buffer.from([0x1b, 0x74, 16, 0x80, 0x0a])); // WPC1252 €
  sim.receive(Buffer.concat([Buffer.from([0x1c, 0x26]), iconv.encode('取号𠮷', 'gb18030'), Buffer.from([0x1c, 0x2e, 0x82, 0x0a])]));
  t.same(sim.items.map((i) => (i.type === 'text' ? i.text : '')), ['é', '€', '取号𠮷‚'], 'mode switch inside a line; 0x82 from WPC1252, still selected');
  const powerOnChinese = new VirtualEscPosPrinter({ chineseModeAtPowerOn: true });
  powerOnChinese.receive(Buffer.concat([iconv.encode('取号', 'gb18030'), Buffer.from('\n')]));
  t.match(powerOnChinese.items, [{ text: '取号', chinese: true }]);
});

t.test('modes: ESC !, GS !, ESC a, ESC E, ESC -, and ESC @ resets them', async (t) => {
  const sim = new VirtualEscPosPrinter();
  sim.receive(Buffer.from([0x1b, 0x21, 0x38, ...Buffer.from('a\n')])); // bold, double height+width
  sim.receive(Buffer.from([0x1d, 0x21, 0x23, 0x1b, 0x61, 0x02, 0x1b, 0x2d, 0x01, ...Buffer.from('b\n')]));
  sim.receive(Buffer.from([0x1b, 0x40, ...Buffer.from('c\n')]));
  t.match(sim.items, [
    { text: 'a', w: 2, h: 2, bold: true, align: 'left' },
    { text: 'b', w: 3, h: 4, bold: true, align: 'right', underline: true },
    { text: 'c', w: 1, h: 1, bold: false, align: 'left', underline: false },
  ]);
  sim.receive(Buffer.from('unfinished'));
  sim.receive(Buffer.from([0x1b, 0x40, 0x0a]));
  t.match(sim.items[3], { type: 'feed', lines: 1 }, 'ESC @ cleared the unprinted line');
});

t.test('tickets are grouped at each cut', async (t) => {
  const sim = new VirtualEscPosPrinter();
  sim.receive(Buffer.from('one\n\x1dV\x00two\n\x1b\x64\x02\x1dV\x42\x03three\n'));
  const tickets = sim.tickets();
  t.equal(tickets.length, 2);
  t.match(tickets[0], { items: [{ text: 'one' }], partialCut: false });
  t.match(tickets[1], { items: [{ text: 'two' }, { type: 'feed', lines: 2 }], partialCut: true });
  t.match(sim.pendingItems(), [{ text: 'three' }]);
  sim.clearPaper();
  t.same(sim.items, []);
});

t.test('memory link: bytes cross on a later microtask; closing one end closes both', async (t) => {
  const { host, device } = createMemoryLinkPair();
  const sim = new VirtualEscPosPrinter();
  const detach = sim.attach(device);
  const replies: number[] = [];
  host.onData((b) => replies.push(...b));
  let closed = 0;
  device.onClose(() => closed++);
  const written = host.write(Buffer.from([0x10, 0x04, 0x01]));
  t.equal(sim.receivedBytes, 0, 'not delivered inside write()');
  await written;
  await new Promise((r) => setImmediate(r));
  t.same(replies, [0x12]);
  detach();
  await host.close();
  t.equal(closed, 1);
  t.notOk(device.isOpen());
  await t.rejects(device.write(Buffer.from('x')), { code: 'CLOSED' });
});
