import t from 'tap';
import { DEFAULT_TICKET_TEMPLATE, TemplateError, encodeGb18030, renderTicketBytes, validateTemplate } from '../../../drivers/printer/index.js';
import { SAMPLE_FIELDS } from './rig.js';

t.test('starts with ESC @ then FS &, and ends with a cut', async (t) => {
  const bytes = renderTicketBytes(DEFAULT_TICKET_TEMPLATE, SAMPLE_FIELDS);
  t.same([...bytes.subarray(0, 4)], [0x1b, 0x40, 0x1c, 0x26]);
  t.ok(bytes.includes(Buffer.from([0x1d, 0x56, 0x00])), 'GS V 0 full cut');
  t.ok(bytes.includes(encodeGb18030('𠮷')), '𠮷 as its four GB18030 bytes');
  t.notOk(bytes.includes(Buffer.from('??')), 'no replacement marks');
});

t.test('pure: same input, same bytes', async (t) => {
  t.ok(renderTicketBytes(DEFAULT_TICKET_TEMPLATE, SAMPLE_FIELDS).equals(renderTicketBytes(DEFAULT_TICKET_TEMPLATE, SAMPLE_FIELDS)));
});

t.test('blocks with `when` are skipped when the field is empty', async (t) => {
  const withoutQr = renderTicketBytes(DEFAULT_TICKET_TEMPLATE, { ...SAMPLE_FIELDS, qrUrl: undefined, window: undefined });
  t.equal(withoutQr.indexOf(Buffer.from([0x1d, 0x28, 0x6b])), -1, 'no QR commands');
  t.equal(withoutQr.indexOf(encodeGb18030('办理窗口')), -1);
});

t.test('a missing field fails before any byte is produced', async (t) => {
  const template = validateTemplate({ version: 1, blocks: [{ type: 'text', text: '窗口 {window}' }, { type: 'cut' }] });
  t.throws(() => renderTicketBytes(template, { ...SAMPLE_FIELDS, window: undefined }), TemplateError);
});

t.test('a non-ASCII line character fills the width by columns', async (t) => {
  const template = validateTemplate({ version: 1, blocks: [{ type: 'line', char: '═' }] });
  const bytes = renderTicketBytes(template, SAMPLE_FIELDS, { columns: 32 });
  t.ok(bytes.includes(Buffer.concat([encodeGb18030('═'.repeat(16)), Buffer.from('\n')])));
  t.throws(() => renderTicketBytes(validateTemplate({ version: 1, blocks: [{ type: 'line', char: 'ab' }] }), SAMPLE_FIELDS), TemplateError);
});

t.test('a cut in the middle re-sends Chinese mode', async (t) => {
  const template = validateTemplate({ version: 1, blocks: [{ type: 'text', text: '一' }, { type: 'cut' }, { type: 'text', text: '二' }, { type: 'cut' }] });
  const bytes = renderTicketBytes(template, SAMPLE_FIELDS);
  const second = bytes.indexOf(encodeGb18030('二'));
  const lastFsAmp = bytes.lastIndexOf(Buffer.from([0x1c, 0x26]), second);
  const lastInit = bytes.lastIndexOf(Buffer.from([0x1b, 0x40]), second);
  t.ok(lastFsAmp > lastInit, 'FS & after the ESC @ that the cut sends');
});
