// The TicketPrinter contract (drivers/printer/types.ts): what every command set's driver does,
// run on the ESC/POS and the Star driver over their byte-level simulators, and on a real
// printer when HALLD_TEST_PRINTER names its port. A case that reads the paper or injects a
// fault needs the simulator and skips on hardware; the rest runs on both.
import type { Test } from 'tap';
import sinon from 'sinon';
import { HalError, PrinterNotReadyError, TemplateError, validateTemplate, type PrinterStatus, type SerialLink, type TicketFields, type TicketPrinter, type TicketTemplate } from './hal-imports.js';
import type { PrinterFaults, QrItem, TextItem } from '../../simulators/escpos-printer/index.js';
import type { VirtualPaperPrinter } from '../../simulators/escpos-printer/virtual-printer-paper.js';
import { renderTicketText } from '../../simulators/escpos-printer/index.js';

export const SAMPLE_FIELDS: TicketFields = {
  number: 'A023',
  category: '社保业务·𠮷',
  categoryEn: 'Social Security',
  waiting: 5,
  window: '3号窗口',
  // 2024-05-06 01:05:03 UTC = 09:05:03 in Shanghai
  issuedAtMs: Date.UTC(2024, 4, 6, 1, 5, 3),
  qrUrl: 'https://zwfw.example.cn/取号?id=A023&类别=社保',
  hallName: '某某区政务服务中心',
};

/** The options every driver takes that the contract varies. */
export interface ContractPrinterOptions {
  statusTimeoutMs?: number;
  template?: TicketTemplate;
  clock?: { now(): number };
}

export interface PrinterUnderTest {
  printer: TicketPrinter;
  /** The link the printer writes to (the HAL owns it, so the printer's close leaves it open). */
  link: SerialLink;
  /** The byte-level simulator on the other end; absent on hardware. */
  paper?: VirtualPaperPrinter & { setFaults(faults: Partial<PrinterFaults>): void };
}

type Fault = 'paperOut' | 'paperLow' | 'coverOpen' | 'cutterError' | 'offline';

export interface TicketPrinterSubject {
  open(options?: ContractPrinterOptions): Promise<PrinterUnderTest>;
  /** Status requests one status() sends (ESC/POS DLE EOT 1–4: 4; Star ESC ACK SOH: 1). */
  requestsPerStatus: number;
  /** Bytes one status() writes. */
  bytesPerStatus: number;
  /** Bytes of the first request, all that goes out when it is not answered (3 for both). */
  firstRequestBytes: number;
  /** The first request as the timeout message names it. */
  firstRequestName: string;
  /** The raw reply bytes each fault shows (command-set specific, checked beside the decoded fields). */
  rawFor: Partial<Record<Fault, Partial<PrinterStatus['raw']>>>;
  /** Set on hardware: why cases that need the simulator skip. */
  noSimulator?: string;
}

