import t from 'tap';
import { canonicalJson, signEnvelope, verifyEnvelope, generateSigningKeys, toPublicKey } from '../../protocol/signing.js';
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
