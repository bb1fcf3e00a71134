// Taking a number by swiping an ID card (and by showing an e-ID QR), on the real role: the sim
// board's GA 467 module behind the real driver, the reference server's ticket desk. What the
// server receives is compared with an independent scrypt of the card's number, not with what
// the kiosk itself computed.
import t from 'tap';
import { kioskFixture, type KioskFixture } from './kiosk-fixture.js';
import { waitFor } from '../../../testkit/wait.js';
import { scryptHex } from '../../../protocol/locker-code.js';
import { DEFAULT_SIM_CARD } from '../../../simulators/id-card-reader/sim-card.js';

t.setTimeout(120_000);

const SALT = '5a17c0ffee5a17c0ffee5a17c0ffee00';
const FAST = { N: 1024, r: 8, p: 1, keylen: 32 };
const READER_IO = { serial: { 'idr-port': { path: '/dev/ttyS-sim-idr' } }, idCardReaders: { desk: { serial: 'idr-port', pollMs: 50 } } };

async function swipeKiosk(t: Parameters<typeof kioskFixture>[0], role: Record<string, unknown> = {}, desk = {}): Promise<KioskFixture> {
  return kioskFixture(t, { io: READER_IO, role: { idCardReader: 'desk', identity: { salt: SALT, scrypt: FAST, eIdPattern: '^EID:' }, sms: true, ...role }, desk });
}

const post = async (k: KioskFixture, body: unknown) =>
  (await fetch(new URL('api/take', k.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json() as Promise<{ ok: boolean; ticket?: { number: string } }>;

t.test('swipe, then take: ticket.take carries the salted hash of the number, once', async (t) => {
  const k = await swipeKiosk(t);
  t.same((await k.view()).identity, { reader: true, identified: null, problem: null }, 'the page knows there is a reader');
  t.equal((await k.view()).sms, true);
  k.hal.sim.idCardReader('desk').placeCard();
  await waitFor('card identified', async () => (await k.view()).identity.identified === 'card');

  const r = await post(k, { category: 'social', priority: false, phone: '13812345678' });
  t.ok(r.ok, 'a number');
  const sent = k.server.desk.issued.at(-1);
  t.same(sent?.identity, { kind: 'id-hash', hash: await scryptHex(DEFAULT_SIM_CARD.number, SALT, FAST) }, 'scrypt(number, hall salt)');
  t.equal(sent?.phone, '13812345678', 'the phone for SMS reminders');
  t.notOk(JSON.stringify(sent).includes(DEFAULT_SIM_CARD.number), 'the number is not on the wire');
  t.equal((await k.view()).identity.identified, null, 'the swipe is used up by the take');

  await post(k, { category: 'social', priority: false });
  t.notOk(k.server.desk.issued.at(-1)?.identity, 'the next visitor does not inherit it');
  t.notOk(k.server.desk.issued.at(-1)?.phone);
  const issued = k.events('ticket.issued').map((e) => JSON.stringify(e.message.data));
  t.notOk(issued.some((d) => d.includes('identity') || d.includes('13812345678')), 'ticket.issued (stored in the outbox) carries neither');
});

t.test('a bad phone number is refused by the page API with a reason', async (t) => {
  const k = await swipeKiosk(t);
  for (const phone of ['1381234567', '12812345678', '138123456789', '1381234567x']) {
    const res = await fetch(new URL('api/take', k.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ category: 'social', priority: false, phone }) });
    t.equal(res.status, 400, `${phone} refused`);
    t.match(((await res.json()) as { error: string }).error, /phone/);
  }
  t.equal(k.server.desk.issued.length, 0, 'nothing taken');
});

t.test('a misread card is not used: the page asks for it again', async (t) => {
  const k = await swipeKiosk(t);
  k.hal.sim.idCardReader('desk').placeCard({ number: '110105194912310021' }); // wrong check character
  await waitFor('unreadable shown', async () => (await k.view()).identity.problem === 'unreadable');
  t.equal((await k.view()).identity.identified, null);
});

t.test('the number itself only when configured, and only over TLS', async (t) => {
  await t.rejects(swipeKiosk(t, { identity: { send: 'number', scrypt: FAST } }), /identity\/send.*TLS/, 'mqtt:// refuses identity.send "number"');
});

t.test('a reader without the hall salt is a config problem', async (t) => {
  await t.rejects(swipeKiosk(t, { identity: { scrypt: FAST } }), /identity\/salt/);
});

t.test('a kiosk without a reader keeps today\'s flow', async (t) => {
  const k = await kioskFixture(t);
  const view = await k.view();
  t.same(view.identity, { reader: false, identified: null, problem: null });
  t.equal(view.sms, false);
  t.ok((await post(k, { category: 'social', priority: false })).ok);
  t.notOk(k.server.desk.issued.at(-1)?.identity);
});

t.test('亮码: an e-ID QR goes to the server verbatim as req identity.scanned, and the take carries its ref', async (t) => {
  const qr = 'EID:3f9a0c7e-opaque-payload-0001';
  const k = await swipeKiosk(t, {}, { eIds: { [qr]: 'ref-77' } });
  await k.hal.sim.scan('scan', qr);
  await waitFor('e-ID identified', async () => (await k.view()).identity.identified === 'e-id');
  t.same(k.server.desk.eIdScans.map((s) => s.qr), [qr], 'forwarded exactly as scanned');
  t.equal(k.server.desk.issued.length, 0, 'not taken as an appointment check-in');
  t.ok((await post(k, { category: 'social', priority: false })).ok);
  t.same(k.server.desk.issued.at(-1)?.identity, { kind: 'e-id', ref: 'ref-77' });

  await k.hal.sim.scan('scan', 'EID:forged');
  await waitFor('not verified shown', async () => (await k.view()).identity.problem === 'not-verified');
  t.equal((await k.view()).identity.identified, null);
  const stored = k.events('ticket.issued').map((e) => JSON.stringify(e.message.data)).join('\n');
  t.notOk(stored.includes('EID:'), 'no event carries the QR');
});
