// The real Star Line Mode driver against the byte-level Star simulator, over an in-memory link.
import t from 'tap';
import sinon from 'sinon';
import { HalError } from '../../../drivers/hal/types.js';
import { PrinterNotReadyError, TemplateError, validateTemplate } from '../../../drivers/printer/index.js';
import { renderTicketText, type QrItem, type TextItem } from '../../../simulators/escpos-printer/index.js';
import { SAMPLE_FIELDS, settle } from './rig.js';
import { starRig } from './star-rig.js';

const texts = (items: readonly { type: string }[]): TextItem[] => items.filter((i): i is TextItem => i.type === 'text');
const ASB_REQUEST_BYTES = 3;

t.test('the default ticket round trip: number, Chinese category with 𠮷, QR with Chinese payload, cut', async (t) => {
  const { sim, printer } = starRig();
  await printer.print({ fields: SAMPLE_FIELDS });
  await settle();
  const tickets = sim.tickets();
  t.equal(tickets.length, 1, 'one ticket, cut');
  const ticket = tickets[0]!;
  t.equal(ticket.partialCut, false, 'ESC d 2: full cut');
  const lines = texts(ticket.items);
  const byText = (s: string) => lines.find((l) => l.text.includes(s));

  t.match(byText('某某区政务服务中心'), { align: 'center', bold: true, w: 1, h: 2, chinese: true });
  t.match(byText('A023'), { text: 'A023', align: 'center', w: 4, h: 4, bold: true });
  t.equal(byText('业务类别')?.text, '业务类别：社保业务·𠮷', '4-byte GB18030 character decoded, not ??');
  t.match(byText('业务类别'), { w: 1, h: 2, align: 'left', bold: false });
  t.match(byText('前面等待'), { bold: true, align: 'left' });
  t.equal(byText('取号时间')?.text, '取号时间：2024-05-06 09:05:03');
  t.match(byText('过号请重新取号'), { align: 'center', w: 1, h: 1 });
  t.notOk(lines.some((l) => l.text.includes('?')), 'no replacement characters anywhere');
  t.ok(lines.every((l) => l.chinese), 'multi-byte mode on for every line (ESC $ 1 after ESC @)');

  const qr = ticket.items.find((i): i is QrItem => i.type === 'qr');
  t.equal(qr?.data, SAMPLE_FIELDS.qrUrl, 'QR payload with Chinese query intact');
  t.ok(qr?.bytes.equals(Buffer.from(SAMPLE_FIELDS.qrUrl!, 'utf8')), 'byte-exact UTF-8');
  t.match(qr, { moduleDots: 6, errorCorrection: 'M', align: 'center' });
  t.same(sim.log, [], 'no unknown or skipped commands');
  t.equal(sim.statusQueries, 1, 'one ESC ACK SOH before the ticket');
  t.match(renderTicketText(ticket), /社保业务·𠮷/, 'the ESC/POS simulator renderers read Star tickets');
  await printer.close();
});

t.test('alignment, size, bold and underline reach the parsed items; Star limits are applied', async (t) => {
  const { sim, printer } = starRig({ columns: 32 });
  const template = validateTemplate({
    version: 1,
    blocks: [
      { type: 'text', text: 'R', align: 'right', size: { w: 2, h: 3 }, bold: true, underline: true },
      { type: 'text', text: 'plain' },
      { type: 'number', text: '{number}', size: { w: 8, h: 7 } },
      { type: 'qr', data: 'x', size: 16, errorCorrection: 'H', align: 'left' },
      { type: 'feed', lines: 200 },
      { type: 'cut', partial: true },
    ],
  });
  await printer.print({ template, fields: SAMPLE_FIELDS });
  await settle();
  const [ticket] = sim.tickets();
  t.ok(ticket?.partialCut, 'ESC d 3: partial cut');
  t.match(ticket?.items, [
    { type: 'text', text: 'R', align: 'right', w: 2, h: 3, bold: true, underline: true },
    { type: 'text', text: 'plain', align: 'left', w: 1, h: 1, bold: false, underline: false },
    { type: 'text', text: 'A023', align: 'center', w: 6, h: 6, bold: true },
    { type: 'qr', data: 'x', moduleDots: 8, errorCorrection: 'H', align: 'left' },
    { type: 'feed', lines: 200 },
  ], '8× prints at 6× (ESC i), 16-dot QR cells at 8 (ESC GS y S 2), 200 lines as ESC a 127 + 73');
  t.equal(ticket?.items.length, 5);
});

t.test('wrapping uses the clamped magnification: an 8× line wraps like a 6× one', async (t) => {
  const { sim, printer } = starRig({ columns: 48 });
  const template = validateTemplate({ version: 1, blocks: [{ type: 'text', text: 'ABCDEFGHIJ', size: { w: 8, h: 1 } }, { type: 'cut' }] });
  await printer.print({ template, fields: SAMPLE_FIELDS });
  await settle();
  t.same(texts(sim.tickets()[0]!.items).map((l) => l.text), ['ABCDEFGH', 'IJ'], '48 / 6 = 8 columns per line');
});

