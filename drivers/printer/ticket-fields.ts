// Placeholder values for a ticket template: "{number}" → "A023". Times are formatted in the
// hall's time zone with Intl (Node's full ICU), so the result does not depend on the board's TZ.
import { TemplateError } from '../hal/ticket-printer.js';
import type { TicketFields } from '../hal/ticket-printer.js';

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
export const DEFAULT_OFFLINE_MARKER = '※ 离线取号 ※';
/** What `{priority}` prints on a green-channel ticket. */
export const PRIORITY_MARKER = '绿色通道';

export interface FieldOptions {
  timeZone?: string;
  /** What `{offline}` prints when the ticket was issued offline (empty otherwise). */
  offlineMarker?: string;
}

/** Placeholder name → value; `undefined` = the field has no value (using it is an error). */
export type FieldValues = ReadonlyMap<string, string | undefined>;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** "2024-05-06" and "09:05:03" for an epoch-ms time in the given zone. */
export function formatLocalDateTime(epochMs: number, timeZone: string): { date: string; time: string } {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(epochMs)) parts[p.type] = p.value;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}:${parts.second}` };
}

/**
 * The values templates can use: number, category, categoryEn, waiting, waitingKnown ("yes" unless
 * waiting is null), window, issuedAt
 * ("YYYY-MM-DD HH:mm:ss"), date, time, qrUrl, offline (the marker or ""), priority ("绿色通道" on a
 * green-channel ticket, else no value), hallName, and every key of `extra`.
 */
export function fieldValues(fields: TicketFields, options: FieldOptions = {}): FieldValues {
  const timeZone = fields.timeZone ?? options.timeZone ?? DEFAULT_TIME_ZONE;
  if (!Number.isFinite(fields.issuedAtMs)) throw new TemplateError('ticket field issuedAtMs must be a finite epoch-ms number');
  const { date, time } = formatLocalDateTime(fields.issuedAtMs, timeZone);
  const values = new Map<string, string | undefined>(Object.entries(fields.extra ?? {}));
  const set: Record<string, string | undefined> = {
    number: fields.number,
    category: fields.category,
    categoryEn: fields.categoryEn,
    waiting: fields.waiting === null ? undefined : String(fields.waiting),
    // "0 waiting" is a fact worth printing; `when: "waiting"` would hide it, so templates test this.
    waitingKnown: fields.waiting === null ? undefined : 'yes',
    window: fields.window,
    issuedAt: `${date} ${time}`,
    date,
    time,
    qrUrl: fields.qrUrl,
    offline: fields.offline ? (options.offlineMarker ?? DEFAULT_OFFLINE_MARKER) : '',
    priority: fields.priority ? PRIORITY_MARKER : undefined,
    hallName: fields.hallName,
  };
  for (const [k, v] of Object.entries(set)) values.set(k, v === '' && k !== 'offline' ? undefined : v);
  return values;
}

const PLACEHOLDER = /\{\{|\}\}|\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `{name}` with its value; `{{` and `}}` are literal braces. A name with no value
 * (unknown, or an optional field not set) throws TemplateError naming every such placeholder.
 */
export function fillPlaceholders(text: string, values: FieldValues): string {
  const missing: string[] = [];
  const filled = text.replace(PLACEHOLDER, (match, name: string | undefined) => {
    if (match === '{{') return '{';
    if (match === '}}') return '}';
    const value = name === undefined ? undefined : values.get(name);
    if (value === undefined) {
      missing.push(`{${name}}`);
      return match;
    }
    return value;
  });
  if (missing.length > 0) throw new TemplateError('ticket field missing for placeholder', missing);
  return filled;
}

/** A block's `when`: "name" prints when the field has a value ("0" and "" count as none), "!name" the opposite. */
export function isWanted(when: string | undefined, values: FieldValues): boolean {
  if (when === undefined) return true;
  const negate = when.startsWith('!');
  const value = values.get(negate ? when.slice(1) : when);
  const present = value !== undefined && value !== '' && value !== '0';
  return negate ? !present : present;
}
