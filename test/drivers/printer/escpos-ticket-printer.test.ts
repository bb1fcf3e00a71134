// The real driver against the byte-level simulator, over an in-memory link.
import t from 'tap';
import sinon from 'sinon';
import { HalError } from '../../../drivers/hal/types.js';
import { PrinterNotReadyError, TemplateError, validateTemplate, type TicketTemplate } from '../../../drivers/printer/index.js';
import type { QrItem, TextItem } from '../../../simulators/escpos-printer/index.js';
import { SAMPLE_FIELDS, rig, settle } from './rig.js';

const texts = (items: readonly { type: string }[]): TextItem[] => items.filter((i): i is TextItem => i.type === 'text');

t.test('a default ticket round trip: Chinese text, 𠮷, big number, alignment, QR, cut', async (t) => {
  const { sim, printer } = rig();
  await printer.print({ fields: SAMPLE_FIELDS });
  await settle();
  const tickets = sim.tickets();
  t.equal(tickets.length, 1, 'one ticket, cut');
  const ticket = tickets[0]!;
  t.equal(ticket.partialCut, false);
  const lines = texts(ticket.items);
  const byText = (s: string) => lines.find((l) => l.text.includes(s));

  t.match(byText('某某区政务服务中心'), { align: 'center', bold: true, w: 1, h: 2, chinese: true });
  t.match(byText('A023'), { text: 'A023', align: 'center', w: 4, h: 4, bold: true });
  t.equal(byText('业务类别')?.text, '业务类别：社保业务·𠮷', '4-byte GB18030 character decoded, not ??');
  t.equal(byText('前面等待')?.text, '前面等待 5 人，请留意叫号');
  t.equal(byText('取号时间')?.text, '取号时间：2024-05-06 09:05:03');
  t.equal(byText('办理窗口')?.text, '办理窗口：3号窗口');
  t.match(byText('过号请重新取号'), { align: 'center' });
  t.notOk(lines.some((l) => l.text.includes('?')), 'no replacement characters anywhere');

  const qr = ticket.items.find((i): i is QrItem => i.type === 'qr');
  t.equal(qr?.data, SAMPLE_FIELDS.qrUrl, 'QR payload with Chinese query intact');
  t.match(qr, { moduleDots: 6, errorCorrection: 'M', align: 'center' });
  t.same(sim.log.filter((l) => l.startsWith('unknown')), [], 'no unknown commands');
  t.equal(sim.statusQueries, 4, 'status asked (DLE EOT 1–4) before the ticket');
  await printer.close();
});

t.test('long category wraps at the paper width, CJK counted as 2 columns', async (t) => {
  const { sim, printer } = rig({ columns: 32 });
  const template = validateTemplate({ version: 1, blocks: [{ type: 'text', text: '{category}' }, { type: 'text', text: '{category}', size: { w: 2, h: 2 } }, { type: 'cut' }] });
  await printer.print({ template, fields: { ...SAMPLE_FIELDS, category: '不动产登记'.repeat(4) } });
  await settle();
  const lines = texts(sim.tickets()[0]!.items).map((l) => [l.text, l.w]);
  t.same(lines, [
    ['不动产登记不动产登记不动产登记不', 1],
    ['动产登记', 1],
    ['不动产登记不动产', 2],
    ['登记不动产登记不', 2],
    ['动产登记', 2],
  ]);
});

t.test('status decodes every simulated fault', async (t) => {
  const cases = [
    [{}, { ready: true, faults: [] }],
    [{ paperOut: true }, { ready: false, paperOut: true, online: false, faults: ['paper-out'], raw: { offlineCause: 0x32, paperSensor: 0x72 } }],
    [{ paperLow: true }, { ready: true, paperLow: true, faults: ['paper-low'], raw: { paperSensor: 0x1e } }],
    [{ coverOpen: true }, { ready: false, coverOpen: true, faults: ['cover-open'], raw: { offlineCause: 0x16 } }],
    [{ cutterError: true }, { ready: false, cutterError: true, faults: ['cutter'] }],
    [{ offline: true }, { ready: false, online: false, faults: ['offline'] }],
  ] as const;
  for (const [faults, expected] of cases) {
    const { sim, printer } = rig();
    sim.setFaults(faults);
    t.match(await printer.status(), expected, JSON.stringify(faults));
    await printer.close();
  }
});

t.test('a printer that answers only n = 1, 2 works with statusQueries [1, 2]', async (t) => {
  const { sim, printer } = rig({ statusQueries: [1, 2] });
  sim.setFaults({ paperOut: true });
  const s = await printer.status();
  t.ok(s.paperOut);
  t.same(s.raw, { printer: 0x1a, offlineCause: 0x32, errorCause: null, paperSensor: null });
  t.equal(sim.statusQueries, 2);
});