t.test('status decodes every simulated fault', async (t) => {
  const cases = [
    [{}, { ready: true, online: true, faults: [] }],
    [{ paperOut: true }, { ready: false, paperOut: true, online: false, faults: ['paper-out'], raw: { printer: 0x08, paperSensor: 0x08 } }],
    [{ paperLow: true }, { ready: true, paperLow: true, faults: ['paper-low'], raw: { paperSensor: 0x04 } }],
    [{ coverOpen: true }, { ready: false, coverOpen: true, online: false, faults: ['cover-open'], raw: { printer: 0x28 } }],
    [{ cutterError: true }, { ready: false, cutterError: true, faults: ['cutter'], raw: { offlineCause: 0x08 } }],
    [{ offline: true }, { ready: false, online: false, faults: ['offline'] }],
    [{ paperOut: true, coverOpen: true, paperLow: true }, { ready: false, faults: ['paper-out', 'paper-low', 'cover-open'] }],
  ] as const;
  for (const [faults, expected] of cases) {
    const { sim, printer } = starRig();
    sim.setFaults(faults);
    t.match(await printer.status(), expected, JSON.stringify(faults));
    await printer.close();
  }
});

t.test('a printer that does not answer: status rejects with TIMEOUT after the configured time', async (t) => {
  const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  t.teardown(() => clock.restore());
  const { sim, printer } = starRig({ statusTimeoutMs: 800 });
  sim.setFaults({ noReply: true });
  const outcome = printer.status().then(() => 'resolved', (err: unknown) => err);
  await clock.tickAsync(799);
  t.equal(sim.statusQueries, 1, 'asked once, waiting');
  await clock.tickAsync(1);
  const err = await outcome;
  t.ok(err instanceof HalError);
  t.equal((err as HalError).code, 'TIMEOUT');
  t.match((err as HalError).message, /ESC ACK SOH within 800 ms/);
});

t.test('no reply: print sends no ticket bytes', async (t) => {
  const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  t.teardown(() => clock.restore());
  const { sim, printer } = starRig({ statusTimeoutMs: 300 });
  sim.setFaults({ noReply: true });
  const outcome = printer.print({ fields: SAMPLE_FIELDS }).then(() => null, (err: unknown) => err);
  await clock.tickAsync(300);
  t.match(await outcome, { code: 'TIMEOUT' });
  t.equal(sim.receivedBytes, ASB_REQUEST_BYTES, 'only ESC ACK SOH went out');
});

t.test('not ready: the ticket is refused and nothing is sent, so nothing prints later', async (t) => {
  for (const fault of ['paperOut', 'coverOpen', 'cutterError', 'offline'] as const) {
    const { sim, printer } = starRig();
    sim.setFaults({ [fault]: true });
    const err = await printer.print({ fields: SAMPLE_FIELDS }).then(() => null, (e: unknown) => e);
    t.ok(err instanceof PrinterNotReadyError, fault);
    t.equal((err as PrinterNotReadyError).code, 'UNAVAILABLE');
    await settle();
    t.equal(sim.receivedBytes, ASB_REQUEST_BYTES, `${fault}: only the status request was sent`);
    t.equal(sim.droppedBytes, 0);
    sim.setFaults({ [fault]: false });
    await settle();
    t.same(sim.items, [], `${fault}: after recovery nothing comes out by surprise`);
  }
});

t.test('paper low: the ticket prints and the status says so', async (t) => {
  const { sim, printer } = starRig();
  sim.setFaults({ paperLow: true });
  await printer.print({ fields: SAMPLE_FIELDS });
  await settle();
  t.equal(sim.tickets().length, 1);
  t.ok((await printer.status()).paperLow);
});

t.test('a bad ticket fails before any I/O; a closed printer says CLOSED', async (t) => {
  const { sim, printer } = starRig();
  const template = validateTemplate({ version: 1, blocks: [{ type: 'text', text: '{window}' }] });
  await t.rejects(printer.print({ template, fields: { ...SAMPLE_FIELDS, window: undefined } }), TemplateError);
  t.equal(sim.receivedBytes, 0);
  await printer.close();
  await t.rejects(printer.status(), { code: 'CLOSED' });
  await t.rejects(printer.print({ fields: SAMPLE_FIELDS }), { code: 'CLOSED' });
});

t.test('testPrint: Chinese, 𠮷, QR and cut, status-checked', async (t) => {
  const { sim, printer } = starRig({ clock: { now: () => Date.UTC(2024, 0, 2, 3, 4, 5) } });
  await printer.testPrint();
  await settle();
  const ticket = sim.tickets()[0]!;
  t.ok(texts(ticket.items).some((l) => l.text.includes('打印测试 𠮷 镕')));
  t.ok(ticket.items.some((i) => i.type === 'qr' && i.data === 'https://example.cn/自检?n=T001'));
  t.ok(texts(ticket.items).some((l) => l.text.includes('2024-01-02 11:04:05')), 'time from the injected clock');
  t.equal(sim.statusQueries, 1);
});

t.test('tickets in a row are serialised: status, ticket, status, ticket', async (t) => {
  const { sim, printer } = starRig();
  await Promise.all([1, 2, 3].map((n) => printer.print({ fields: { ...SAMPLE_FIELDS, number: `A00${n}` } })));
  await settle();
  t.same(sim.tickets().map((tk) => texts(tk.items).find((l) => l.w === 4)?.text), ['A001', 'A002', 'A003']);
  t.equal(sim.statusQueries, 3);
});
