// The ticket-printer role on the sim board: the real ESC/POS driver's bytes parsed by the
// printer simulator, the reference server answering ticket.take through a real broker.
import t from 'tap';
import { clickOnDeviceTime, kioskFixture, ticketText } from './kiosk-fixture.js';
import type { VirtualEscPosPrinter } from '../../../simulators/escpos-printer/index.js';
import { deviceTime } from '../../../testkit/device-time.js';
import { waitFor } from '../../../testkit/wait.js';

/** The ticket numbers the printer has printed, in order (A001, BK002, ...). */
function printedNumbers(printer: VirtualEscPosPrinter): string[] {
  return printer.tickets().map((_, i) => /\b[A-Z]K?\d{3}\b/.exec(ticketText(printer, i))?.[0] ?? '?');
}

t.test('online: the server\'s number is printed with Chinese text and the QR, and reported', async (t) => {
  const k = await kioskFixture(t);
  const result = await k.take('social');
  t.ok(result.ok, 'issued');
  if (!result.ok) return;
  t.equal(result.ticket.number, 'A001');
  t.equal(result.ticket.offline, false);
  t.equal(result.ticket.waiting, 0);
  t.equal(k.printer.tickets().length, 1, 'one ticket printed');
  const text = ticketText(k.printer);
  t.match(text, /A001/, 'number');
  t.match(text, /社保业务/, 'category in Chinese (GB18030 decoded by the simulator)');
  t.match(text, /测试政务服务中心/, 'hall name');
  t.notMatch(text, /离线/, 'no offline marker');
  const qr = k.printer.tickets()[0]?.items.find((i) => i.type === 'qr');
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(Date.now());
  t.equal(qr?.type === 'qr' && qr.data, `https://hall.example.cn/q/test-hall/${day}/A001?n=号`, 'QR payload byte-exact, non-ASCII included');
  const issued = await waitFor('ticket.issued', () => k.events('ticket.issued')[0]);
  t.match(issued.message.data, { number: 'A001', category: 'social', offline: false, priority: false, waiting: 0 });

  const second = await k.take('social', true);
  t.ok(second.ok && second.ticket.number === 'A002' && second.ticket.priority, 'green-channel ticket');
  t.equal(second.ok && second.ticket.waiting, 1, 'waiting count from the server');

  // After the hall's time beacon the device stamps requests from it: still answered online.
  await k.server.client.publishTime();
  await waitFor('beacon received', async () => {
    const diag = await k.server.client.command('kiosk-1', 'sys/diag', {});
    const clock = diag.ok ? ((diag.data?.['link'] as Record<string, unknown>)?.['clock'] as Record<string, unknown> | undefined) : undefined;
    return clock?.['beaconAgeMs'] !== undefined;
  });
  const third = await k.take('social');
  t.equal(third.ok && third.ticket.number, 'A003', 'online after the beacon');
});

t.test('server too slow: the kiosk issues from its offline range, marks the ticket, reports offline:true', async (t) => {
  const k = await kioskFixture(t);
  k.server.desk.silent = true;
  const result = await k.take('social');
  t.ok(result.ok);
  t.equal(result.ok && result.ticket.number, 'AK001', 'category prefix + kiosk offline prefix + counter');
  t.equal(result.ok && result.ticket.offline, true);
  t.match(ticketText(k.printer), /离线/, 'offline marker printed');
  t.match(ticketText(k.printer), /AK001/);
  t.notMatch(ticketText(k.printer), /前面等待/, 'no made-up waiting count when the server never told one');
  t.equal(result.ok && result.ticket.waiting, null);
  const second = await k.take('social');
  t.equal(second.ok && second.ticket.number, 'AK002');
  const events = await waitFor('two offline events', () => (k.events('ticket.issued').length >= 2 ? k.events('ticket.issued') : undefined));
  t.same(
    events.map((e) => [e.message.data['number'], e.message.data['offline']]),
    [
      ['AK001', true],
      ['AK002', true],
    ],
  );
  k.server.desk.silent = false;
  const online = await k.take('social');
  t.equal(online.ok && online.ticket.number, 'A001', 'back to the server\'s numbers once it answers');
});

t.test('offline numbers are never handed out twice across a restart; paused survives it', async (t) => {
  const k = await kioskFixture(t);
  k.server.desk.silent = true;
  t.equal((await k.take('tax')).ok, true);
  const paused = await k.server.client.command('kiosk-1', 'ticket-printer/pause', { category: 'social', reason: '系统维护' });
  t.equal(paused.ok, true);
  await k.restart();
  const again = await k.take('tax');
  t.equal(again.ok && again.ticket.number, 'BK002', 'the counter went on after the restart');
  const refused = await k.take('social');
  t.same(refused.ok ? 'issued' : refused.reason, 'paused', 'pause kept across the restart');
  const view = await k.view();
  t.equal(view.categories.find((c) => c.id === 'social')?.state, 'paused');
  await k.server.client.command('kiosk-1', 'ticket-printer/resume', { category: 'social' });
  t.equal((await k.take('social')).ok, true, 'resumed');
});

