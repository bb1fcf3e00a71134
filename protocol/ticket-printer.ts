// The ticket-printer role's messages (docs/protocol.md "Role messages"): the `data` of its request,
// response, commands and events. Same single source as messages.ts: TypeScript types here,
// JSON Schema files in protocol/schema/ticket-printer/ via `npm run schema`. The contract at
// the end maps each name to its schema.
import { Type, type Static } from '@sinclair/typebox';
import { defineContract } from './contract.js';

const CategoryId = Type.String({ pattern: '^[a-z0-9-]{1,32}$', description: 'service category id from the role config' });
const TicketNumber = Type.String({ minLength: 1, maxLength: 16, pattern: '^[A-Za-z0-9-]+$', description: 'the number as called, e.g. "A023"' });
const Text = (max: number) => Type.String({ maxLength: max });

/**
 * Who took the number, as the kiosk's config asks for it: by default the salted hash of the ID
 * number read from the card (scrypt, protocol/identity-hash.ts, with the hall's salt and
 * parameters from the role config), so the server finds the citizen's appointment and phone
 * without the number on the wire; the number itself only when the config asks and the link is
 * TLS; or the server's own reference for an e-ID QR it verified (req identity.scanned).
 */
export const TakeIdentity = Type.Union(
  [
    Type.Object(
      { kind: Type.Literal('id-hash'), hash: Type.String({ pattern: '^[0-9a-f]{32,128}$', description: 'hex scrypt(ID number, hall salt) of the swiped card' }) },
      { additionalProperties: false, description: 'a swiped ID card, as the salted hash of its number' },
    ),
    Type.Object(
      { kind: Type.Literal('id-number'), number: Type.String({ pattern: '^\\d{17}[\\dX]$', description: 'the card\'s 18-character number (config identity.send "number", TLS link only)' }) },
      { additionalProperties: false, description: 'a swiped ID card, its number itself' },
    ),
    Type.Object(
      { kind: Type.Literal('e-id'), ref: Type.String({ minLength: 1, maxLength: 128, description: 'the ref the server answered identity.scanned with' }) },
      { additionalProperties: false, description: 'a citizen\'s e-ID QR (亮码) the server verified' },
    ),
  ],
  { $id: 'TakeIdentity' },
);
export type TakeIdentity = Static<typeof TakeIdentity>;

/** A mainland mobile number for SMS reminders: 11 digits, 13x to 19x. */
export const PHONE_PATTERN = '^1[3-9]\\d{9}$';

export const TicketTakeRequest = Type.Object(
  {
    takeId: Type.String({ minLength: 1, maxLength: 64, description: 'kiosk-made id of this take; an offline ticket issued after a timed-out request carries the same takeId, so the server can void the number it allocated too late' }),
    category: CategoryId,
    priority: Type.Boolean({ description: 'green channel (绿色通道): elderly, disabled, pregnant, military' }),
    appointment: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'appointment code scanned or typed at the kiosk' })),
    identity: Type.Optional(TakeIdentity),
    phone: Type.Optional(Type.String({ pattern: PHONE_PATTERN, description: 'mobile number the citizen typed for SMS reminders (短信提醒); never stored on the kiosk' })),
  },
  { $id: 'TicketTakeRequest', description: 'req/ticket.take data' },
);
export type TicketTakeRequest = Static<typeof TicketTakeRequest>;

export const TicketTakeResponse = Type.Object(
  {
    number: TicketNumber,
    waiting: Type.Integer({ minimum: 0, description: 'people ahead in this queue' }),
    window: Type.Optional(Text(32)),
    category: Type.Optional(Type.String({ pattern: '^[a-z0-9-]{1,32}$', description: 'for an appointment check-in: the category the appointment is for, when not the one asked' })),
    qrUrl: Type.Optional(Type.String({ maxLength: 1000, description: 'URL (or URL template) for the ticket QR (follow the queue, rate the service); else the role config pattern is used. The device fills {hall} {device} {number} {category} {day} and adds hall=, day=, number= query parameters for those the link does not name' })),
  },
  {
    $id: 'TicketTakeResponse',
    description:
      'res data for ticket.take. To refuse, the server answers ok:false with error.code BUSY and error.details.reason "exhausted" | "closed" | "paused" | "appointment-not-found" (the kiosk shows it and does not fall back to an offline number)',
  },
);
export type TicketTakeResponse = Static<typeof TicketTakeResponse>;

export const TicketIssued = Type.Object(
  {
    ticketId: Type.String({ description: 'device-made id of the printed ticket' }),
    takeId: Type.String(),
    number: TicketNumber,
    category: CategoryId,
    priority: Type.Boolean(),
    appointment: Type.Optional(Type.String()),
    offline: Type.Boolean({ description: 'issued from the kiosk\'s own offline range (server unreachable or too slow)' }),
    reissue: Type.Optional(Type.Boolean({ description: 'printed by cmd print (过时补号 / reprint), not a new number' })),
    waiting: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
    window: Type.Optional(Text(32)),
    day: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'business day (after the daily reset time) the number belongs to' }),
    issuedAt: Type.Integer({ minimum: 0, description: 'epoch ms as the kiosk believed it' }),
  },
  { $id: 'TicketIssued', description: 'evt/ticket-printer/ticket.issued data: committed before the ticket prints' },
);
export type TicketIssued = Static<typeof TicketIssued>;

