// The ticket-printer section of the device config (pushed by the server in the retained
// config, or in the file): categories with prefixes, hours and quotas, the offline range,
// the ticket template, and which HAL parts the kiosk uses.
import { Type, type Static } from '@sinclair/typebox';
import { TicketTemplateSchema } from '../../../drivers/hal/types.js';
import { ScryptParams } from '../../../protocol/locker.js';
import { DEFAULT_SCRYPT } from '../../../protocol/identity-hash.js';

const Clock = Type.String({ pattern: '^(([01]\\d|2[0-3]):[0-5]\\d|24:00)$', description: 'HH:MM, hall local time (24:00 = end of day)' });
const PART_NAME = '^[a-z0-9-]{1,32}$';

export const CategorySchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9-]{1,32}$', description: 'the category id the server knows: 1-32 of a-z 0-9 -' }),
    name: Type.String({ minLength: 1, maxLength: 40, description: 'shown and printed, e.g. 社保业务' }),
    nameEn: Type.String({ maxLength: 60, default: '', description: 'English name shown beside the Chinese one' }),
    prefix: Type.String({ pattern: '^[A-Z]{1,2}$', description: 'ticket prefix, e.g. "A"' }),
    window: Type.Optional(Type.String({ maxLength: 32, description: 'window/area hint printed when the server gives none, e.g. "B区 5-8号窗口"' })),
    hours: Type.Array(Type.Tuple([Clock, Clock]), {
      default: [['00:00', '24:00']],
      description: 'service periods [from, to) in hall local time; outside them the category is closed',
    }),
    days: Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), { default: [0, 1, 2, 3, 4, 5, 6], description: 'weekdays served, 0 = Sunday' }),
    quota: Type.Optional(Type.Integer({ minimum: 1, description: 'tickets this kiosk may issue per business day for the category' })),
    priority: Type.Boolean({ default: false, description: 'offers the green channel (绿色通道) for this category' }),
  },
  { additionalProperties: false, description: 'a service category: its button on the screen and its numbers' },
);
export type Category = Static<typeof CategorySchema>;

