// docs/protocol.md "Limits": size before parsing, depth without recursion, and what that bound
// buys everything downstream that does recurse.
import t from 'tap';
import { parseJsonObject, validate, jsonDepthExceeds } from '../../protocol/validate.js';
import { CommandMessage } from '../../protocol/messages.js';
import { canonicalJson } from '../../protocol/signing.js';

function nested(depth: number): string {
  return '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
}

t.test('a payload over maxPayloadBytes is refused before parsing', async (t) => {
  const body = JSON.stringify({ v: 1, id: 'big-1', ts: 1, exp: 2, data: { s: 'x'.repeat(262_144) } });
  const r = parseJsonObject(Buffer.from(body));
  t.equal(r.ok, false);
  t.match(r, { code: 'TOO_LARGE', error: /over the limit of 262144 bytes/ });
  t.equal('id' in r, false, 'nothing was parsed, so no id is claimed');
  const small = parseJsonObject(Buffer.from(body), { maxPayloadBytes: 1_000_000, maxJsonDepth: 64 });
  t.equal(small.ok, true, 'a larger configured limit lets it through');
  t.match(parseJsonObject('{"a":"é"}', { maxPayloadBytes: 9, maxJsonDepth: 64 }), { code: 'TOO_LARGE' }, 'counted in UTF-8 bytes, not characters');
});

t.test('JSON deeper than 64 levels is refused, with the id when the top level has one', async (t) => {
  const deep = `{"v":1,"id":"deep-1","ts":1,"exp":2,"data":${nested(20_000)}}`;
  t.match(parseJsonObject(Buffer.from(deep)), { ok: false, code: 'TOO_DEEP', id: 'deep-1', error: /deeper than 64 levels/ });
  t.match(parseJsonObject(`[${'['.repeat(100)}${']'.repeat(100)}]`), { ok: false, code: 'NOT_OBJECT' }, 'an array is still not an object');
  t.equal(parseJsonObject(nested(64)).ok, true, '64 levels are fine');
  t.match(parseJsonObject(nested(65)), { ok: false, code: 'TOO_DEEP' }, '65 are not');
  t.match(parseJsonObject(`{"id":7,"d":${nested(100)}}`), { ok: false, code: 'TOO_DEEP' });
  t.equal('id' in (parseJsonObject(`{"id":7,"d":${nested(100)}}`) as object), false, 'a non-string id is not offered');
});

t.test('brackets inside strings and escaped quotes do not count as depth', async (t) => {
  t.equal(jsonDepthExceeds(JSON.stringify({ s: '[[[[{{{{'.repeat(100), q: '\\"[[[' }), 3), false);
  t.equal(jsonDepthExceeds('{"s":"\\\\","a":[[[1]]]}', 3), true, 'an escaped backslash ends before the closing quote');
  t.equal(jsonDepthExceeds('{"a":[[1]]}', 3), false);
});

t.test('a 1,000,000-deep payload is checked without overflowing the stack', async (t) => {
  const text = '['.repeat(1_000_000) + ']'.repeat(1_000_000);
  t.match(parseJsonObject(text, { maxPayloadBytes: 4_000_000, maxJsonDepth: 64 }), { ok: false });
});

t.test('what passes the limit is safe for the recursive walkers downstream', async (t) => {
  const parsed = parseJsonObject(`{"v":1,"id":"ok-64","ts":1,"exp":2,"data":${nested(63)}}`);
  t.equal(parsed.ok, true);
  if (!parsed.ok) return;
  t.equal(validate(CommandMessage, parsed.value).ok, true, 'TypeBox');
  t.doesNotThrow(() => canonicalJson(parsed.value), 'canonicalJson (signature check)');
  t.doesNotThrow(() => JSON.stringify({ data: parsed.value['data'] }), 'JSON.stringify (ping echo)');
  t.doesNotThrow(() => structuredClone(parsed.value), 'structuredClone (config apply)');
});

t.test('not JSON keeps its reason, short', async (t) => {
  const r = parseJsonObject('{not json' + 'x'.repeat(10_000));
  t.match(r, { ok: false, code: 'NOT_JSON', error: /^payload is not JSON/ });
  t.ok(!r.ok && r.error.length < 300);
});
