// Numbers read the way halls read them: a ticket digit by digit with its zeros (A023 → A 零二三),
// a window as a number (12 → 十二); the template decides the rest.
import t from 'tap';
import { announcementText, readTicketNumber, readWindowName } from '../../../firmware/roles/caller/announcement-text.js';
import { DEFAULT_TEMPLATE } from '../../../firmware/roles/caller/config.js';

t.test('ticket numbers', async (t) => {
  t.equal(readTicketNumber('A023'), 'A 零二三');
  t.equal(readTicketNumber('a100'), 'A 一零零', 'letters upper-cased');
  t.equal(readTicketNumber('VIP-007'), 'V I P 零零七', 'letters one by one, the dash not read');
  t.equal(readTicketNumber('0420'), '零四二零');
});

t.test('window names', async (t) => {
  t.same(['5', '10', '12', '20', '21', '99'].map(readWindowName), ['五', '十', '十二', '二十', '二十一', '九十九']);
  t.equal(readWindowName('101'), '一零一', 'three digits one by one');
  t.equal(readWindowName('05'), '零五');
  t.equal(readWindowName('B2'), 'B 二');
});

t.test('the template', async (t) => {
  t.equal(announcementText(DEFAULT_TEMPLATE, 'A023', '5'), '请A 零二三号到五号窗口办理');
  t.equal(announcementText('{number}号请到{window}号窗口，{number}号', 'B7', '12'), 'B 七号请到十二号窗口，B 七号', 'each placeholder replaced everywhere');
});