const texts = (items: readonly { type: string }[]): TextItem[] => items.filter((i): i is TextItem => i.type === 'text');
/** Lets queued deliveries (microtasks, the memory link's setImmediate) run. */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function ticketPrinterContract(t: Test, subject: TicketPrinterSubject): void {
  const sim = subject.noSimulator === undefined ? {} : { skip: subject.noSimulator };
  const perStatus = subject.requestsPerStatus;
  const open = async (t: Test, options?: ContractPrinterOptions) => {
    const under = await subject.open(options);
    t.teardown(() => under.printer.close());
    return under;
  };
  const paperOf = (under: PrinterUnderTest) => {
    if (!under.paper) throw new Error('this case needs the simulator');
    return under.paper;
  };

  /** A simulated printer that never answers, on fake timers. */
  const silentPrinter = async (t: Test, statusTimeoutMs: number) => {
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    t.teardown(() => clock.restore());
    const under = await open(t, { statusTimeoutMs });
    const paper = paperOf(under);
    paper.setFaults({ noReply: true });
    return { clock, under, paper };
  };

  t.test('a default ticket round trip: Chinese text, 𠮷, big number, alignment, QR with a Chinese payload, cut', sim, async (t) => {
    const under = await open(t);
    const paper = paperOf(under);
    await under.printer.print({ fields: SAMPLE_FIELDS });
    await settle();
    const tickets = paper.tickets();
    t.equal(tickets.length, 1, 'one ticket, cut');
    const ticket = tickets[0]!;
    t.equal(ticket.partialCut, false, 'full cut');
    const lines = texts(ticket.items);
    const byText = (s: string) => lines.find((l) => l.text.includes(s));

    t.match(byText('某某区政务服务中心'), { align: 'center', bold: true, w: 1, h: 2, chinese: true });
    t.match(byText('A023'), { text: 'A023', align: 'center', w: 4, h: 4, bold: true });
    t.equal(byText('业务类别')?.text, '业务类别：社保业务·𠮷', '4-byte GB18030 character decoded, not ??');
    t.match(byText('业务类别'), { w: 1, h: 2, align: 'left', bold: false });
    t.equal(byText('前面等待')?.text, '前面等待 5 人，请留意叫号');
    t.match(byText('前面等待'), { bold: true, align: 'left' });
    t.equal(byText('取号时间')?.text, '取号时间：2024-05-06 09:05:03');
    t.equal(byText('办理窗口')?.text, '办理窗口：3号窗口');
    t.match(byText('过号请重新取号'), { align: 'center', w: 1, h: 1 });
    t.notOk(lines.some((l) => l.text.includes('?')), 'no replacement characters anywhere');
    t.ok(lines.every((l) => l.chinese), 'Chinese (multi-byte) mode on for every line, sent after the reset');

    const qr = ticket.items.find((i): i is QrItem => i.type === 'qr');
    t.equal(qr?.data, SAMPLE_FIELDS.qrUrl, 'QR payload with Chinese query intact');
    t.ok(qr?.bytes.equals(Buffer.from(SAMPLE_FIELDS.qrUrl!, 'utf8')), 'byte-exact UTF-8');
    t.match(qr, { moduleDots: 6, errorCorrection: 'M', align: 'center' });
    t.same(paper.log, [], 'no unknown or skipped commands');
    t.equal(paper.statusQueries, perStatus, 'status asked once before the ticket');
    t.match(renderTicketText(ticket), /社保业务·𠮷/, 'the text renderer reads the ticket');
  });

  t.test('a green-channel ticket: a distinct header and a 绿色通道 line; a normal one has neither', sim, async (t) => {
    const under = await open(t);
    const paper = paperOf(under);
    await under.printer.print({ fields: SAMPLE_FIELDS });
    await under.printer.print({ fields: { ...SAMPLE_FIELDS, priority: true } });
    await settle();
    const [normal, priority] = paper.tickets().map((ticket) => texts(ticket.items));
    if (!normal || !priority) throw new Error('two tickets expected');
    const beforeNumber = (lines: TextItem[]) => lines.slice(0, lines.findIndex((l) => l.text === 'A023'));
    t.notOk(normal.some((l) => l.text.includes('绿色通道')), 'a normal ticket says nothing of priority');
    const header = beforeNumber(priority).find((l) => l.text.includes('绿色通道'));
    t.match(header, { align: 'center', bold: true, w: 2, h: 2 }, `the header above the number says 绿色通道, double size and bold (${header?.text})`);
    t.notSame(beforeNumber(priority).map((l) => l.text), beforeNumber(normal).map((l) => l.text), 'the header differs from a normal ticket\'s');
    const after = priority.slice(priority.findIndex((l) => l.text === 'A023') + 1);
    t.match(after[0], { text: /绿色通道/, bold: true }, `right under the number, a 绿色通道 line (${after[0]?.text})`);
  });

  t.test('the Chinese category line comes first, the English one under it', sim, async (t) => {
    const under = await open(t);
    const paper = paperOf(under);
    await under.printer.print({ fields: SAMPLE_FIELDS });
    await settle();
    const lines = texts(paper.tickets()[0]?.items ?? []).map((l) => l.text);
    const zh = lines.findIndex((l) => l.includes('社保业务'));
    const en = lines.findIndex((l) => l.includes('Social Security'));
    t.ok(zh >= 0 && en >= 0, 'both are printed');
    t.ok(zh < en, `社保业务 on line ${zh}, Social Security on line ${en}`);
  });

  t.test('status decodes every simulated fault', sim, async (t) => {
    const cases: Array<[Partial<Record<Fault, boolean>>, Partial<PrinterStatus>]> = [
      [{}, { ready: true, online: true, faults: [] }],
      [{ paperOut: true }, { ready: false, paperOut: true, online: false, faults: ['paper-out'] }],
      [{ paperLow: true }, { ready: true, paperLow: true, faults: ['paper-low'] }],
      [{ coverOpen: true }, { ready: false, coverOpen: true, online: false, faults: ['cover-open'] }],
      [{ cutterError: true }, { ready: false, cutterError: true, faults: ['cutter'] }],
      [{ offline: true }, { ready: false, online: false, faults: ['offline'] }],
      [{ paperOut: true, coverOpen: true, paperLow: true }, { ready: false, faults: ['paper-out', 'paper-low', 'cover-open'] }],
    ];
    for (const [faults, expected] of cases) {
      const under = await open(t);
      paperOf(under).setFaults(faults);
      const names = Object.keys(faults) as Fault[];
      const raw = names.length === 1 ? subject.rawFor[names[0]!] : undefined;
      t.match(await under.printer.status(), raw ? { ...expected, raw } : expected, JSON.stringify(faults));
    }
  });

  t.test('a printer that does not answer: status rejects with TIMEOUT after the configured time', sim, async (t) => {
    const { clock, under, paper } = await silentPrinter(t, 800);
    const outcome = under.printer.status().then(() => 'resolved', (err: unknown) => err);
    await clock.tickAsync(799);
    t.equal(paper.statusQueries, 1, 'asked once, waiting');
    await clock.tickAsync(1);
    const err = await outcome;
    t.ok(err instanceof HalError);
    t.equal((err as HalError).code, 'TIMEOUT');
    t.match((err as HalError).message, new RegExp(`${subject.firstRequestName} within 800 ms`));
  });

  t.test('a printer that does not answer: print sends no ticket bytes', sim, async (t) => {
    const { clock, under, paper } = await silentPrinter(t, 300);
    const outcome = under.printer.print({ fields: SAMPLE_FIELDS }).then(() => null, (err: unknown) => err);
    await clock.tickAsync(300);
    t.match(await outcome, { code: 'TIMEOUT' });
    t.equal(paper.receivedBytes, subject.firstRequestBytes, `only the ${subject.firstRequestName} request went out`);
  });

  t.test('not ready: the ticket is refused and nothing is sent, so nothing prints later', sim, async (t) => {
    for (const fault of ['paperOut', 'coverOpen', 'cutterError', 'offline'] as const) {
      const under = await open(t);
      const paper = paperOf(under);
      paper.setFaults({ [fault]: true });
      const err = await under.printer.print({ fields: SAMPLE_FIELDS }).then(() => null, (e: unknown) => e);
      t.ok(err instanceof PrinterNotReadyError, fault);
      t.equal((err as PrinterNotReadyError).code, 'UNAVAILABLE');
      await settle();
      t.equal(paper.receivedBytes, subject.bytesPerStatus, `${fault}: only the status requests were sent`);
      t.equal(paper.droppedBytes, 0);
      paper.setFaults({ [fault]: false });
      await settle();
      t.same(paper.items, [], `${fault}: after recovery nothing comes out by surprise`);
    }
  });

  t.test('paper low: the ticket prints and the status says so', sim, async (t) => {
    const under = await open(t);
    const paper = paperOf(under);
    paper.setFaults({ paperLow: true });
    await under.printer.print({ fields: SAMPLE_FIELDS });
    await settle();
    t.equal(paper.tickets().length, 1);
    t.ok((await under.printer.status()).paperLow);
  });

  t.test('a bad ticket fails before any I/O', async (t) => {
    const under = await open(t);
    const template = validateTemplate({ version: 1, blocks: [{ type: 'text', text: '{window}' }] });
    await t.rejects(under.printer.print({ template, fields: { ...SAMPLE_FIELDS, window: undefined } }), TemplateError);
    if (under.paper) t.equal(under.paper.receivedBytes, 0);
  });

  t.test('templates are validated: at construction and per ticket', async (t) => {
    const under = await open(t);
    const bad = { version: 1, blocks: [{ type: 'qr', data: '{qrUrl}', size: 40 }] } as unknown as TicketTemplate;
    await t.rejects(under.printer.print({ template: bad, fields: SAMPLE_FIELDS }), { code: 'BAD_CONFIG', message: /\/blocks\/0\/size/ });
    if (under.paper) t.equal(under.paper.receivedBytes, 0);
    await t.rejects(subject.open({ template: bad }), TemplateError);
  });

  t.test('concurrent calls are serialised: status requests never land inside a ticket', sim, async (t) => {
    const under = await open(t);
    const paper = paperOf(under);
    const { printer } = under;
    await Promise.all([printer.print({ fields: SAMPLE_FIELDS }), printer.status(), printer.print({ fields: { ...SAMPLE_FIELDS, number: 'A024' } }), printer.status()]);
    await settle();
    t.same(paper.tickets().map((tk) => texts(tk.items).find((l) => l.w === 4)?.text), ['A023', 'A024']);
    t.same(paper.log.filter((l) => l.startsWith('unknown')), []);
    t.equal(paper.statusQueries, 4 * perStatus);
  });

  t.test('tickets in a row are serialised: status, ticket, status, ticket', sim, async (t) => {
    const under = await open(t);
    const paper = paperOf(under);
    await Promise.all([1, 2, 3].map((n) => under.printer.print({ fields: { ...SAMPLE_FIELDS, number: `A00${n}` } })));
    await settle();
    t.same(paper.tickets().map((tk) => texts(tk.items).find((l) => l.w === 4)?.text), ['A001', 'A002', 'A003']);
    t.equal(paper.statusQueries, 3 * perStatus);
  });

  t.test('testPrint: Chinese, 𠮷, QR and cut, status-checked', sim, async (t) => {
    const under = await open(t, { clock: { now: () => Date.UTC(2024, 0, 2, 3, 4, 5) } });
    const paper = paperOf(under);
    await under.printer.testPrint();
    await settle();
    const ticket = paper.tickets()[0]!;
    t.ok(texts(ticket.items).some((l) => l.text.includes('打印测试 𠮷 镕')));
    t.ok(ticket.items.some((i) => i.type === 'qr' && i.data === 'https://example.cn/自检?n=T001'));
    t.ok(texts(ticket.items).some((l) => l.text.includes('2024-01-02 11:04:05')), 'time from the injected clock');
    t.equal(paper.statusQueries, perStatus);
  });

  t.test('a ready printer: status resolves ready and a ticket prints', async (t) => {
    const under = await open(t);
    t.match(await under.printer.status(), { ready: true });
    await under.printer.print({ fields: SAMPLE_FIELDS });
  });

  t.test('after close every call rejects with CLOSED; the link stays open', async (t) => {
    const { printer, link } = await subject.open();
    await printer.close();
    await t.rejects(printer.status(), { code: 'CLOSED' });
    await t.rejects(printer.print({ fields: SAMPLE_FIELDS }), { code: 'CLOSED' });
    await t.rejects(printer.testPrint(), { code: 'CLOSED' });
    t.ok(link.isOpen(), 'the serial link stays open: the HAL owns it');
    await printer.close(); // twice is fine
  });

  t.test('a link closed under the printer surfaces as CLOSED', async (t) => {
    const { printer, link } = await open(t);
    await link.close();
    await t.rejects(printer.status(), { code: 'CLOSED' });
  });
}
