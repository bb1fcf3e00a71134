// Signed commands are bound to the topic they were signed for, live at most
// security.maxSecureLifetimeMs and may not come from the future (docs/protocol.md "Signed messages").
import t, { type Test } from 'tap';
import { Type } from '@sinclair/typebox';
import { CommandDispatcher } from '../../../firmware/link/command-dispatcher.js';
import { silentLogger } from '../../../firmware/log.js';
import { TrustedClock } from '../../../firmware/link/trusted-clock.js';
import { Store } from '../../../firmware/store/store.js';
import { generateSigningKeys, signEnvelope, toPublicKey } from '../../../protocol/signing.js';
import type { Ack } from '../../../protocol/messages.js';
import { tempDir } from '../../../testkit/temp.js';
import { fakeLinkTime } from './fake-link-time.js';
import { systemClock } from '../../../drivers/clock/system-clock.js';

const keys = generateSigningKeys();
const ROOT = 'halld/v1/h1/d1';
const topicOf = (name: string) => `${ROOT}/cmd/sys/${name}`;

async function rig(t: Test) {
  const store = await Store.open(await tempDir(t), { clock: systemClock });
  t.teardown(() => store.close());
  const time = fakeLinkTime();
  const acks: Ack[] = [];
  const runs: string[] = [];
  const dispatcher = new CommandDispatcher({
    store,
    clock: new TrustedClock('system', time.clock),
    timers: time.timers,
    publishAck: (json) => void acks.push(JSON.parse(json) as Ack),
    protocolError: () => undefined,
    serverPublicKey: toPublicKey(keys.publicKeyPem),
    extraSecure: new Set(['sys/ping']),
    security: { maxSecureLifetimeMs: 300_000, maxClockSkewMs: 60_000 },
    logger: silentLogger(),
  });
  for (const name of ['ping', 'restart']) {
    dispatcher.register('sys', name, { schema: Type.Object({}), effect: 'state', secure: true, run: async () => void runs.push(name) });
  }
  const send = async (topic: string, body: Record<string, unknown>, hallWide = false) => {
    const name = topic.split('/').pop() ?? '';
    await dispatcher.handle({ role: 'sys', name, hallWide, topic }, Buffer.from(JSON.stringify(body)));
    return acks.at(-1);
  };
  return { send, runs, now: time.clock.now() };
}

let n = 0;
function signed(to: string | undefined, now: number, lifetimeMs = 10_000, tsOffsetMs = 0): Record<string, unknown> {
  const ts = now + tsOffsetMs;
  return signEnvelope({ v: 1, id: `s-${++n}`, ts, exp: ts + lifetimeMs, data: {}, ...(to !== undefined ? { to } : {}) }, keys.privateKeyPem);
}

t.test('a command signed for its own topic runs', async (t) => {
  const r = await rig(t);
  t.match(await r.send(topicOf('restart'), signed(topicOf('restart'), r.now)), { ok: true });
  t.same(r.runs, ['restart']);
});

t.test('a signature for sys/ping republished on sys/restart is refused', async (t) => {
  const r = await rig(t);
  const ack = await r.send(topicOf('restart'), signed(topicOf('ping'), r.now));
  t.match(ack, { ok: false, error: { code: 'UNAUTHORIZED', message: /signed for .*cmd\/sys\/ping/ } });
  t.same(r.runs, []);
});

t.test("another device's signed command replayed on this device, or on all/cmd, is refused", async (t) => {
  const r = await rig(t);
  const other = signed('halld/v1/h1/d2/cmd/sys/restart', r.now);
  t.match(await r.send(topicOf('restart'), other), { ok: false, error: { code: 'UNAUTHORIZED' } });
  t.match(await r.send('halld/v1/h1/all/cmd/sys/restart', { ...other, id: 'x' }, true), { ok: false, error: { code: 'UNAUTHORIZED' } });
  t.match(await r.send('halld/v1/h1/all/cmd/sys/restart', signed(topicOf('restart'), r.now), true), { ok: false, error: { code: 'UNAUTHORIZED' } });
  t.match(await r.send('halld/v1/h1/all/cmd/sys/restart', signed('halld/v1/h1/all/cmd/sys/restart', r.now), true), { ok: true }, 'a broadcast signed for the broadcast topic runs');
  t.same(r.runs, ['restart']);
});

t.test('a signed command without `to` is refused', async (t) => {
  const r = await rig(t);
  t.match(await r.send(topicOf('restart'), signed(undefined, r.now)), { ok: false, error: { code: 'UNAUTHORIZED', message: /to/ } });
  t.same(r.runs, []);
});

t.test('a signed lifetime over maxSecureLifetimeMs is refused (2^60 included)', async (t) => {
  const r = await rig(t);
  t.match(await r.send(topicOf('restart'), signed(topicOf('restart'), r.now, 300_001)), { ok: false, error: { code: 'UNAUTHORIZED', message: /lifetime/ } });
  t.match(await r.send(topicOf('restart'), signed(topicOf('restart'), r.now, 2 ** 60)), { ok: false, error: { code: 'UNAUTHORIZED' } });
  t.match(await r.send(topicOf('restart'), signed(topicOf('restart'), r.now, 300_000)), { ok: true }, 'exactly the limit is fine');
  t.same(r.runs, ['restart']);
});

t.test('a signed ts more than maxClockSkewMs ahead of the device is refused', async (t) => {
  const r = await rig(t);
  t.match(await r.send(topicOf('restart'), signed(topicOf('restart'), r.now, 10_000, 60_001)), { ok: false, error: { code: 'UNAUTHORIZED', message: /ahead/ } });
  t.match(await r.send(topicOf('restart'), signed(topicOf('restart'), r.now, 10_000, 60_000)), { ok: true });
  t.same(r.runs, ['restart']);
});

t.test('a signed command whose exp is before its ts is refused, even within skew and lifetime', async (t) => {
  const r = await rig(t);
  // ts 50 s ahead (within the skew), exp 10 s ahead (not expired): exp - ts is negative, so under any lifetime.
  const ack = await r.send(topicOf('restart'), signed(topicOf('restart'), r.now, -40_000, 50_000));
  t.match(ack, { ok: false, error: { code: 'UNAUTHORIZED', message: /exp .* is before its ts/ } });
  t.same(r.runs, []);
});
