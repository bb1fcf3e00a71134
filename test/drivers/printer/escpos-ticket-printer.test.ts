// What only the ESC/POS driver does, against the byte-level simulator over an in-memory link.
// Everything every ticket printer does is the shared contract: test/contracts/ticket-printer.ts.
import t from 'tap';
import { validateTemplate } from '../../../drivers/printer/index.js';
import type { TextItem } from '../../../simulators/escpos-printer/index.js';
import { SAMPLE_FIELDS, rig, settle } from './rig.js';

const texts = (items: readonly { type: string }[]): TextItem[] => items.filter((i): i is TextItem => i.type === 'text');

t.test('long category wraps at the paper width, CJK counted as 2 columns', async (t) => {
  const { sim, printer } = rig({ columns: 32 });
  const template = validateTemplate({ version: 1, blocks: [{ type: 'text', text: '{category}' }, { type: 'text', text: '{category}', size: { w: 2, h: 2 } }, { type: 'cut' }] });
  await printer.print({ template, fields: { ...SAMPLE_FIELDS, category: '不动产登记'.repeat(4) } });
  await settle();
  const lines = texts(sim.tickets()[0]!.items).map((l) => [l.text, l.w]);
  t.same(lines, [
    ['不动产登记不动产登记不动产登记不', 1],
    ['动产登记', 1],
    ['不动产登记不动产', 2],
    ['登记不动产登记不', 2],
    ['动产登记', 2],
  ]);
});

t.test('a printer that answers only n = 1, 2 works with statusQueries [1, 2]', async (t) => {
  const { sim, printer } = rig({ statusQueries: [1, 2] });
  sim.setFaults({ paperOut: true });
  const s = await printer.status();
  t.ok(s.paperOut);
  t.same(s.raw, { printer: 0x1a, offlineCause: 0x32, errorCause: null, paperSensor: null });
  t.equal(sim.statusQueries, 2);
});
