// The ledger: offline counters per day and category, the day never going back, pruning.
import t, { type Test } from 'tap';
import { Store } from '../../../firmware/store/store.js';
import { LEDGER_MIGRATIONS, TicketLedger, type LedgerTicket } from '../../../firmware/roles/ticket-printer/ticket-ledger.js';
import { tempDir } from '../../../testkit/temp.js';
import { systemClock } from '../../../drivers/clock/system-clock.js';

function ticket(day: string, number: string, extra: Partial<LedgerTicket> = {}): LedgerTicket {
  return { ticketId: `k-${day}-${number}`, takeId: 't', day, number, category: 'social', priority: false, appointment: null, offline: true, reissue: false, waiting: null, window: null, qrUrl: null, issuedAt: 0, ...extra };
}

async function openLedger(t: Test, dir: string): Promise<{ store: Store; ledger: TicketLedger }> {
  const store = await Store.open(dir, { clock: systemClock });
  t.teardown(() => store.close());
  await store.migrate('ticket-printer', LEDGER_MIGRATIONS);
  return { store, ledger: await TicketLedger.open(store) };
}

t.test('offline counters continue after reopening and restart on a new day', async (t) => {
  const dir = await tempDir(t);
  {
    const { store, ledger } = await openLedger(t, dir);
    await ledger.useDay('2026-11-23');
    for (const n of ['AK001', 'AK002']) {
      const claim = ledger.claimOffline('social');
      const tk = ticket('2026-11-23', n);
      await store.commit([claim.statement, ledger.insertStatement(tk)]);
      ledger.committed(tk, claim.counter);
    }
    t.equal(ledger.issuedToday('social'), 2);
    await store.close();
  }
  const { ledger } = await openLedger(t, dir);
  await ledger.useDay('2026-11-23');
  t.equal(ledger.claimOffline('social').counter, 3, 'the counter survived');
  t.equal(ledger.issuedToday('social'), 2, 'quota count survived');
  t.equal(ledger.effectiveDay('2026-11-20'), '2026-11-23', 'a clock set back does not reuse an earlier day');
  t.equal(ledger.effectiveDay('2026-11-24'), '2026-11-24');
  await ledger.useDay('2026-11-24');
  t.equal(ledger.claimOffline('social').counter, 1, 'a new day starts again at 1');
  t.equal(ledger.issuedToday('social'), 0);
});

t.test('the same number twice on one day is refused by the database', async (t) => {
  const { store, ledger } = await openLedger(t, await tempDir(t));
  await ledger.useDay('2026-11-23');
  await store.commit([ledger.insertStatement(ticket('2026-11-23', 'A001', { ticketId: 'k1' }))]);
  await t.rejects(store.commit([ledger.insertStatement(ticket('2026-11-23', 'A001', { ticketId: 'k2' }))]), /UNIQUE/);
  await store.commit([ledger.insertStatement(ticket('2026-11-23', 'A001', { ticketId: 'k3', reissue: true }))]);
  t.pass('a re-issue of the same number is allowed');
});

t.test('tickets older than the kept days are pruned when a new day starts', async (t) => {
  const { store, ledger } = await openLedger(t, await tempDir(t));
  await ledger.useDay('2026-01-01');
  await store.commit([ledger.insertStatement(ticket('2026-01-01', 'A001'))]);
  await ledger.useDay('2026-11-23');
  const rows = await store.all<{ n: number }>('SELECT COUNT(*) AS n FROM tp_ticket');
  t.equal(rows[0]?.n, 0);
});
