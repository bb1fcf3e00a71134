import t from 'tap';
import { canonicalJson, checkSecureTimes, signEnvelope, verifyEnvelope, generateSigningKeys, toPublicKey } from '../../protocol/signing.js';
import { createPublicKey } from 'node:crypto';

t.test('canonical JSON sorts keys at every level and drops undefined', async (t) => {
  t.equal(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 'é' }], c: null }, u: undefined }), '{"a":{"c":null,"d":[1,{"y":"é","z":1}]},"b":1}');
});

t.test('a signed envelope verifies; any change breaks it', async (t) => {
  const keys = generateSigningKeys();
  const env = { v: 1, id: 'c1', ts: 1000, exp: 2000, data: { door: 7 } };
  const signed = signEnvelope(env, keys.privateKeyPem);
  t.ok(verifyEnvelope(signed, keys.publicKeyPem));
  t.ok(verifyEnvelope(JSON.parse(JSON.stringify({ data: signed.data, exp: 2000, id: 'c1', sig: signed.sig, ts: 1000, v: 1 })), keys.publicKeyPem), 'key order does not matter');
  t.notOk(verifyEnvelope({ ...signed, data: { door: 8 } }, keys.publicKeyPem), 'tampered data');
  t.notOk(verifyEnvelope({ ...signed, exp: 999999 }, keys.publicKeyPem), 'extended expiry');
  t.notOk(verifyEnvelope(env, keys.publicKeyPem), 'missing sig');
  t.notOk(verifyEnvelope({ ...signed, sig: 'AAAA' }, keys.publicKeyPem), 'garbage sig');
  const other = generateSigningKeys();
  t.notOk(verifyEnvelope(signed, other.publicKeyPem), 'another key');
});

t.test('raw base64 public keys are accepted', async (t) => {
  const keys = generateSigningKeys();
  const der = createPublicKey(keys.publicKeyPem).export({ type: 'spki', format: 'der' });
  const raw = der.subarray(der.length - 32).toString('base64');
  const signed = signEnvelope({ v: 1, id: 'x', ts: 1, exp: 2, data: {} }, keys.privateKeyPem);
  t.ok(verifyEnvelope(signed, toPublicKey(raw)));
  t.throws(() => toPublicKey('AAAA'), /32 bytes/);
});

t.test('checkSecureTimes: exp before ts, a lifetime over the limit and a ts from the future are refused', async (t) => {
  const limits = { maxSecureLifetimeMs: 300_000, maxClockSkewMs: 60_000 };
  const now = 1_800_000_000_000;
  t.same(checkSecureTimes(now, now + 300_000, now, limits), { ok: true }, 'exactly the lifetime');
  t.same(checkSecureTimes(now + 60_000, now + 70_000, now, limits), { ok: true }, 'exactly the skew');
  t.same(checkSecureTimes(now, now, now, limits), { ok: true }, 'exp = ts: a lifetime of zero is not before');
  t.match(checkSecureTimes(now + 50_000, now + 10_000, now, limits), { ok: false, reason: /exp 1800000010000 is before its ts 1800000050000/ });
  t.match(checkSecureTimes(now, now + 300_001, now, limits), { ok: false, reason: /lifetime/ });
  t.match(checkSecureTimes(now + 60_001, now + 70_000, now, limits), { ok: false, reason: /ahead/ });
});
