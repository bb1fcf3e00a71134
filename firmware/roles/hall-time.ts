// The hall's local time, from an epoch and the hall's time zone (RoleContext.timeZone), never
// from the board's system time zone: a board set to UTC in a hall in Shanghai must still dim its
// panels at 19:00 Shanghai time and print 15:02 on a ticket taken at 15:02.

export interface HallClock {
  /** 0–23 */
  hour: number;
  minute: number;
  /** "HH:MM" */
  hhmm: string;
  /** "YYYY-MM-DD" */
  date: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

export function hallClock(epochMs: number, timeZone: string): HallClock {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(epochMs)) p[part.type] = part.value;
  const hour = Number(p['hour']) % 24;
  const minute = Number(p['minute']);
  return { hour, minute, hhmm: `${String(hour).padStart(2, '0')}:${p['minute']}`, date: `${p['year']}-${p['month']}-${p['day']}` };
}
