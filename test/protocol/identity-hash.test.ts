// The salted hash of an ID number that kiosks send and cabinets check: scrypt per RFC 7914
// (checked against the RFC's own test vector, not against this code's output), over the
// number's one spelling (trimmed, the check character X upper-case).
import t from 'tap';
import { hashIdentity, identityHash, identityMatches, normalIdNumber } from '../../protocol/identity-hash.js';
import { scryptHex } from '../../protocol/locker-code.js';

const NUMBER = '11010519491231002X';
const FAST = { N: 1024, r: 8, p: 1, keylen: 32 };

t.test('scryptHex is RFC 7914 scrypt: the RFC\'s test vector 2', async (t) => {
  // RFC 7914 section 12: P="password", S="NaCl", N=1024, r=8, p=16, dkLen=64.
  const expected =
    'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162' + '2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640';
  t.equal(await scryptHex('password', Buffer.from('NaCl').toString('hex'), { N: 1024, r: 8, p: 16, keylen: 64 }), expected);
});

t.test('one spelling: a lower-case x and stray blanks hash the same as the card\'s number', async (t) => {
  t.equal(normalIdNumber(' 11010519491231002x\n'), NUMBER);
  const salt = '00112233445566778899aabbccddeeff';
  const a = await identityHash(NUMBER, salt, FAST);
  t.equal(await identityHash('11010519491231002x', salt, FAST), a);
  t.equal(a, await scryptHex(NUMBER, salt, FAST), 'the number\'s 18 ASCII bytes, nothing added');
  t.not(await identityHash(NUMBER, 'ff112233445566778899aabbccddeeff', FAST), a, 'another salt, another hash');
  t.notOk(a.includes(NUMBER.slice(0, 6)), 'the hash does not carry the number');
});

t.test('hashIdentity makes a fresh salt; identityMatches checks a number against it', async (t) => {
  const one = await hashIdentity(NUMBER, FAST);
  const two = await hashIdentity(NUMBER, FAST);
  t.not(one.salt, two.salt, 'a new salt each time');
  t.match(one.salt, /^[0-9a-f]{32}$/);
  t.ok(await identityMatches(NUMBER, one));
  t.ok(await identityMatches('11010519491231002x', one), 'lower-case x');
  t.notOk(await identityMatches('110105194912310010', one), 'another number');
  t.notOk(await identityMatches(NUMBER, { ...one, hash: one.hash.slice(0, 32) }), 'a truncated stored hash never matches');
});
