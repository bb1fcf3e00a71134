// Hall local time for the kiosk: which business day a moment belongs to (numbers restart at
// the daily reset time, not at midnight UTC), and whether a category is inside its hours.
// Intl does the time zone so the board's own TZ setting does not matter.
import type { Category } from './config.js';

export interface LocalMoment {
  /** Business day, YYYY-MM-DD: the local date of (now − reset time). */
  day: string;
  /** Local calendar weekday, 0 = Sunday. */
  weekday: number;
  /** Local time of day, "HH:MM". */
  hhmm: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function parts(epochMs: number, timeZone: string): Record<string, string> {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const out: Record<string, string> = {};
  for (const p of f.formatToParts(epochMs)) out[p.type] = p.value;
  return out;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function minutesOf(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

export function localMoment(epochMs: number, timeZone: string, resetAt = '00:00'): LocalMoment {
  const now = parts(epochMs, timeZone);
  const shifted = parts(epochMs - minutesOf(resetAt) * 60_000, timeZone);
  return {
    day: `${shifted['year']}-${shifted['month']}-${shifted['day']}`,
    weekday: WEEKDAYS.indexOf(now['weekday'] ?? ''),
    hhmm: `${now['hour']}:${now['minute']}`,
  };
}

/** Inside one of the category's periods on a served weekday. */
export function isOpen(category: Pick<Category, 'hours' | 'days'>, at: LocalMoment): boolean {
  if (!category.days.includes(at.weekday)) return false;
  return category.hours.some(([from, to]) => at.hhmm >= from && at.hhmm < to);
}

export function hoursText(category: Pick<Category, 'hours'>): string {
  return category.hours.map(([from, to]) => `${from}-${to}`).join(', ');
}
