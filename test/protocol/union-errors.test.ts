// A command whose data fits none of a union's shapes is answered with the field that decides
// the shape and the shapes there are (`halld cmd ... ticket-printer/print '{"category":"social"}'`
// answered "/: Expected union value" before), or, once the shape is known, with what is wrong
// inside it.
import t from 'tap';
import { validate } from '../../protocol/validate.js';
import { PrintCommand } from '../../protocol/ticket-printer.js';
import { CallerMode } from '../../protocol/caller.js';
import { Level } from '../../protocol/evaluator.js';

const errors = (schema: Parameters<typeof validate>[0], value: unknown) => {
  const r = validate(schema, value);
  return r.ok ? [] : r.errors;
};

t.test('a union of objects told apart by one field: that field and its values', async (t) => {
  t.same(errors(PrintCommand, { category: 'social' }), ['/mode: missing; expected one of "reissue" (过时补号: print a number the server re-issues), "reprint" (print the last ticket of this kiosk again)']);
  t.same(errors(PrintCommand, { mode: 'again' }), ['/mode: expected one of "reissue" (过时补号: print a number the server re-issues), "reprint" (print the last ticket of this kiosk again), found "again"']);
  const inside = errors(PrintCommand, { mode: 'reissue', category: 'social' });
  t.match(inside, [/^\/number: /], `then what is wrong in that shape: ${inside.join('; ')}`);
  t.notMatch(inside.join('\n'), /union/i);
  t.same(errors(PrintCommand, 'reprint'), ['/: expected an object with "mode", found "reprint"']);
  t.equal(validate(PrintCommand, { mode: 'reprint' }).ok, true);
});

t.test('a union of values: the values', async (t) => {
  t.same(errors(CallerMode, 'loud'), ['/: expected one of "voice", "silent", found "loud"']);
  t.same(errors(Level, 7), ['/: expected one of 1, 2, 3, 4, 5, found 7']);
});
