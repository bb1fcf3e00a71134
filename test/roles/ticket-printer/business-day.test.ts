// Business days and service hours in the hall's time zone, whatever the board's TZ is.
import t from 'tap';
import { isOpen, localMoment, hoursText } from '../../../firmware/roles/ticket-printer/business-day.js';

// 2026-11-23 is a Monday. 00:30 in Shanghai is 16:30 UTC the day before.
const at = (iso: string) => Date.parse(iso);

t.test('the business day is the local date after the reset time', async (t) => {
  t.same(localMoment(at('2026-11-22T16:30:00Z'), 'Asia/Shanghai'), { day: '2026-11-23', weekday: 1, hhmm: '00:30' });
  t.equal(localMoment(at('2026-11-22T16:30:00Z'), 'Asia/Shanghai', '02:00').day, '2026-11-22', 'before a 02:00 reset it is still yesterday');
  t.equal(localMoment(at('2026-11-22T18:30:00Z'), 'Asia/Shanghai', '02:00').day, '2026-11-23', 'after it, today');
  t.equal(localMoment(at('2026-11-22T16:30:00Z'), 'Europe/Berlin').day, '2026-11-22', 'another hall, another zone');
});

t.test('service hours: half-open periods on served weekdays; 24:00 ends the day', async (t) => {
  const category = { hours: [['08:30', '12:00'], ['13:30', '17:30']] as [string, string][], days: [1, 2, 3, 4, 5] };
  const local = (hhmm: string, weekday = 1) => ({ day: '2026-11-23', weekday, hhmm });
  t.equal(isOpen(category, local('08:29')), false);
  t.equal(isOpen(category, local('08:30')), true);
  t.equal(isOpen(category, local('11:59')), true);
  t.equal(isOpen(category, local('12:00')), false, 'lunch break');
  t.equal(isOpen(category, local('13:30')), true);
  t.equal(isOpen(category, local('10:00', 0)), false, 'Sunday not served');
  t.equal(isOpen({ hours: [['00:00', '24:00']], days: [0, 1, 2, 3, 4, 5, 6] }, local('23:59', 6)), true);
  t.equal(hoursText(category), '08:30-12:00, 13:30-17:30');
});
