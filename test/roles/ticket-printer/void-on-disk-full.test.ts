// A number the server allocated for a take the kiosk could not record (disk full) is never
// printed; once the kiosk can write again it reports `ticket.voided` for that takeId, and
// the reference server voids the number.
import t from 'tap';
import { join } from 'node:path';
import { kioskFixture } from './kiosk-fixture.js';
import { smallDisk } from '../../../testkit/small-disk.js';
import { waitFor } from '../../../testkit/wait.js';

t.test('disk full during a take: no ticket, then ticket.voided for its takeId once the disk has room', async (t) => {
  const disk = await smallDisk(t, 24);
  if ('unavailable' in disk) return void t.plan(0, disk.unavailable);
  // A generous take timeout: on a loaded machine the server's answer must not be taken for an outage.
  const k = await kioskFixture(t, { dataDir: join(disk.dir, 'data'), role: { takeTimeoutMs: 5_000 } });
  const first = await k.take('social');
  t.equal(first.ok && first.ticket.number, 'A001');

  disk.fill();
  const lost = await k.take('social');
  t.equal(lost.ok, false, 'the kiosk refuses: the number could not be recorded');
  t.equal(k.printer.tickets().length, 1, 'nothing printed for it');
  const allocated = k.server.desk.issued[1];
  t.equal(allocated?.number, 'A002', 'the server had allocated A002 for that take');
  t.equal(k.events('ticket.issued').filter((e) => e.message.data['takeId'] === allocated?.takeId).length, 0, 'no ticket.issued follows its takeId');

  disk.free();
  const diag = await k.server.client.command('kiosk-1', 'sys/diag', {});
  t.equal(diag.ok, true, 'diag writes its probe: the store is healthy again');
  const voided = await waitFor('ticket.voided', () => k.events('ticket.voided')[0]);
  t.match(voided.message.data, { takeId: allocated?.takeId, number: 'A002', category: 'social', reason: /storage full/ });
  t.same(k.server.desk.voided, ['A002'], 'the reference server voided the number');

  const next = await k.take('social');
  t.equal(next.ok && next.ticket.number, 'A003', `taking goes on (${JSON.stringify(next)})`);
  await waitFor('ticket.issued A003', () => k.events('ticket.issued').find((e) => e.message.data['number'] === 'A003'));
  t.equal(k.events('ticket.voided').length, 1, 'voided once (checked after a later ticket)');
});
