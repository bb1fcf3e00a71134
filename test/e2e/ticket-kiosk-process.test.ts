// The ticket kiosk as a board runs it: `halld run` as a child process, its printer a network
// printer (the ESC/POS simulator on 127.0.0.1), visitors on the kiosk page over HTTP, the
// reference server on a real broker. The device is SIGKILLed in the middle of a rush of
// offline takes; after the restart no number is handed out twice and every issued ticket
// reaches the server in seq order.
import t from 'tap';
import { join } from 'node:path';
import { startAedesBroker } from '../../simulators/hall/aedes-broker.js';
import { ReferenceServer } from '../../simulators/hall/reference-server.js';
import { VirtualEscPosPrinter, serveVirtualPrinter } from '../../simulators/escpos-printer/index.js';
import { deviceProcess } from '../../testkit/device-process.js';
import { tempDir } from '../../testkit/temp.js';
import { waitFor } from '../../testkit/wait.js';
import { deviceConfig } from './suites/device-config.js';
import { seqProblems } from '../../testkit/hall-server.js';

t.test('kiosk child process: SIGKILL mid-rush, restart, no duplicate number, no lost ticket', async (t) => {
  const dir = await tempDir(t);
  const broker = await startAedesBroker({ port: 0 });
  t.teardown(() => broker.close());
  const server = new ReferenceServer({ url: broker.url, hall: 'test-hall', desk: { prefixes: { social: 'A' } } });
  await server.start();
  t.teardown(() => server.stop());
  const printer = new VirtualEscPosPrinter();
  const net = await serveVirtualPrinter(printer, { host: '127.0.0.1', port: 0 });
  t.teardown(() => net.close());

  const urls = new Map<number, string>();
  server.client.onState((device, role, state) => {
    const boot = server.client.status('kiosk-9');
    if (device === 'kiosk-9' && role === 'ticket-printer' && typeof state.data['kiosk'] === 'string' && boot?.online) urls.set(boot.boot, state.data['kiosk']);
  });
  const device = await deviceProcess(
    t,
    join(dir, 'dev'),
    deviceConfig(broker.url, 'kiosk-9', {
      io: { printers: { main: { tcp: { host: '127.0.0.1', port: net.port } } } },
      roles: {
        sys: {},
        'ticket-printer': {
          printer: 'main',
          categories: [{ id: 'social', name: '社保业务', nameEn: 'Social security', prefix: 'A' }],
          takeTimeoutMs: 300,
          offline: { prefix: 'K' },
          kiosk: { port: 0 },
        },
      },
    }),
  );
  const take = async (url: string) => {
    const res = await fetch(new URL('api/take', url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"category":"social","priority":false}' });
    return (await res.json()) as { ok: boolean; ticket?: { number: string; offline: boolean } };
  };

  device.start();
  const boot1 = await waitFor('kiosk online', () => {
    const s = server.client.status('kiosk-9');
    return s?.online ? s.boot : undefined;
  }, 15_000);
  const url1 = await waitFor('kiosk url', () => urls.get(boot1));
  t.equal((await take(url1)).ticket?.number, 'A001', 'online number first');

  server.desk.silent = true;
  const before: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await take(url1);
    if (r.ticket) before.push(r.ticket.number);
  }
  t.same(before, ['AK001', 'AK002', 'AK003'], 'offline numbers while the server is silent');
  // A rush of takes, and the power goes while they are being issued.
  const rush = Array.from({ length: 4 }, () => take(url1).catch(() => undefined));
  await waitFor('a rush ticket printed', () => printer.tickets().length >= 5);
  await device.kill('SIGKILL');
  await Promise.all(rush);

  device.start();
  const boot2 = await waitFor('kiosk back', () => {
    const s = server.client.status('kiosk-9');
    return s?.online && s.boot > boot1 ? s.boot : undefined;
  }, 15_000);
  const url2 = await waitFor('new kiosk url', () => urls.get(boot2));
  const after: string[] = [];
  for (let i = 0; i < 2; i++) {
    const r = await take(url2);
    t.ok(r.ok, 'issuing after the restart');
    if (r.ticket) after.push(r.ticket.number);
  }

  const issued = await waitFor('every issued ticket at the server', () => {
    const events = server.events.filter((e) => e.device === 'kiosk-9' && e.name === 'ticket.issued');
    const numbers = events.map((e) => String(e.message.data['number']));
    return after.every((n) => numbers.includes(n)) ? events : undefined;
  }, 15_000);
  const numbers = issued.map((e) => String(e.message.data['number']));
  t.equal(new Set(numbers).size, numbers.length, `no number issued twice: ${numbers.join(' ')}`);
  const printed = printer.tickets().flatMap((tk) => tk.items.flatMap((i) => (i.type === 'text' && /^A(K?\d{3})$/.test(i.text.trim()) ? [i.text.trim()] : [])));
  t.equal(new Set(printed).size, printed.length, `no number printed twice: ${printed.join(' ')}`);
  t.ok(printed.every((n) => numbers.includes(n)), 'every printed number was reported to the server');
  for (const n of [...before, ...after]) t.ok(numbers.includes(n), `${n} reported`);
  const all = server.events.filter((e) => e.device === 'kiosk-9');
  t.same(seqProblems(all), [], 'events arrived in seq order without a gap');
  t.ok(after.every((n) => !before.includes(n)), 'numbers after the restart are new');
  t.ok(issued.filter((e) => e.message.data['offline'] === true).length >= 5, 'offline tickets were reported');
});
