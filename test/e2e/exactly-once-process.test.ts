// Exactly once with hardware, as a board runs it: `halld run` as a child process, a ticket
// printer on the network (the ESC/POS simulator on 127.0.0.1), commands from a HallClient
// through aedes. Bursts of one id print one page; a device SIGKILLed after journaling a print
// and before its ack answers that id INDETERMINATE after the restart and never prints it. And a
// command committed in one transaction with its journal row (evaluator/request) keeps its answer
// across a SIGKILL and never leaves an unfinished row.
import t from 'tap';
import { join } from 'node:path';
import { startAedesBroker } from '../../simulators/hall/aedes-broker.js';
import { VirtualEscPosPrinter, serveVirtualPrinter, type ByteDevice } from '../../simulators/escpos-printer/index.js';
import { Sqlite } from '../../firmware/store/sqlite.js';
import type { Ack } from '../../protocol/messages.js';
import { deviceProcess } from '../../testkit/device-process.js';
import { testServer } from '../../testkit/hall-server.js';
import { tempDir } from '../../testkit/temp.js';
import { waitFor } from '../../testkit/wait.js';
import { deviceConfig } from './suites/device-config.js';

/** The virtual printer behind a switch: while held it swallows bytes and answers nothing (a jammed printer). */
function holdable(printer: VirtualEscPosPrinter): ByteDevice & { held: boolean } {
  return {
    held: false,
    receive(bytes) {
      if (!this.held) printer.receive(bytes);
    },
    onReply: (listener) => printer.onReply(listener),
  };
}

t.test('hardware commands: bursts run once; SIGKILL between journal and ack answers INDETERMINATE', async (t) => {
  const dir = await tempDir(t);
  const broker = await startAedesBroker({ port: 0 });
  t.teardown(() => broker.close());
  const printer = new VirtualEscPosPrinter();
  const device = holdable(printer);
  const net = await serveVirtualPrinter(device, { host: '127.0.0.1', port: 0 });
  t.teardown(() => net.close());
  const proc = await deviceProcess(
    t,
    join(dir, 'dev'),
    deviceConfig(broker.url, 'kiosk-1', {
      io: { printers: { main: { tcp: { host: '127.0.0.1', port: net.port } } } },
      roles: { sys: {}, 'ticket-printer': { printer: 'main', categories: [{ id: 'social', name: '社保业务', prefix: 'A' }], kiosk: { enabled: false } } },
    }),
  );
  const server = await testServer(t, { url: broker.url });
  const acks: Ack[] = [];
  server.client.onAck((d, a) => void (d === 'kiosk-1' && acks.push(a)));
  const acksFor = (id: string) => acks.filter((a) => a.id === id);
  proc.start();
  const boot1 = (await server.waitOnline('kiosk-1')).boot;

  const command = (id: string) => JSON.stringify({ v: 1, id, ts: Date.now(), exp: Date.now() + 30_000, data: {} });
  for (let i = 0; i < 3; i++) {
    const id = `print-burst-${i}`;
    for (let copy = 0; copy < 3; copy++) await server.client.publishRawCommand('kiosk-1', 'ticket-printer/test-print', command(id));
  }
  await waitFor('9 acks', () => acks.length >= 9, 20_000);
  for (let i = 0; i < 3; i++) {
    const got = acksFor(`print-burst-${i}`);
    t.equal(got.length, 3, `burst ${i}: an ack per copy`);
    t.equal(got.filter((a) => a.dup !== true).length, 1, `burst ${i}: one first answer`);
    t.ok(got.every((a) => a.ok), `burst ${i}: all ok`);
  }
  t.equal(printer.tickets().length, 3, 'three bursts printed three pages');

  // The printer jams; a print starts (journaled `actuating`), and the power goes before the ack.
  device.held = true;
  const db = await Sqlite.open(join(dir, 'dev', 'data', 'halld.db'));
  t.teardown(() => db.close().catch(() => undefined));
  await server.client.publishRawCommand('kiosk-1', 'ticket-printer/test-print', command('print-killed'));
  await waitFor('journaled actuating', async () => (await db.get<{ state: string }>('SELECT state FROM journal WHERE id = ?', ['print-killed']))?.state === 'actuating', 10_000, 5);
  await proc.kill('SIGKILL');
  t.same(acksFor('print-killed'), [], 'no ack before the power went');
  await db.close();

  device.held = false;
  proc.start();
  await server.waitOnline('kiosk-1', { boot: boot1 + 1 });
  const recovered = await waitFor('recovered ack', () => acksFor('print-killed')[0]);
  t.match(recovered, { ok: false, error: { code: 'INDETERMINATE' } });
  const again = await server.client.command('kiosk-1', 'ticket-printer/test-print', {}, { id: 'print-killed' });
  t.match(again, { ok: false, dup: true, error: { code: 'INDETERMINATE' } }, 'the retry answers, and runs nothing');
  const fresh = await server.client.command('kiosk-1', 'ticket-printer/test-print', {}, { id: 'print-after' });
  t.match(fresh, { ok: true }, 'the printer works again');
  t.equal(printer.tickets().length, 4, 'only the new id printed: the killed one never did');
});