export const TicketUnprinted = Type.Object(
  {
    ticketId: Type.String(),
    number: TicketNumber,
    reason: Type.String({ description: 'why the printer did not take the ticket after its number was issued' }),
  },
  { $id: 'TicketUnprinted', description: 'evt/ticket-printer/ticket.unprinted data: the number was issued but never printed; the server should void it' },
);
export type TicketUnprinted = Static<typeof TicketUnprinted>;

export const TicketVoided = Type.Object(
  {
    takeId: Type.String({ description: 'the takeId of the req/ticket.take the server answered' }),
    number: TicketNumber,
    category: CategoryId,
    day: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'business day the take was made on' }),
    reason: Type.String({ description: 'why the kiosk could not record the ticket, e.g. "storage full: ..."' }),
  },
  {
    $id: 'TicketVoided',
    description:
      'evt/ticket-printer/ticket.voided data: the server allocated `number` for `takeId`, but the kiosk could not record the ticket (its disk refused the write), so nothing was printed: void the number. Sent once the kiosk can write again; if it restarted before that, no event comes, and a number whose takeId never gets a ticket.issued is void all the same',
  },
);
export type TicketVoided = Static<typeof TicketVoided>;

export const IdentityScannedRequest = Type.Object(
  {
    scanId: Type.String({ minLength: 1, maxLength: 64, description: 'kiosk-made id of this scan' }),
    qr: Type.String({ minLength: 1, maxLength: 4096, description: 'the e-ID QR exactly as scanned: the device neither decodes nor keeps it' }),
  },
  { additionalProperties: false, $id: 'IdentityScannedRequest', description: 'req/identity.scanned data: a citizen showed an e-ID QR (亮码) at the kiosk\'s scanner; the server verifies it' },
);
export type IdentityScannedRequest = Static<typeof IdentityScannedRequest>;

export const IdentityScannedResponse = Type.Object(
  {
    verified: Type.Boolean(),
    ref: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'when verified: an opaque reference the kiosk puts in ticket.take identity {kind:"e-id"}' })),
    reason: Type.Optional(Text(200)),
  },
  { $id: 'IdentityScannedResponse', description: 'res data for identity.scanned' },
);
export type IdentityScannedResponse = Static<typeof IdentityScannedResponse>;

export const PRINTER_FAULTS = ['paper-out', 'paper-low', 'cover-open', 'offline', 'cutter'] as const;
const Fault = Type.Union(PRINTER_FAULTS.map((f) => Type.Literal(f)));

export const PrinterFaultEvent = Type.Object(
  {
    printer: Type.String(),
    faults: Type.Array(Fault, { description: 'every fault now' }),
    added: Type.Array(Fault, { description: 'faults that began with this event' }),
    canPrint: Type.Boolean({ description: 'false: the kiosk refuses to issue (paper-low alone still prints)' }),
  },
  { $id: 'PrinterFault', description: 'evt/ticket-printer/printer.fault data' },
);
export const PrinterOkEvent = Type.Object(
  { printer: Type.String(), cleared: Type.Array(Fault, { description: 'faults that ended' }) },
  { $id: 'PrinterOk', description: 'evt/ticket-printer/printer.ok data: no fault any more' },
);

export const PrintCommand = Type.Union(
  [
    Type.Object(
      {
        mode: Type.Literal('reissue'),
        number: TicketNumber,
        category: CategoryId,
        waiting: Type.Optional(Type.Integer({ minimum: 0 })),
        window: Type.Optional(Text(32)),
        qrUrl: Type.Optional(Type.String({ maxLength: 1000 })),
      },
      { description: '过时补号: print a number the server re-issues' },
    ),
    Type.Object({ mode: Type.Literal('reprint') }, { description: 'print the last ticket of this kiosk again' }),
  ],
  { $id: 'TicketPrintCommand', description: 'cmd/ticket-printer/print data' },
);
export type PrintCommand = Static<typeof PrintCommand>;

export const PauseCommand = Type.Object(
  { category: CategoryId, reason: Type.Optional(Text(200)) },
  { $id: 'TicketPauseCommand', description: 'cmd/ticket-printer/pause data: stop issuing a category (kept across restarts)' },
);
export const ResumeCommand = Type.Object({ category: CategoryId }, { $id: 'TicketResumeCommand', description: 'cmd/ticket-printer/resume data' });

export const TestPrintCommand = Type.Object({}, { $id: 'TicketTestPrintCommand', description: 'cmd/ticket-printer/test-print data: print the printer\'s self-test ticket' });

export const ticketPrinterContract = defineContract({
  role: 'ticket-printer',
  events: {
    'ticket.issued': TicketIssued,
    'ticket.unprinted': TicketUnprinted,
    'ticket.voided': TicketVoided,
    'printer.fault': PrinterFaultEvent,
    'printer.ok': PrinterOkEvent,
  },
  commands: {
    print: PrintCommand,
    pause: PauseCommand,
    resume: ResumeCommand,
    'test-print': TestPrintCommand,
  },
  requests: {
    'ticket.take': { data: TicketTakeRequest, result: TicketTakeResponse },
    'identity.scanned': { data: IdentityScannedRequest, result: IdentityScannedResponse },
  },
});
export type TicketPrinterContract = typeof ticketPrinterContract;
