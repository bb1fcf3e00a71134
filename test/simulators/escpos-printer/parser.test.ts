import t from 'tap';
import { EscPosParser, VirtualEscPosPrinter, type EscPosCommand } from '../../../simulators/escpos-printer/index.js';
import { DEFAULT_TICKET_TEMPLATE, renderTicketBytes } from '../../../drivers/printer/index.js';
import { SAMPLE_FIELDS } from '../../drivers/printer/rig.js';

const ticketBytes = renderTicketBytes(DEFAULT_TICKET_TEMPLATE, SAMPLE_FIELDS);

t.test('any chunking gives the same paper', async (t) => {
  const whole = new VirtualEscPosPrinter();
  whole.receive(ticketBytes);
  const byteByByte = new VirtualEscPosPrinter();
  for (const b of ticketBytes) byteByByte.receive(Buffer.from([b]));
  const odd = new VirtualEscPosPrinter();
  for (let i = 0; i < ticketBytes.length; i += 7) odd.receive(ticketBytes.subarray(i, i + 7));
  t.ok(whole.tickets().length === 1);
  t.same(byteByByte.items, whole.items);
  t.same(odd.items, whole.items);
});

t.test('raster and bit images are skipped by length, even when their data looks like commands', async (t) => {
  const sim = new VirtualEscPosPrinter();
  const replies: number[] = [];
  sim.onReply((b) => replies.push(...b));
  const trap = [0x10, 0x04, 0x01, 0x0a, 0x1d, 0x56, 0x00, 0x41]; // DLE EOT 1, LF, GS V 0, 'A'
  // GS v 0 m xL xH yL yH: 2 bytes wide × 4 dots high = 8 bytes
  const raster = Buffer.from([0x1d, 0x76, 0x30, 0x00, 0x02, 0x00, 0x04, 0x00, ...trap]);
  // ESC * 33 nL nH: 24-dot double density, 1 column = 3 bytes
  const bitImage = Buffer.from([0x1b, 0x2a, 0x21, 0x01, 0x00, 0x10, 0x04, 0x02]);
  sim.receive(Buffer.concat([raster.subarray(0, 5), raster.subarray(5), bitImage, Buffer.from('OK\n')]));
  t.same(replies, [], 'no status reply from image data');
  t.same(sim.items.map((i) => i.type), ['text']);
  t.match(sim.items[0], { type: 'text', text: 'OK' });
  t.ok(sim.log.some((l) => l.includes('GS v 0 raster image (8 data bytes)')));
  t.ok(sim.log.some((l) => l.includes('ESC * bit image (3 data bytes)')));
});

t.test('unknown commands are logged and skipped; the text after them survives', async (t) => {
  const sim = new VirtualEscPosPrinter();
  sim.receive(Buffer.from([0x1b, 0xfe, 0x1d, 0xfd, 0x1c, 0xfc, ...Buffer.from('after\n')]));
  t.match(sim.items, [{ type: 'text', text: 'after' }]);
  t.same(sim.log, ['unknown command 1bfe skipped', 'unknown command 1dfd skipped', 'unknown command 1cfc skipped']);
});

t.test('other GS ( k symbols and barcodes are skipped whole', async (t) => {
  const sim = new VirtualEscPosPrinter();
  const pdf417Store = Buffer.from([0x1d, 0x28, 0x6b, 0x06, 0x00, 0x30, 0x50, 0x30, 0x0a, 0x0a, 0x0a]);
  const code39 = Buffer.from([0x1d, 0x6b, 0x04, ...Buffer.from('12\n34'), 0x00]);
  const code128 = Buffer.from([0x1d, 0x6b, 0x49, 0x04, 0x7b, 0x42, 0x0a, 0x0a]);
  sim.receive(Buffer.concat([pdf417Store, code39, code128, Buffer.from('x\n')]));
  t.match(sim.items, [{ type: 'text', text: 'x' }]);
});

t.test('commands split at every position are reassembled', async (t) => {
  const seen: EscPosCommand[] = [];
  const parser = new EscPosParser((c) => seen.push(c));
  const qrStore = Buffer.from([0x1d, 0x28, 0x6b, 0x06, 0x00, 0x31, 0x50, 0x30, 0x61, 0x62, 0x63]);
  for (const b of qrStore) parser.push(Buffer.from([b]));
  t.equal(seen.length, 1);
  t.match(seen[0], { op: 'qr', fn: 0x50 });
  t.equal(parser.pendingBytes, 0);
});

t.test('garbage never throws', async (t) => {
  let state = 12345;
  const next = () => (state = (state * 1103515245 + 12345) >>> 0) >>> 24;
  const sim = new VirtualEscPosPrinter();
  for (let round = 0; round < 200; round++) {
    const chunk = Buffer.alloc(1 + (next() % 64));
    for (let i = 0; i < chunk.length; i++) chunk[i] = next() % 3 === 0 ? [0x1b, 0x1d, 0x1c, 0x10, 0x0a][next() % 5]! : next();
    sim.receive(chunk);
  }
  t.ok(sim.receivedBytes > 0, 'every chunk was taken without an exception');
});
