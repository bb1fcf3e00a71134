// What the device trusts (docs/protocol.md): an anonymous client on an open broker must not be able
// to delete events, replay retained messages, answer requests it was not asked, roll a config
// back, or move the clock.
import t from 'tap';
import { generateSigningKeys, signEnvelope, toPublicKey } from '../../../protocol/signing.js';
import { waitFor } from '../../../testkit/wait.js';
import { linkRig, ROOT } from './link-rig.js';

const HOUR = 3_600_000;

t.test('a forged evt-ack above the highest published seq is refused whole and deletes nothing', async (t) => {
  const r = await linkRig(t);
  for (let i = 0; i < 3; i++) await r.link.emit('sys', 'ticket', { i });
  await waitFor('3 events out', () => r.events('ticket').length === 3);
  await r.publish(`${ROOT}/evt-ack`, { v: 1, upTo: 1e12 });
  const error = await waitFor('protocol.error', () => r.events('protocol.error')[0]);
  t.match(error['data'], { topic: 'evt-ack', reason: /1000000000000.*highest.*3/ });
  t.same((await r.store.outboxAfter(0, 100)).filter((e) => e.name === 'ticket').map((e) => e.seq), [1, 2, 3], 'every ticket still in the outbox');
  t.equal((r.link.stats()['publisher'] as { ackedUpTo: number }).ackedUpTo, 0, 'the watermark did not move');
  // The real server's ack still works, and new events still go out.
  await r.publish(`${ROOT}/evt-ack`, { v: 1, upTo: 2 });
  await waitFor('acked up to 2', () => (r.link.stats()['publisher'] as { ackedUpTo: number }).ackedUpTo === 2);
  await r.link.emit('sys', 'ticket', { i: 3 });
  await waitFor('a new event is published', () => r.events('ticket').length === 4);
});

t.test('retained evt-ack, cmd and time are ignored', async (t) => {
  const r = await linkRig(t, {
    source: 'beacon',
    before: async (other) => {
      const ts = Date.now();
      await other.publishAsync(`${ROOT}/evt-ack`, JSON.stringify({ v: 1, upTo: 0 }), { qos: 1, retain: true });
      await other.publishAsync(`${ROOT}/cmd/sys/ping`, JSON.stringify({ v: 1, id: 'retained-cmd', ts, exp: ts + 60_000, data: {} }), { qos: 1, retain: true });
      await other.publishAsync('halld/v1/h1/time', JSON.stringify({ v: 1, ts: ts + 400 * 24 * HOUR }), { qos: 1, retain: true });
    },
  });
  t.teardown(async () => {
    for (const topic of [`${ROOT}/evt-ack`, `${ROOT}/cmd/sys/ping`, 'halld/v1/h1/time']) await r.publish(topic, '', true);
  });
  await r.barrier();
  t.notOk(r.seen.some((m) => m.topic === `${ROOT}/ack` && m.body['id'] === 'retained-cmd'), 'a retained command did not run');
  t.equal(r.clock.now(), undefined, 'a retained beacon did not set the clock');
  t.match(r.link.stats(), { retainedIgnored: 3 });
});

t.test('a res is accepted only for a waiting request, once; forged and duplicate ones break nothing', async (t) => {
  const r = await linkRig(t);
  // A forged answer to a request nobody made.
  await r.publish(`${ROOT}/res`, { v: 1, id: 'r-forged', ok: true, data: { number: 'Z999' } });
  const answered: unknown[] = [];
  const answerNext = async (data: Record<string, unknown>, copies: number) => {
    const req = await waitFor('a request', () => r.seen.find((m) => m.topic.startsWith(`${ROOT}/req/`) && !answered.includes(m.body['id'])));
    answered.push(req.body['id']);
    for (let i = 0; i < copies; i++) await r.publish(`${ROOT}/res`, { v: 1, id: req.body['id'], ok: true, data });
  };
  for (let i = 0; i < 5; i++) {
    const asked = r.link.request('ticket.take', { i }, 10_000);
    await answerNext({ number: `A00${i}` }, 3);
    t.same(await asked, { number: `A00${i}` }, `take ${i} got its own answer`);
  }
  await r.barrier();
  t.equal(r.link.stats()['pendingRequests'], 0);
  t.match(r.link.stats(), { unexpectedResponses: 11 }, 'the forged res and 2 duplicates of each answer were dropped and counted');
});

