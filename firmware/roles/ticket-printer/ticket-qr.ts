// The link in a ticket's QR code. The server chooses the URL (its answer's qrUrl, else the role
// config's pattern); the device fills {hall} {device} {number} {category} {day} into either, and
// makes sure the link names the hall, the business day and the number, so whoever scans it
// reaches this ticket of this day in this hall: a template that names none of them gets them
// as query parameters (hall=, day=, number=), before any #fragment.

export interface TicketQrNames {
  hall: string;
  device: string;
  number: string;
  category: string;
  /** Business day, YYYY-MM-DD. */
  day: string;
}

const PLACEHOLDER = /\{(hall|device|number|category|day)\}/g;
/** What the link must name, and the query parameter that names it when the template does not. */
const REQUIRED = ['hall', 'day', 'number'] as const;

/** The ticket's QR link from `template`; null when there is none. */
export function ticketQrUrl(template: string | null | undefined, names: TicketQrNames): string | null {
  if (!template) return null;
  const filled = template.replace(PLACEHOLDER, (_, k: keyof TicketQrNames) => encodeURIComponent(names[k]));
  const missing = REQUIRED.filter((k) => !filled.includes(names[k]) && !filled.includes(encodeURIComponent(names[k])));
  if (missing.length === 0) return filled;
  const hash = filled.indexOf('#');
  const [base, fragment] = hash < 0 ? [filled, ''] : [filled.slice(0, hash), filled.slice(hash)];
  const query = missing.map((k) => `${k}=${encodeURIComponent(names[k])}`).join('&');
  return `${base}${base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?'}${query}${fragment}`;
}
