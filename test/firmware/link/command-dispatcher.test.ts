// CommandDispatcher over a real Store in a temp dir and fake time: exactly one run per command
// id, for concurrent copies as well as for repeats after the fact, for every effect kind; and
// an id journaled `actuating` by a previous boot answers INDETERMINATE and never runs again.
import t from 'tap';
import { Type } from '@sinclair/typebox';
import { CommandDispatcher } from '../../../firmware/link/command-dispatcher.js';
import { silentLogger } from '../../../firmware/log.js';
import { TrustedClock } from '../../../firmware/link/trusted-clock.js';
import type { CommandEffect, CommandSpec } from '../../../firmware/link/command-types.js';
import { Store } from '../../../firmware/store/store.js';
import { CommandJournal } from '../../../firmware/link/command-journal.js';
import type { Ack } from '../../../protocol/messages.js';
import { tempDir } from '../../../testkit/temp.js';
import { fakeLinkTime, settle, until, type FakeLinkTime } from './fake-link-time.js';
import { systemClock } from '../../../drivers/clock/system-clock.js';

const TOPIC = 'halld/v1/h1/d1/cmd/sys/work';

interface Rig {
  dispatcher: CommandDispatcher;
  acks: Ack[];
  errors: Record<string, unknown>[];
  time: FakeLinkTime;
}

function rig(store: Store, time = fakeLinkTime()): Rig {
  const acks: Ack[] = [];
  const errors: Record<string, unknown>[] = [];
  const dispatcher = new CommandDispatcher({
    store,
    clock: new TrustedClock('system', time.clock),
    timers: time.timers,
    publishAck: (json) => void acks.push(JSON.parse(json) as Ack),
    protocolError: (data) => void errors.push(data),
    serverPublicKey: undefined,
    extraSecure: new Set(),
    security: { maxSecureLifetimeMs: 300_000, maxClockSkewMs: 60_000 },
    logger: silentLogger(),
  });
  return { dispatcher, acks, errors, time };
}

/** A store in `dir` (a fresh temp dir by default), closed when the test ends, and a dispatcher on it. */
async function storeRig(t: { teardown(fn: () => unknown): void }, dir?: string): Promise<Rig & { store: Store }> {
  const store = await Store.open(dir ?? (await tempDir(t)), { clock: systemClock });
  t.teardown(() => store.close());
  return { ...rig(store), store };
}

