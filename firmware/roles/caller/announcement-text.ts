// The announcement as halls read it. A ticket number is read letter by letter and digit by
// digit, zeros included ("A023" → "A 零二三"), because "二十三" would lose the leading zero
// people see on their ticket; a window number is read as a number ("12" → "十二"), the way
// "十二号窗口" is said. The template decides the rest ("请{number}号到{window}号窗口办理").

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;

function digit(ch: string): string {
  return DIGITS[Number(ch)] ?? ch;
}

/** "A023" → "A 零二三": letters as they are (spoken by name), then the digits one by one. */
export function readTicketNumber(ticket: string): string {
  const groups: string[] = [];
  for (const m of ticket.toUpperCase().matchAll(/[0-9]+|[A-Z]+|[^0-9A-Z]+/g)) {
    const part = m[0];
    if (/^[0-9]+$/.test(part)) groups.push([...part].map(digit).join(''));
    else if (/^[A-Z]+$/.test(part)) groups.push([...part].join(' '));
    // Dashes and the like are not read.
  }
  return groups.join(' ');
}

/** A cardinal 0..99 in Chinese ("5" → "五", "10" → "十", "12" → "十二", "20" → "二十"); longer or non-numeric names digit by digit. */
export function readWindowName(window: string): string {
  if (!/^[0-9]+$/.test(window)) return readTicketNumber(window);
  const n = Number(window);
  if (window.length > 2 || window.startsWith('0') && window.length > 1) return [...window].map(digit).join('');
  if (n < 10) return digit(window);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : digit(String(tens))}十${ones === 0 ? '' : digit(String(ones))}`;
}

/** The spoken text of a call from the template. */
export function announcementText(template: string, ticket: string, window: string): string {
  return template.replaceAll('{number}', readTicketNumber(ticket)).replaceAll('{window}', readWindowName(window));
}
