// The pickup-code hash as docs/protocol.md specifies it (scrypt per RFC 7914 over the code's
// UTF-8 NFC bytes, the salt's bytes from hex, hex output), checked against RFC 7914's own test
// vectors (section 12), not against anything this code produced.
import t from 'tap';
import { generateKeyPairSync, createPrivateKey } from 'node:crypto';
import { pickupCodeHash, pickupCodeMatches } from '../../protocol/locker-code.js';

const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');

t.test('RFC 7914 test vectors', async (t) => {
  t.equal(
    await pickupCodeHash('password', hex('NaCl'), { N: 1024, r: 8, p: 16, keylen: 64 }),
    'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640',
    'scrypt("password", "NaCl", N=1024, r=8, p=16, dkLen=64)',
  );
  t.equal(
    await pickupCodeHash('pleaseletmein', hex('SodiumChloride'), { N: 16384, r: 8, p: 1, keylen: 64 }),
    '7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887',
    'scrypt("pleaseletmein", "SodiumChloride", N=16384, r=8, p=1, dkLen=64)',
  );
});

t.test('every character of the code counts; the code is NFC-normalised first', async (t) => {
  const stored = { codeHash: await pickupCodeHash('password', hex('NaCl'), { N: 1024, r: 8, p: 16, keylen: 64 }), salt: hex('NaCl'), scrypt: { N: 1024, r: 8, p: 16, keylen: 64 } };
  t.ok(await pickupCodeMatches('password', stored));
  for (const wrong of ['passwore', 'passwor', 'pass', 'password0', 'Password']) t.notOk(await pickupCodeMatches(wrong, stored), `${wrong} does not match`);
  const params = { N: 1024, r: 8, p: 1, keylen: 32 };
  // "é" composed (U+00E9) and decomposed (e + U+0301) are one code.
  t.equal(await pickupCodeHash('caf\u00e9', '00112233445566778899aabbccddeeff', params), await pickupCodeHash('cafe\u0301', '00112233445566778899aabbccddeeff', params));
});

t.test('parameters OpenSSL refuses leave no error behind for the next key the process reads', async (t) => {
  // Node leaves OpenSSL's error in its queue after a refused scrypt; the next call that reads
  // that queue (a key being parsed, a TLS context) then failed with "memory limit exceeded".
  const pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
  await t.rejects(pickupCodeHash('123456', '00'.repeat(16), { N: 65_536, r: 1, p: 1, keylen: 32 }), /memory limit exceeded|Invalid scrypt params/);
  t.doesNotThrow(() => createPrivateKey(pem), 'the next key parses');
});
