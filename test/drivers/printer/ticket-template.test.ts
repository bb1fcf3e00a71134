import t from 'tap';
import {
  DEFAULT_TICKET_TEMPLATE,
  TemplateError,
  TicketTemplateSchema,
  fieldValues,
  fillPlaceholders,
  formatLocalDateTime,
  validateTemplate,
} from '../../../drivers/printer/index.js';
import { SAMPLE_FIELDS } from './rig.js';

t.test('the default template validates and is a JSON schema with an id', async (t) => {
  t.equal(validateTemplate(DEFAULT_TICKET_TEMPLATE), DEFAULT_TICKET_TEMPLATE);
  t.equal(TicketTemplateSchema.$id, 'halld/ticket-template');
  const json = JSON.parse(JSON.stringify(TicketTemplateSchema)) as { properties: { blocks: { items: { anyOf: unknown[] } } } };
  t.equal(json.properties.blocks.items.anyOf.length, 6, 'six block types survive JSON serialisation');
});

t.test('a template from JSON config validates', async (t) => {
  const fromServer: unknown = JSON.parse(
    '{"version":1,"blocks":[{"type":"text","text":"{hallName}","align":"center"},{"type":"number"},{"type":"qr","data":"{qrUrl}","size":12},{"type":"cut","partial":true}]}',
  );
  t.equal(validateTemplate(fromServer).blocks.length, 4);
});

t.test('bad templates are rejected with the path of the problem', async (t) => {
  const bad = (value: unknown): TemplateError => {
    try {
      validateTemplate(value);
    } catch (err) {
      if (err instanceof TemplateError) return err;
      throw err;
    }
    throw new Error('accepted a bad template');
  };
  const size = bad({ version: 1, blocks: [{ type: 'text', text: 'x' }, { type: 'number', size: { w: 9, h: 4 } }] });
  t.equal(size.code, 'BAD_CONFIG');
  t.match(size.details.join('\n'), /\/blocks\/1\/size\/w/);
  t.match(bad({ version: 1, blocks: [{ type: 'qr', data: 'x', size: 17 }] }).details.join('\n'), /\/blocks\/0\/size/);
  t.match(bad({ version: 1, blocks: [{ type: 'barcode' }] }).details.join('\n'), /\/blocks\/0\/type: must be one of/);
  t.match(bad({ version: 1, blocks: [{ type: 'text', text: 'x', colour: 'red' }] }).details.join('\n'), /\/blocks\/0/);
  t.match(bad({ version: 2, blocks: [{ type: 'cut' }] }).details.join('\n'), /\/version/);
  t.match(bad({ version: 1, blocks: [] }).details.join('\n'), /\/blocks/);
  t.match(bad('not an object').message, /invalid ticket template/);
  t.match(bad({ version: 1, blocks: [{ type: 'feed', lines: 1, when: 'a b' }] }).details.join('\n'), /\/blocks\/0\/when/);
});

t.test('placeholders', async (t) => {
  const values = fieldValues(SAMPLE_FIELDS);
  t.equal(fillPlaceholders('{number} {category} 前面等待 {waiting} 人', values), 'A023 社保业务·𠮷 前面等待 5 人');
  t.equal(fillPlaceholders('{issuedAt}|{date}|{time}', values), '2024-05-06 09:05:03|2024-05-06|09:05:03', 'Asia/Shanghai time');
  t.equal(fillPlaceholders('{{literal}} {hallName}', values), '{literal} 某某区政务服务中心');
  t.equal(fillPlaceholders('{offline}', values), '', 'offline marker empty for an online ticket');
  t.equal(fillPlaceholders('{offline}', fieldValues({ ...SAMPLE_FIELDS, offline: true }, { offlineMarker: '离线' })), '离线');
  t.equal(fillPlaceholders('{notice}', fieldValues({ ...SAMPLE_FIELDS, extra: { notice: '请带身份证' } })), '请带身份证');
});

t.test('a placeholder without a value is an error naming it', async (t) => {
  const values = fieldValues({ ...SAMPLE_FIELDS, window: undefined });
  const err = t.throws(() => fillPlaceholders('{window} {nosuch}', values)) as TemplateError;
  t.ok(err instanceof TemplateError);
  t.same(err.details, ['{window}', '{nosuch}']);
});

t.test('dates in another zone and across midnight', async (t) => {
  // 2024-12-31 16:30 UTC is already 2025-01-01 in Shanghai
  t.same(formatLocalDateTime(Date.UTC(2024, 11, 31, 16, 30, 0), 'Asia/Shanghai'), { date: '2025-01-01', time: '00:30:00' });
  t.same(formatLocalDateTime(Date.UTC(2024, 11, 31, 16, 30, 0), 'UTC'), { date: '2024-12-31', time: '16:30:00' });
});
