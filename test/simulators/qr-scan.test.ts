// The QR on a rendered ticket is the real symbol: a ticket goes through the real driver (ESC/POS
// and Star) or the whole ticket-printer role, the simulator renders the paper to PNG, and
// zbarimg reads back exactly the bytes that were meant to be printed — Chinese, and 300+ bytes
// (where the store command's length needs its high byte pH).
import t, { type Test } from 'tap';
import { validateTemplate, type TicketFields } from '../../drivers/printer/index.js';
import { renderTicketPng, type PrintedTicket } from '../../simulators/escpos-printer/index.js';
import { SAMPLE_FIELDS, rig, settle } from '../drivers/printer/rig.js';
import { starRig } from '../drivers/printer/star-rig.js';
import { kioskFixture } from '../roles/ticket-printer/kiosk-fixture.js';
import { tempDir } from '../../testkit/temp.js';
import { scanQr, zbarSkip } from '../../testkit/zbar.js';

const skip = zbarSkip();
/** 30 Chinese key=value pairs: 310 UTF-8 bytes, so pL + 256·pH = 313 needs pH = 1. */
const LONG_URL = 'https://zwfw.example.cn/取号?' + Array.from({ length: 30 }, (_, i) => `k${i}=值${i}`).join('&');

async function scansAs(t: Test, ticket: PrintedTicket | undefined, payload: string, what: string): Promise<void> {
  t.ok(ticket, `${what}: a ticket was printed`);
  if (!ticket) return;
  const read = await scanQr(renderTicketPng(ticket), await tempDir(t));
  t.ok(read.equals(Buffer.from(payload, 'utf8')), `${what}: zbarimg reads the intended ${Buffer.byteLength(payload)} bytes`);
  t.equal(read.toString('utf8'), payload, what);
}

const printers = [
  ['ESC/POS', () => rig()],
  ['Star', () => starRig()],
] as const;

t.test('the QR from each driver scans as the intended payload', { skip }, async (t) => {
  t.ok(Buffer.byteLength(LONG_URL) > 300);
  const smallHighEc = validateTemplate({ version: 1, blocks: [{ type: 'qr', data: '{qrUrl}', size: 3, errorCorrection: 'H', align: 'left' }, { type: 'cut' }] });
  for (const [name, make] of printers) {
    for (const [qrUrl, template, what] of [
      [SAMPLE_FIELDS.qrUrl!, undefined, 'Chinese query, default ticket (6 dots, M)'],
      [LONG_URL, undefined, '310 bytes, default ticket'],
      [LONG_URL, smallHighEc, '310 bytes, 3-dot modules, level H, left'],
      ['A', smallHighEc, 'one byte'],
    ] as const) {
      const { sim, printer } = make();
      const fields: TicketFields = { ...SAMPLE_FIELDS, qrUrl };
      await printer.print(template ? { fields, template } : { fields });
      await settle();
      await scansAs(t, sim.tickets()[0], qrUrl, `${name}: ${what}`);
      await printer.close();
    }
  }
});

/** The hall's business day today, as the kiosk names it (Asia/Shanghai, the config default). */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(Date.now());

t.test('the ticket-printer role: the QR it means to print scans from the paper, Chinese and 300+ bytes', { skip }, async (t) => {
  const tail = Array.from({ length: 36 }, (_, i) => `办事${i}`).join('');
  const k = await kioskFixture(t, { role: { qrUrl: `https://hall.example.cn/q/{hall}/{day}/{number}?n=号&备注=${tail}` } });
  const result = await k.take('social');
  t.ok(result.ok, 'issued');
  const intended = `https://hall.example.cn/q/test-hall/${today()}/A001?n=号&备注=${tail}`;
  t.ok(Buffer.byteLength(intended) > 300, `${Buffer.byteLength(intended)} bytes`);
  await scansAs(t, k.printer.tickets()[0], intended, 'role ticket');
});

t.test('the QR names the hall, the day and the number, whichever template chose the link', { skip }, async (t) => {
  const cases = [
    { what: 'a config template with only {number}', role: { qrUrl: 'https://hall.example.cn/q/{number}' }, desk: {}, payload: () => `https://hall.example.cn/q/A001?hall=test-hall&day=${today()}` },
    { what: 'a server link that names only the number', role: {}, desk: { qrUrl: 'https://zwfw.example.cn/t/{number}#queue' }, payload: () => `https://zwfw.example.cn/t/A001?hall=test-hall&day=${today()}#queue` },
    { what: 'a server template with {hall} {day} {number}', role: {}, desk: { qrUrl: 'https://zwfw.example.cn/{hall}/{day}/{number}' }, payload: () => `https://zwfw.example.cn/test-hall/${today()}/A001` },
  ];
  for (const c of cases) {
    const k = await kioskFixture(t, { role: c.role, desk: c.desk });
    const result = await k.take('social');
    t.ok(result.ok, `${c.what}: issued`);
    await scansAs(t, k.printer.tickets()[0], c.payload(), c.what);
  }
});