t.test('a config must be newer than the applied one; older or same-rev-other-content is rejected naming both', async (t) => {
  const r = await linkRig(t);
  await r.publish(`${ROOT}/config`, { v: 1, rev: 424242, data: { hall: 'real' } }, true);
  t.teardown(() => r.publish(`${ROOT}/config`, '', true));
  await waitFor('config.applied', () => r.events('config.applied')[0]);
  await r.publish(`${ROOT}/config`, { v: 1, rev: 3, data: { hall: 'old' } }, true);
  const older = await waitFor('config.rejected', () => r.events('config.rejected')[0]);
  t.match(older['data'], { rev: 3, appliedRev: 424242, reasons: [/3.*older.*424242/] });
  await r.publish(`${ROOT}/config`, { v: 1, rev: 424242, data: { hall: 'attacker' } }, true);
  const same = await waitFor('second config.rejected', () => r.events('config.rejected')[1]);
  t.match(same['data'], { rev: 424242, appliedRev: 424242, reasons: [/same revision/] });
  await r.publish(`${ROOT}/config`, { v: 1, rev: 424242, data: { hall: 'real' } }, true);
  await r.barrier();
  t.same(r.applied, [{ rev: 424242, data: { hall: 'real' } }], 'only the first was applied; the identical re-delivery is quiet');
  t.equal(r.events('config.rejected').length, 2);
});

t.test('with a server key, unsigned or re-targeted configs and beacons are rejected; signed ones apply', async (t) => {
  const keys = generateSigningKeys();
  const other = generateSigningKeys();
  const r = await linkRig(t, { source: 'beacon', serverPublicKey: toPublicKey(keys.publicKeyPem) });
  const cfgTopic = `${ROOT}/config`;
  t.teardown(() => r.publish(cfgTopic, '', true));
  await r.publish(cfgTopic, { v: 1, rev: 5, data: { hall: 'attacker' } }, true);
  t.match((await waitFor('unsigned config rejected', () => r.events('config.rejected')[0]))['data'], { rev: 5, reasons: [/must be signed/] });
  await r.publish(cfgTopic, signEnvelope({ v: 1, rev: 6, data: { hall: 'x' }, to: 'halld/v1/h1/d2/config' }, keys.privateKeyPem), true);
  t.match((await waitFor('re-targeted config rejected', () => r.events('config.rejected')[1]))['data'], { rev: 6, reasons: [/signed for halld\/v1\/h1\/d2\/config/] });
  await r.publish(cfgTopic, signEnvelope({ v: 1, rev: 7, data: { hall: 'x' }, to: cfgTopic }, other.privateKeyPem), true);
  t.match((await waitFor('wrong key rejected', () => r.events('config.rejected')[2]))['data'], { rev: 7, reasons: [/does not verify/] });
  await r.publish(cfgTopic, signEnvelope({ v: 1, rev: 8, data: { hall: 'real' }, to: cfgTopic }, keys.privateKeyPem), true);
  await waitFor('signed config applied', () => r.events('config.applied')[0]);
  t.same(r.applied, [{ rev: 8, data: { hall: 'real' } }]);

  const ts = Date.now();
  await r.publish('halld/v1/h1/time', { v: 1, ts: ts + 400 * 24 * HOUR });
  await r.publish('halld/v1/h1/time', signEnvelope({ v: 1, ts: ts + 400 * 24 * HOUR, to: 'halld/v1/h2/time' }, keys.privateKeyPem));
  await waitFor('two protocol.error events', () => r.events('protocol.error').length >= 2);
  t.match(r.events('protocol.error').map((e) => e['data']), [{ topic: 'time', reason: /must be signed/ }, { topic: 'time', reason: /signed for halld\/v1\/h2\/time/ }]);
  t.equal(r.clock.now(), undefined, 'unsigned and re-targeted beacons did not set the clock');
  await r.publish('halld/v1/h1/time', signEnvelope({ v: 1, ts, to: 'halld/v1/h1/time' }, keys.privateKeyPem));
  await waitFor('clock set by the signed beacon', () => r.clock.now() !== undefined);
  t.ok(Math.abs((r.clock.now() ?? 0) - ts) < HOUR);
});

t.test('with clock.source system a beacon never moves the time; its drift is reported', async (t) => {
  const wall = 1_800_000_000_000;
  const r = await linkRig(t, { source: 'system', wall: () => wall });
  await r.publish('halld/v1/h1/time', { v: 1, ts: 0 });
  await r.barrier();
  t.equal(r.clock.now(), wall, 'ts 0 did not move the clock back');
  await r.publish('halld/v1/h1/time', { v: 1, ts: wall + 400 * 24 * HOUR });
  await r.barrier();
  t.equal(r.clock.now(), wall, 'now + 400 days did not move it forward');
  t.match(r.link.stats()['clock'], { source: 'system', driftMs: 400 * 24 * HOUR, beacons: 2 });
});