t.test('paper out: refuses and reports; after the refill printer.ok and nothing stale prints', async (t) => {
  const k = await kioskFixture(t);
  t.equal((await k.take('social')).ok, true);
  k.printer.setFaults({ paperOut: true });
  const refused = await k.take('social');
  t.equal(refused.ok ? 'issued' : refused.reason, 'printer', 'refused, not queued');
  t.equal(k.printer.tickets().length, 1, 'nothing more printed');
  t.same(k.printer.pendingItems(), [], 'no half ticket either');
  const fault = await waitFor('printer.fault', () => k.events('printer.fault')[0]);
  t.match(fault.message.data, { printer: 'main', canPrint: false });
  t.ok((fault.message.data['faults'] as string[]).includes('paper-out'));
  t.equal((await k.view()).blocked, 'paper-out', 'the screen says why');
  t.equal(k.server.desk.issued.length, 1, 'no number was asked from the server for the refused take');

  k.printer.setFaults({ paperOut: false });
  const ok = await waitFor('printer.ok', () => k.events('printer.ok')[0]);
  t.ok((ok.message.data['cleared'] as string[]).includes('paper-out'));
  t.equal((await k.view()).blocked, null);
  // Barrier: tickets go to the printer one at a time, in order, so anything stale from before
  // the refill would have printed ahead of the next ticket.
  const next = await k.take('social');
  t.equal(next.ok && next.ticket.number, 'A002');
  t.equal(k.printer.tickets().length - 1, 1, 'no stale ticket printed after the refill');
  t.equal(k.printer.tickets().length, 2);
  t.same(printedNumbers(k.printer), ['A001', 'A002'], 'the refill printed nothing of its own');
});

t.test('quota, hours and unknown categories are refused with the reason', async (t) => {
  const k = await kioskFixture(t);
  t.equal((await k.take('tax')).ok, true);
  t.equal((await k.take('tax')).ok, true);
  const third = await k.take('tax');
  t.equal(third.ok ? 'issued' : third.reason, 'exhausted', 'daily quota of 2');
  const closed = await k.take('night');
  t.equal(closed.ok ? 'issued' : closed.reason, 'closed');
  const unknown = await k.take('nope');
  t.equal(unknown.ok ? 'issued' : unknown.reason, 'unknown-category');
  const noPriority = await k.take('tax', true);
  t.equal(noPriority.ok ? 'issued' : noPriority.reason, 'no-priority');
  const view = await k.view();
  t.same(
    view.categories.map((c) => [c.id, c.state]),
    [
      ['social', 'open'],
      ['tax', 'exhausted'],
      ['night', 'closed'],
    ],
  );
  t.equal(k.printer.tickets().length, 2);
});

t.test('the server refusing a take is shown, not replaced by an offline number', async (t) => {
  const k = await kioskFixture(t, { desk: { quota: { social: 1 } } });
  t.equal((await k.take('social')).ok, true);
  const refused = await k.take('social');
  t.equal(refused.ok ? 'issued' : refused.reason, 'exhausted');
  t.equal(k.printer.tickets().length, 1);
});

t.test('a button pressed ten times or bouncing prints one ticket per guard window', async (t) => {
  // The device runs on fake time (debounce, repeat guard); the broker and server do not.
  const time = deviceTime(t);
  const k = await kioskFixture(t, { time });
  const click = (input: string) => clickOnDeviceTime(k, time, input);
  click('btn-social');
  click('btn-social'); // while the first take is still in flight
  click('btn-social');
  await waitFor('first ticket', () => k.printer.tickets().length >= 1);
  for (let i = 0; i < 7; i++) click('btn-social'); // after it, inside the 10 s guard window
  // Barrier: takes run one at a time in order, so once this later take from the page has
  // printed, every take the presses started has finished.
  const barrier = await k.take('social');
  t.equal(barrier.ok && barrier.ticket.number, 'A002', 'the page take after the presses');
  t.equal(k.printer.tickets().length - 1, 1, 'ten presses inside the 10 s guard window: one ticket');
  t.same(printedNumbers(k.printer), ['A001', 'A002']);

  time.tick(10_000);
  click('btn-social');
  await waitFor('a press after the guard window', () => k.printer.tickets().length >= 3);
  t.same(printedNumbers(k.printer), ['A001', 'A002', 'A003'], 'once the guard window has passed the button issues again');

  k.hal.sim.bounce('btn-tax', 12, 'active');
  time.tick(25);
  await waitFor('tax ticket', () => k.printer.tickets().length >= 4);
  const barrier2 = await k.take('social');
  t.equal(barrier2.ok && barrier2.ticket.number, 'A004', 'the page take after the bounce');
  t.equal(printedNumbers(k.printer).filter((n) => n.startsWith('B')).length, 1, 'a bouncing contact held down: one ticket');
  t.match(ticketText(k.printer, 3), /B001/);
});

