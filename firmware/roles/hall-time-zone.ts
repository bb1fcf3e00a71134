// The hall's time zone as a config field: every clock a person sees (pages, tickets, panels,
// the brightness schedule) shows the hall's time, whatever the board's system zone is.
import { Type } from '@sinclair/typebox';

export const DEFAULT_HALL_TIME_ZONE = 'Asia/Shanghai';

/** A role section's `timeZone` field. */
export function hallTimeZoneField(uses: string) {
  return Type.String({ default: DEFAULT_HALL_TIME_ZONE, description: `IANA time zone of the hall (${uses})` });
}

/** The problem with a configured zone, as "pointer: what is wrong", or null when Intl knows it. */
export function timeZoneProblem(zone: string, pointer: string): string | null {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return null;
  } catch {
    return `${pointer}: "${zone}" is not an IANA time zone (e.g. Asia/Shanghai)`;
  }
}