t.test('noReply: status rejects with TIMEOUT after the configured time', async (t) => {
  const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  t.teardown(() => clock.restore());
  const { sim, printer } = rig({ statusTimeoutMs: 800 });
  sim.setFaults({ noReply: true });
  const pending = printer.status();
  const outcome = pending.then(
    () => 'resolved',
    (err: unknown) => err,
  );
  await clock.tickAsync(799);
  t.equal(sim.statusQueries, 1, 'asked once, waiting');
  await clock.tickAsync(1);
  const err = await outcome;
  t.ok(err instanceof HalError);
  t.equal((err as HalError).code, 'TIMEOUT');
  t.match((err as HalError).message, /DLE EOT 1 within 800 ms/);
});

t.test('noReply: print sends no ticket bytes', async (t) => {
  const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  t.teardown(() => clock.restore());
  const { sim, printer } = rig({ statusTimeoutMs: 300 });
  sim.setFaults({ noReply: true });
  const outcome = printer.print({ fields: SAMPLE_FIELDS }).then(() => null, (err: unknown) => err);
  await clock.tickAsync(300);
  t.match(await outcome, { code: 'TIMEOUT' });
  t.equal(sim.receivedBytes, 3, 'only the DLE EOT 1 query went out');
});

t.test('paper out or cover open: the ticket is refused and nothing is sent, so nothing prints later', async (t) => {
  for (const fault of ['paperOut', 'coverOpen', 'cutterError', 'offline'] as const) {
    const { sim, printer } = rig();
    sim.setFaults({ [fault]: true });
    const err = await printer.print({ fields: SAMPLE_FIELDS }).then(() => null, (e: unknown) => e);
    t.ok(err instanceof PrinterNotReadyError, fault);
    t.equal((err as PrinterNotReadyError).code, 'UNAVAILABLE');
    await settle();
    t.equal(sim.receivedBytes, 12, `${fault}: only the four 3-byte status queries were sent`);
    sim.setFaults({ [fault]: false });
    await settle();
    t.same(sim.items, [], `${fault}: after recovery nothing comes out by surprise`);
  }
});

t.test('paper low: the ticket prints and the status says so', async (t) => {
  const { sim, printer } = rig();
  sim.setFaults({ paperLow: true });
  await printer.print({ fields: SAMPLE_FIELDS });
  await settle();
  t.equal(sim.tickets().length, 1);
  t.ok((await printer.status()).paperLow);
});

t.test('a bad ticket fails before any I/O', async (t) => {
  const { sim, printer } = rig();
  const template = validateTemplate({ version: 1, blocks: [{ type: 'text', text: '{window}' }] });
  await t.rejects(printer.print({ template, fields: { ...SAMPLE_FIELDS, window: undefined } }), TemplateError);
  t.equal(sim.receivedBytes, 0);
});

t.test('templates are validated: at construction and per ticket', async (t) => {
  const { sim, printer } = rig();
  const bad = { version: 1, blocks: [{ type: 'qr', data: '{qrUrl}', size: 40 }] } as unknown as TicketTemplate;
  await t.rejects(printer.print({ template: bad, fields: SAMPLE_FIELDS }), { code: 'BAD_CONFIG', message: /\/blocks\/0\/size/ });
  t.equal(sim.receivedBytes, 0);
  t.throws(() => rig({ template: bad }), TemplateError);
});

t.test('concurrent calls are serialised: status queries never land inside a ticket', async (t) => {
  const { sim, printer } = rig();
  await Promise.all([printer.print({ fields: SAMPLE_FIELDS }), printer.status(), printer.print({ fields: { ...SAMPLE_FIELDS, number: 'A024' } }), printer.status()]);
  await settle();
  t.same(sim.tickets().map((tk) => texts(tk.items).find((l) => l.w === 4)?.text), ['A023', 'A024']);
  t.same(sim.log.filter((l) => l.startsWith('unknown')), []);
  t.equal(sim.statusQueries, 16);
});

t.test('testPrint prints a self-test ticket with 𠮷 and a QR', async (t) => {
  const { sim, printer } = rig({ clock: { now: () => Date.UTC(2024, 0, 2, 3, 4, 5) } });
  await printer.testPrint();
  await settle();
  const ticket = sim.tickets()[0]!;
  t.ok(texts(ticket.items).some((l) => l.text.includes('𠮷')));
  t.ok(texts(ticket.items).some((l) => l.text.includes('2024-01-02 11:04:05')));
  t.ok(ticket.items.some((i) => i.type === 'qr'));
});

t.test('after close every call rejects with CLOSED', async (t) => {
  const { printer, host } = rig();
  await printer.close();
  await t.rejects(printer.status(), { code: 'CLOSED' });
  await t.rejects(printer.print({ fields: SAMPLE_FIELDS }), { code: 'CLOSED' });
  t.ok(host.isOpen(), 'the serial link stays open: the HAL owns it');
  await printer.close();
});

t.test('a link closed under the printer surfaces as CLOSED', async (t) => {
  const { printer, host } = rig();
  await host.close();
  await t.rejects(printer.status(), { code: 'CLOSED' });
});