t.test('print command: re-issue a missed number and reprint the last ticket', async (t) => {
  const k = await kioskFixture(t);
  const reissue = await k.server.client.command('kiosk-1', 'ticket-printer/print', { mode: 'reissue', number: 'A017', category: 'social', window: '5号窗口' });
  t.same(reissue.ok && reissue.data, { number: 'A017', mode: 'reissue' });
  t.match(ticketText(k.printer), /A017/);
  t.match(ticketText(k.printer), /5号窗口/);
  const event = await waitFor('reissue event', () => k.events('ticket.issued').find((e) => e.message.data['reissue'] === true));
  t.equal(event.message.data['number'], 'A017');
  const reprint = await k.server.client.command('kiosk-1', 'ticket-printer/print', { mode: 'reprint' });
  t.equal(reprint.ok && reprint.data?.['number'], 'A017');
  t.equal(k.printer.tickets().length, 2);
  k.printer.setFaults({ coverOpen: true });
  const refused = await k.server.client.command('kiosk-1', 'ticket-printer/print', { mode: 'reprint' });
  t.equal(!refused.ok && refused.error.code, 'HARDWARE', 'cover open: the command fails, nothing queued');
  const unknown = await k.server.client.command('kiosk-1', 'ticket-printer/pause', { category: 'nope' });
  t.equal(!unknown.ok && unknown.error.code, 'NOT_FOUND');
});

t.test('appointment check-in at the scanner prints the appointment\'s ticket', async (t) => {
  const k = await kioskFixture(t, { desk: { appointments: { 'APT-2026-0001': 'tax', 'APT-2026-0002': 'tax' } } });
  await k.hal.sim.scan('scan', 'APT-2026-0001');
  await waitFor('check-in ticket', () => k.printer.tickets().length >= 1);
  t.match(ticketText(k.printer), /B001/);
  t.match(ticketText(k.printer), /税务登记/);
  const event = await waitFor('event', () => k.events('ticket.issued')[0]);
  t.match(event.message.data, { appointment: 'APT-2026-0001', category: 'tax' });
  await k.hal.sim.scan('scan', 'NOT-BOOKED');
  // Barrier: scans are taken in the order they arrive, one at a time, so once the next
  // (booked) one has printed, the unknown one has been answered.
  await k.hal.sim.scan('scan', 'APT-2026-0002');
  await waitFor('the next check-in ticket', () => k.printer.tickets().length >= 2);
  t.equal(k.printer.tickets().length - 1, 1, 'an unknown appointment prints nothing');
  t.same(printedNumbers(k.printer), ['B001', 'B002']);
});

t.test('diagnostics: printer status always, the test print only when asked', async (t) => {
  const k = await kioskFixture(t);
  const diag = await k.server.client.command('kiosk-1', 'sys/diag', {});
  const results = (diag.ok ? diag.data?.['results'] : []) as { name: string; ok: boolean }[];
  t.match(results.find((r) => r.name === 'ticket-printer/printer'), { ok: true });
  t.notOk(results.find((r) => r.name === 'ticket-printer/test-print'));
  t.equal(k.printer.tickets().length, 0);
  const withPrint = await k.server.client.command('kiosk-1', 'sys/diag', { include: ['ticket-printer/test-print'] });
  const printed = (withPrint.ok ? withPrint.data?.['results'] : []) as { name: string; ok: boolean }[];
  t.match(printed.find((r) => r.name === 'ticket-printer/test-print'), { ok: true });
  t.equal(k.printer.tickets().length, 1, 'self-test ticket printed');
  t.match(ticketText(k.printer), /𠮷/, 'a 4-byte GB18030 character survives');
});

t.test('a pushed config with a button on a missing input is rejected with the reason', async (t) => {
  const k = await kioskFixture(t);
  await k.server.client.publishConfig('kiosk-1', 5, {
    roles: { 'ticket-printer': { printer: 'main', categories: [{ id: 'social', name: '社保', prefix: 'A' }], buttons: [{ input: 'btn-missing', category: 'social' }] } },
  });
  const rejected = await waitFor('config.rejected', () => k.server.events.find((e) => e.name === 'config.rejected'));
  t.match(JSON.stringify(rejected.message.data['reasons']), /btn-missing/);
  t.equal((await k.take('tax')).ok, true, 'the kiosk runs on with its old config');
  await k.server.client.publishConfig('kiosk-1', 6, {
    roles: { 'ticket-printer': { printer: 'main', kiosk: { port: 0 }, categories: [{ id: 'passport', name: '出入境', nameEn: 'Passports', prefix: 'P' }] } },
  });
  await waitFor('config.applied', () => k.server.events.find((e) => e.name === 'config.applied'));
  t.equal((await k.server.client.command('kiosk-1', 'sys/ping', {})).ok, true);
});