/** A promise the test opens when it wants; lets copies of one command really overlap. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

function counted(effect: CommandEffect, hold?: Promise<void>): { spec: CommandSpec; runs: () => number } {
  let runs = 0;
  const spec: CommandSpec = {
    schema: Type.Object({ n: Type.Integer() }),
    effect,
    timeoutMs: 60_000,
    run: async (data, ctx) => {
      runs += 1;
      if (hold) await hold;
      ctx.emit('worked', { n: (data as { n: number }).n });
      return { n: (data as { n: number }).n, runs };
    },
  };
  return { spec, runs: () => runs };
}

function envelope(id: string, now: number, data: Record<string, unknown> = { n: 7 }): Buffer {
  return Buffer.from(JSON.stringify({ v: 1, id, ts: now, exp: now + 30_000, data }));
}

const incoming = { role: 'sys', name: 'work', hallWide: false, topic: TOPIC };

for (const effect of ['none', 'records', 'state', 'hardware'] as const) {
  t.test(`a burst of copies of one id runs once (effect ${effect}); the copies get the first ack with dup:true`, async (t) => {
    const r = await storeRig(t);
    const { store } = r;
    const hold = gate();
    const work = counted(effect, hold.wait);
    r.dispatcher.register('sys', 'work', work.spec);
    const now = r.time.clock.now();
    const copies = Array.from({ length: 5 }, () => r.dispatcher.handle(incoming, envelope(`burst-${effect}`, now)));
    await settle();
    hold.open();
    await Promise.all(copies);
    t.equal(work.runs(), 1, 'the handler ran once');
    t.equal(r.acks.length, 5, 'every copy got an answer');
    const first = r.acks.filter((a) => a.dup !== true);
    t.equal(first.length, 1, 'exactly one ack without dup');
    t.match(first[0], { ok: true, data: { n: 7, runs: 1 } });
    for (const a of r.acks.filter((x) => x.dup === true)) t.same({ ...a, dup: undefined }, { ...first[0], dup: undefined }, 'a copy answers the first ack');

    // Later, another burst of the same id: all dup, nothing runs.
    await Promise.all(Array.from({ length: 3 }, () => r.dispatcher.handle(incoming, envelope(`burst-${effect}`, now))));
    t.equal(work.runs(), 1, 'repeats after completion run nothing');
    t.equal(r.acks.slice(5).filter((a) => a.dup === true).length, 3);
    await store.commit([]); // barrier: units commit in order, so a read-only command's journal write is in
    const events = await store.outboxAfter(0, 100);
    t.equal(events.filter((e) => e.name === 'worked').length, 1, 'one event for one run');
  });
}

t.test('a repeat after a restart answers the journaled ack, even past its expiry', async (t) => {
  const dir = await tempDir(t);
  const s1 = await Store.open(dir, { clock: systemClock });
  const r1 = rig(s1);
  const w1 = counted('state');
  r1.dispatcher.register('sys', 'work', w1.spec);
  const now = r1.time.clock.now();
  await r1.dispatcher.handle(incoming, envelope('restart-1', now));
  await s1.close();
  const r2 = await storeRig(t, dir);
  const w2 = counted('state');
  r2.dispatcher.register('sys', 'work', w2.spec);
  await r2.time.tick(60_000);
  await Promise.all([r2.dispatcher.handle(incoming, envelope('restart-1', now)), r2.dispatcher.handle(incoming, envelope('restart-1', now))]);
  t.equal(w2.runs(), 0);
  t.equal(r2.acks.length, 2);
  for (const a of r2.acks) t.match(a, { ok: true, dup: true, data: { n: 7, runs: 1 } });
});

t.test('an id a previous boot left actuating answers INDETERMINATE and never runs again', async (t) => {
  const dir = await tempDir(t);
  const s1 = await Store.open(dir, { clock: systemClock });
  const r1 = rig(s1);
  const never = gate();
  const w1 = counted('hardware', never.wait);
  r1.dispatcher.register('sys', 'work', w1.spec);
  const now = r1.time.clock.now();
  void r1.dispatcher.handle(incoming, envelope('door-1', now));
  await until(() => w1.runs() === 1);
  await s1.close(); // the power goes: no result is ever recorded
  const r2 = await storeRig(t, dir);
  const w2 = counted('hardware');
  r2.dispatcher.register('sys', 'work', w2.spec);
  const recovered = (await r2.dispatcher.recoverUnfinished()).map((j) => JSON.parse(j) as Ack);
  t.match(recovered, [{ id: 'door-1', ok: false, error: { code: 'INDETERMINATE' } }]);
  await Promise.all([r2.dispatcher.handle(incoming, envelope('door-1', now)), r2.dispatcher.handle(incoming, envelope('door-1', now))]);
  t.equal(w2.runs(), 0, 'never moved again');
  for (const a of r2.acks) t.match(a, { id: 'door-1', ok: false, dup: true, error: { code: 'INDETERMINATE' } });
});

t.test('a handler that never finishes is answered on fake time: TIMEOUT, or INDETERMINATE for hardware', async (t) => {
  const r = await storeRig(t);
  const never = gate();
  const work = counted('state', never.wait);
  const move = counted('hardware', never.wait);
  r.dispatcher.register('sys', 'work', { ...work.spec, timeoutMs: 5_000 });
  r.dispatcher.register('sys', 'move', { ...move.spec, timeoutMs: 5_000 });
  const now = r.time.clock.now();
  const a = r.dispatcher.handle(incoming, envelope('slow-1', now));
  const b = r.dispatcher.handle({ ...incoming, name: 'move', topic: TOPIC.replace('work', 'move') }, envelope('slow-2', now));
  await until(() => work.runs() === 1 && move.runs() === 1);
  t.equal(r.acks.length, 0, 'nothing answered before the deadline');
  await r.time.tick(4_999);
  t.equal(r.acks.length, 0);
  await r.time.tick(1);
  await Promise.all([a, b]);
  t.match(r.acks.find((x) => x.id === 'slow-1'), { ok: false, error: { code: 'TIMEOUT' } });
  t.match(r.acks.find((x) => x.id === 'slow-2'), { ok: false, error: { code: 'INDETERMINATE' } });
});

t.test('a refused copy does not speak for a later good copy of the same id', async (t) => {
  const r = await storeRig(t);
  const work = counted('state');
  r.dispatcher.register('sys', 'work', work.spec);
  const now = r.time.clock.now();
  const bad = r.dispatcher.handle(incoming, envelope('same-1', now, { n: 'not a number' }));
  const good = r.dispatcher.handle(incoming, envelope('same-1', now));
  await Promise.all([bad, good]);
  t.equal(work.runs(), 1, 'the good copy ran');
  t.match(r.acks.find((a) => a.ok === false), { error: { code: 'BAD_REQUEST' } });
  t.match(r.acks.find((a) => a.ok === true), { data: { n: 7 } });
});

t.test('a thrown DeviceError keeps its code; OFFLINE from a request goes out as INTERNAL', async (t) => {
  const r = await storeRig(t);
  const { DeviceError } = await import('../../../firmware/link/device-error.js');
  r.dispatcher.register('sys', 'work', {
    schema: Type.Object({}, { additionalProperties: true }),
    effect: 'state',
    run: () => Promise.reject(new DeviceError('NOT_FOUND', 'no such thing', { what: 'x' })),
  });
  r.dispatcher.register('sys', 'ask', {
    schema: Type.Object({}, { additionalProperties: true }),
    effect: 'state',
    run: () => Promise.reject(new DeviceError('OFFLINE', 'not connected to the broker')),
  });
  const now = r.time.clock.now();
  await r.dispatcher.handle(incoming, envelope('e-1', now, {}));
  await r.dispatcher.handle({ ...incoming, name: 'ask' }, envelope('e-2', now, {}));
  t.match(r.acks[0], { ok: false, error: { code: 'NOT_FOUND', message: 'no such thing', details: { what: 'x' } } });
  t.match(r.acks[1], { ok: false, error: { code: 'INTERNAL', message: /offline/ } });
});

t.test('an id journaled as started but never finished in this boot (its result could not be stored) never runs again', async (t) => {
  const r = await storeRig(t);
  const { store } = r;
  const work = counted('hardware');
  r.dispatcher.register('sys', 'work', work.spec);
  await new CommandJournal(store).begin('half-1', 'sys', 'work', 'actuating');
  await new CommandJournal(store).begin('half-2', 'sys', 'work', 'received');
  const now = r.time.clock.now();
  await r.dispatcher.handle(incoming, envelope('half-1', now));
  await r.dispatcher.handle(incoming, envelope('half-2', now));
  t.equal(work.runs(), 0);
  t.match(r.acks, [
    { id: 'half-1', ok: false, dup: true, error: { code: 'INDETERMINATE' } },
    { id: 'half-2', ok: false, dup: true, error: { code: 'INTERNAL', message: /nothing was done/ } },
  ]);
});

t.test('expiry: a command past its exp is refused EXPIRED and never runs; at exp it still runs; without trusted time nothing runs', async (t) => {
  const r = await storeRig(t);
  const { store } = r;
  const work = counted('state');
  r.dispatcher.register('sys', 'work', work.spec);
  const now = r.time.clock.now();
  const at = (id: string, exp: number) => Buffer.from(JSON.stringify({ v: 1, id, ts: now - 60_000, exp, data: { n: 1 } }));
  await r.dispatcher.handle(incoming, at('late-1', now - 1));
  t.match(r.acks.at(-1), { id: 'late-1', ok: false, error: { code: 'EXPIRED', message: /expired 1 ms ago/ } });
  await r.dispatcher.handle(incoming, at('late-2', now - 2 ** 40));
  t.match(r.acks.at(-1), { id: 'late-2', ok: false, error: { code: 'EXPIRED' } });
  t.equal(work.runs(), 0, 'nothing ran');
  await r.dispatcher.handle(incoming, at('on-time', now));
  t.match(r.acks.at(-1), { id: 'on-time', ok: true }, 'exp = now is not past');
  t.equal(work.runs(), 1);

  // clock.source beacon before any beacon: the expiry cannot be checked, so nothing runs.
  const untrusted = new CommandDispatcher({
    store,
    clock: new TrustedClock('beacon', r.time.clock),
    timers: r.time.timers,
    publishAck: (json) => void r.acks.push(JSON.parse(json) as Ack),
    protocolError: () => undefined,
    serverPublicKey: undefined,
    extraSecure: new Set(),
    security: { maxSecureLifetimeMs: 300_000, maxClockSkewMs: 60_000 },
    logger: silentLogger(),
  });
  untrusted.register('sys', 'work', work.spec);
  await untrusted.handle(incoming, envelope('no-time', now));
  t.match(r.acks.at(-1), { id: 'no-time', ok: false, error: { code: 'EXPIRED', message: /no trusted time/ } });
  t.equal(work.runs(), 1, 'still one run');
});

// Commands start in the order they arrived even when their journal lookups come back in
// another order (the lookup runs on its own connection): three calls queued at once are
// announced A, B, C, never B, C, A.
for (const effect of ['none', 'records', 'state', 'hardware'] as const) {
  t.test(`distinct commands start in arrival order when the first lookup answers last (effect ${effect})`, async (t) => {
    const r = await storeRig(t);
    const started: number[] = [];
    r.dispatcher.register('sys', 'work', {
      schema: Type.Object({ n: Type.Integer() }),
      effect,
      run: (data) => {
        started.push((data as { n: number }).n);
        return Promise.resolve({});
      },
    });
    const realLookup = r.store.lookup.bind(r.store);
    const slow = gate();
    let lookups = 0;
    (r.store as { lookup: Store['lookup'] }).lookup = async (sql, params) => {
      const mine = ++lookups;
      const row = await realLookup(sql, params);
      if (mine === 1) await slow.wait;
      return row as never;
    };
    const now = r.time.clock.now();
    const handled = [1, 2, 3].map((n) => r.dispatcher.handle(incoming, envelope(`order-${effect}-${n}`, now, { n })));
    await until(() => lookups === 3);
    await settle();
    slow.open();
    await Promise.all(handled);
    t.same(started, [1, 2, 3]);
    t.equal(r.acks.filter((a) => a.ok).length, 3, 'each answered');
  });
}