t.test('records commands (one commit each): bursts run once; SIGKILL after the ack keeps answer and record; nothing is left unfinished', async (t) => {
  const dir = await tempDir(t);
  const broker = await startAedesBroker({ port: 0 });
  t.teardown(() => broker.close());
  const proc = await deviceProcess(t, join(dir, 'dev'), deviceConfig(broker.url, 'eval-1', { roles: { sys: {}, evaluator: { page: { enabled: false } } } }));
  const server = await testServer(t, { url: broker.url });
  const acks: Ack[] = [];
  server.client.onAck((d, a) => void (d === 'eval-1' && acks.push(a)));
  proc.start();
  const boot1 = (await server.waitOnline('eval-1')).boot;

  const request = (id: string, caseId: string) =>
    JSON.stringify({ v: 1, id, ts: Date.now(), exp: Date.now() + 30_000, data: { caseId, staffId: 's1', window: '3', contentVersion: 'builtin-1' } });
  // Each copy of an id after the first gets the first answer; a second run would supersede the
  // case it opened itself and answer `superseded`.
  for (let i = 0; i < 3; i++) for (let copy = 0; copy < 3; copy++) await server.client.publishRawCommand('eval-1', 'evaluator/request', request(`req-${i}`, `case-${i}`));
  await waitFor('9 acks', () => acks.length >= 9, 20_000);
  for (let i = 0; i < 3; i++) {
    const got = acks.filter((a) => a.id === `req-${i}`);
    t.equal(got.length, 3, `burst ${i}: an ack per copy`);
    t.equal(got.filter((a) => a.dup !== true).length, 1, `burst ${i}: one first answer`);
    t.ok(got.every((a) => a.ok), `burst ${i}: all ok`);
  }
  const first = acks.find((a) => a.id === 'req-2' && a.dup !== true);

  // The power goes right after the last answer.
  await proc.kill('SIGKILL');
  const db = await Sqlite.open(join(dir, 'dev', 'data', 'halld.db'));
  t.same(await db.all("SELECT id FROM journal WHERE state != 'done'"), [], 'no command was ever journaled unfinished');
  t.same(
    (await db.all<{ id: string }>("SELECT id FROM journal WHERE id LIKE 'req-%' ORDER BY id")).map((r) => r.id),
    ['req-0', 'req-1', 'req-2'],
    'each answered id is in the journal',
  );
  await db.close();

  proc.start();
  await server.waitOnline('eval-1', { boot: boot1 + 1 });
  const again = await server.client.command('eval-1', 'evaluator/request', { caseId: 'case-2', staffId: 's1', window: '3', contentVersion: 'builtin-1' }, { id: 'req-2' });
  t.match(again, { ok: true, dup: true }, 'after the restart a repeat answers the stored ack and runs nothing');
  t.same((again as Ack & { data?: unknown }).data, (first as Ack & { data?: unknown } | undefined)?.data, 'the same answer as before the power went');
});