export const TicketPrinterConfigSchema = Type.Object(
  {
    printer: Type.String({ pattern: PART_NAME, description: 'the io.printers part that prints tickets' }),
    scanner: Type.Optional(Type.String({ pattern: PART_NAME, description: 'the io.scanners part that reads appointment QR codes' })),
    idCardReader: Type.Optional(Type.String({ pattern: PART_NAME, description: 'the io.idCardReaders reader a citizen swipes an ID card on to take a number (the number goes to the server as config identity says)' })),
    identity: Type.Object(
      {
        send: Type.Union([Type.Literal('hash'), Type.Literal('number')], {
          default: 'hash',
          description: '"hash": the salted hash of the ID number (the default); "number": the number itself, only over a TLS broker link (mqtts:// or wss://)',
        }),
        salt: Type.Optional(Type.String({ pattern: '^[0-9a-f]{32,128}$', description: 'the hall\'s salt (hex, 16-64 bytes) the ID number is hashed with; the server hashes its appointments\' numbers with the same one' })),
        scrypt: { ...ScryptParams, default: DEFAULT_SCRYPT, description: 'scrypt parameters of the hash (the server uses the same)' },
        eIdPattern: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'a regular expression: a scanned code it matches is a citizen\'s e-ID QR (亮码), forwarded to the server as req identity.scanned and never kept; other codes stay appointment check-ins' })),
      },
      { additionalProperties: false, default: {}, description: 'what the kiosk sends of a citizen who identifies (ID card, e-ID QR)' },
    ),
    sms: Type.Boolean({ default: false, description: 'offer the touch page\'s "SMS reminder" step: the citizen types a mobile number sent with the take (ticket.take phone)' }),
    hallName: Type.String({ default: '政务服务中心', description: 'printed and shown hall name' }),
    hallNameEn: Type.String({ default: 'Government Service Center', description: 'English hall name on the screen' }),
    timeZone: Type.Optional(Type.String({ description: "IANA time zone of the business day, hours and printed times; leave it out to use the device's timeZone (the hall's, shared by every role)" })),
    resetAt: Type.Optional(Clock),
    categories: Type.Array(CategorySchema, { minItems: 1, maxItems: 64, description: 'the categories this kiosk issues numbers for' }),
    takeTimeoutMs: Type.Integer({ minimum: 100, maximum: 30_000, default: 1500, description: 'wait this long for the server\'s number, then issue offline' }),
    offline: Type.Object(
      {
        prefix: Type.String({ pattern: '^[A-Z0-9]{1,3}$', default: 'X', description: 'unique per kiosk: offline numbers are <category prefix><this><counter>, e.g. AX001' }),
        digits: Type.Integer({ minimum: 2, maximum: 5, default: 3, description: 'counter digits of an offline number' }),
      },
      { default: {}, description: 'numbers the kiosk issues itself when the server does not answer' },
    ),
    template: Type.Optional({ ...TicketTemplateSchema, description: 'the ticket layout (default: the built-in one)' }),
    qrUrl: Type.Optional(Type.String({ maxLength: 500, description: 'QR link when the server gives none: {hall} {device} {number} {category} {day} are filled in; hall=, day=, number= are added for those it does not name' })),
    buttons: Type.Array(
      Type.Object(
        {
          input: Type.String({ pattern: PART_NAME, description: 'the io.inputs part of the button' }),
          category: Type.String({ description: 'the category id it takes a number for' }),
          priority: Type.Boolean({ default: false, description: 'takes a green-channel number' }),
        },
        { additionalProperties: false, description: 'a physical button' },
      ),
      { default: [], description: 'physical buttons: io input name → category' },
    ),
    repeatGuardMs: Type.Integer({ minimum: 0, maximum: 60_000, default: 2000, description: 'a button prints at most one ticket per this window, however often it is pressed or held' }),
    statusPollMs: Type.Integer({ minimum: 500, maximum: 600_000, default: 5000, description: 'printer status poll period' }),
    kiosk: Type.Object(
      {
        enabled: Type.Boolean({ default: true, description: 'serve the touchscreen page' }),
        host: Type.String({ default: '127.0.0.1', description: 'address the page is served on (the screen is on this board)' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080, description: '0 = any free port (tests)' }),
        idleMs: Type.Integer({ minimum: 1000, default: 30_000, description: 'touchscreen returns home after this long untouched' }),
      },
      { default: {}, description: 'the touchscreen page' },
    ),
    appointmentCategory: Type.Optional(
      Type.String({ description: 'category asked for on an appointment check-in (default: the first); the server may answer with the appointment\'s own' }),
    ),
    notice: Type.Optional(
      Type.Object(
        { zh: Type.String({ maxLength: 200, description: 'Chinese text' }), en: Type.String({ maxLength: 200, description: 'English text' }) },
        { description: 'a notice shown on the screen' },
      ),
    ),
  },
  { additionalProperties: false, description: 'the ticket kiosk (取号机): categories, numbers, printer, buttons, touchscreen' },
);
export type TicketPrinterConfig = Static<typeof TicketPrinterConfigSchema>;

/** Problems a schema cannot express; the config is refused with these reasons. */
export function configProblems(config: TicketPrinterConfig): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const prefixes = new Map<string, string>();
  for (const [i, c] of config.categories.entries()) {
    if (ids.has(c.id)) problems.push(`/categories/${i}/id: "${c.id}" is used twice`);
    ids.add(c.id);
    const other = prefixes.get(c.prefix);
    if (other) problems.push(`/categories/${i}/prefix: "${c.prefix}" is also the prefix of ${other}: numbers would collide`);
    prefixes.set(c.prefix, c.id);
    for (const [j, [from, to]] of c.hours.entries()) if (from >= to) problems.push(`/categories/${i}/hours/${j}: "${from}" is not before "${to}"`);
  }
  for (const [i, b] of config.buttons.entries()) if (!ids.has(b.category)) problems.push(`/buttons/${i}/category: no category "${b.category}" (have ${[...ids].join(', ')})`);
  if (config.appointmentCategory !== undefined && !ids.has(config.appointmentCategory))
    problems.push(`/appointmentCategory: no category "${config.appointmentCategory}"`);
  if (config.idCardReader !== undefined && config.identity.send === 'hash' && config.identity.salt === undefined)
    problems.push('/identity/salt: an ID-card reader is configured and the number is sent hashed: the hall\'s salt is needed');
  if (config.identity.eIdPattern !== undefined) {
    try {
      new RegExp(config.identity.eIdPattern, 'u');
    } catch (err) {
      problems.push(`/identity/eIdPattern: not a regular expression: ${(err as Error).message}`);
    }
  }
  try {
    if (config.timeZone !== undefined) new Intl.DateTimeFormat('en-US', { timeZone: config.timeZone });
  } catch {
    problems.push(`/timeZone: "${config.timeZone}" is not an IANA time zone (e.g. Asia/Shanghai)`);
  }
  return problems;
}
