// What only the Star Line Mode driver does (its magnification, QR cell and feed limits), against
// the byte-level Star simulator over an in-memory link. Everything every ticket printer does is
// the shared contract: test/contracts/ticket-printer.ts.
import t from 'tap';
import { validateTemplate } from '../../../drivers/printer/index.js';
import type { TextItem } from '../../../simulators/escpos-printer/index.js';
import { SAMPLE_FIELDS, settle } from './rig.js';
import { starRig } from './star-rig.js';

const texts = (items: readonly { type: string }[]): TextItem[] => items.filter((i): i is TextItem => i.type === 'text');

t.test('alignment, size, bold and underline reach the parsed items; Star limits are applied', async (t) => {
  const { sim, printer } = starRig({ columns: 32 });
  const template = validateTemplate({
    version: 1,
    blocks: [
      { type: 'text', text: 'R', align: 'right', size: { w: 2, h: 3 }, bold: true, underline: true },
      { type: 'text', text: 'plain' },
      { type: 'number', text: '{number}', size: { w: 8, h: 7 } },
      { type: 'qr', data: 'x', size: 16, errorCorrection: 'H', align: 'left' },
      { type: 'feed', lines: 200 },
      { type: 'cut', partial: true },
    ],
  });
  await printer.print({ template, fields: SAMPLE_FIELDS });
  await settle();
  const [ticket] = sim.tickets();
  t.ok(ticket?.partialCut, 'ESC d 3: partial cut');
  t.match(ticket?.items, [
    { type: 'text', text: 'R', align: 'right', w: 2, h: 3, bold: true, underline: true },
    { type: 'text', text: 'plain', align: 'left', w: 1, h: 1, bold: false, underline: false },
    { type: 'text', text: 'A023', align: 'center', w: 6, h: 6, bold: true },
    { type: 'qr', data: 'x', moduleDots: 8, errorCorrection: 'H', align: 'left' },
    { type: 'feed', lines: 200 },
  ], '8× prints at 6× (ESC i), 16-dot QR cells at 8 (ESC GS y S 2), 200 lines as ESC a 127 + 73');
  t.equal(ticket?.items.length, 5);
});

t.test('wrapping uses the clamped magnification: an 8× line wraps like a 6× one', async (t) => {
  const { sim, printer } = starRig({ columns: 48 });
  const template = validateTemplate({ version: 1, blocks: [{ type: 'text', text: 'ABCDEFGHIJ', size: { w: 8, h: 1 } }, { type: 'cut' }] });
  await printer.print({ template, fields: SAMPLE_FIELDS });
  await settle();
  t.same(texts(sim.tickets()[0]!.items).map((l) => l.text), ['ABCDEFGH', 'IJ'], '48 / 6 = 8 columns per line');
});

