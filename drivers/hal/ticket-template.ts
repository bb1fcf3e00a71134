// The ticket template the server pushes in the device config: a list of blocks with
// {placeholders}. One TypeBox schema gives the TypeScript type and the JSON Schema. It is
// part of the TicketPrinter interface (print() takes one), so it lives with the interface.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { TemplateError } from './printer-errors.js';

const Align = Type.Union([Type.Literal('left'), Type.Literal('center'), Type.Literal('right')], { description: 'alignment on the paper' });
const Magnification = Type.Integer({ minimum: 1, maximum: 8, description: 'GS ! magnification, 1–8' });
const TextSize = Type.Object({ w: Magnification, h: Magnification }, { additionalProperties: false, description: 'character width and height magnification' });
const When = Type.String({
  pattern: '^!?[A-Za-z][A-Za-z0-9_]*$',
  description: 'print the block only when this field has a value (not empty, not false, not 0); "!name" for the opposite',
});

export const TextBlock = Type.Object(
  {
    type: Type.Literal('text', { description: 'a block of text' }),
    text: Type.String({ maxLength: 2000, description: 'text with {placeholders}; "\\n" breaks the line, long lines wrap' }),
    align: Type.Optional(Align),
    size: Type.Optional(TextSize),
    bold: Type.Optional(Type.Boolean({ description: 'emphasised (ESC E)' })),
    underline: Type.Optional(Type.Boolean({ description: 'underlined (ESC -)' })),
    when: Type.Optional(When),
  },
  { additionalProperties: false },
);

export const NumberBlock = Type.Object(
  {
    type: Type.Literal('number', { description: 'the ticket number, large' }),
    text: Type.Optional(Type.String({ maxLength: 64, description: 'default "{number}"' })),
    align: Type.Optional(Align),
    size: Type.Optional(TextSize),
    bold: Type.Optional(Type.Boolean({ description: 'emphasised (ESC E)' })),
    when: Type.Optional(When),
  },
  { additionalProperties: false, description: 'the queue number, huge (default 4×4, bold, centred)' },
);

export const QrBlock = Type.Object(
  {
    type: Type.Literal('qr', { description: 'a QR code' }),
    data: Type.String({ minLength: 1, maxLength: 2000, description: 'payload with {placeholders}, sent as UTF-8' }),
    size: Type.Optional(Type.Integer({ minimum: 1, maximum: 16, description: 'module size in dots (default 6)' })),
    errorCorrection: Type.Optional(Type.Union([Type.Literal('L'), Type.Literal('M'), Type.Literal('Q'), Type.Literal('H')], { description: 'QR error correction level' })),
    align: Type.Optional(Align),
    when: Type.Optional(When),
  },
  { additionalProperties: false },
);

export const LineBlock = Type.Object(
  {
    type: Type.Literal('line', { description: 'a full-width rule' }),
    char: Type.Optional(Type.String({ minLength: 1, maxLength: 2, description: 'one character, default "-"' })),
    when: Type.Optional(When),
  },
  { additionalProperties: false },
);

export const FeedBlock = Type.Object(
  { type: Type.Literal('feed', { description: 'blank paper' }), lines: Type.Integer({ minimum: 1, maximum: 255, description: 'lines to feed' }), when: Type.Optional(When) },
  { additionalProperties: false },
);

export const CutBlock = Type.Object(
  {
    type: Type.Literal('cut', { description: 'cut the paper' }),
    partial: Type.Optional(Type.Boolean({ description: 'leave a tab so the ticket does not fall (default false)' })),
    when: Type.Optional(When),
  },
  { additionalProperties: false, description: 'feeds 4 lines past the head, cuts, and resets the printer (ESC @)' },
);

const blockSchemas = { text: TextBlock, number: NumberBlock, qr: QrBlock, line: LineBlock, feed: FeedBlock, cut: CutBlock } as const;

export const TicketBlock = Type.Union([TextBlock, NumberBlock, QrBlock, LineBlock, FeedBlock, CutBlock]);

export const TicketTemplateSchema = Type.Object(
  {
    version: Type.Literal(1, { description: 'template format version' }),
    name: Type.Optional(Type.String({ maxLength: 100, description: 'a name for people' })),
    blocks: Type.Array(TicketBlock, { minItems: 1, maxItems: 200, description: 'printed top to bottom' }),
  },
  { additionalProperties: false, $id: 'halld/ticket-template', title: 'Ticket template' },
);

export type TicketTemplate = Static<typeof TicketTemplateSchema>;
export type TicketBlock = Static<typeof TicketBlock>;
export type TextAlign = Static<typeof Align>;

const compiledChecks = new Map<TSchema, TypeCheck<TSchema>>();
function check(schema: TSchema): TypeCheck<TSchema> {
  let compiled = compiledChecks.get(schema);
  if (!compiled) {
    compiled = TypeCompiler.Compile(schema);
    compiledChecks.set(schema, compiled);
  }
  return compiled;
}

const MAX_REPORTED_ERRORS = 5;

function errorsOf(schema: TSchema, value: unknown, prefix: string): string[] {
  const errors: string[] = [];
  for (const e of check(schema).Errors(value)) {
    const path = prefix + e.path;
    errors.push(`${path || '/'}: ${e.message}`);
    if (errors.length >= MAX_REPORTED_ERRORS * 4) break;
  }
  return errors;
}

/**
 * Checks a template from config; returns it typed, or throws TemplateError listing what is
 * wrong as "path: message". A block is checked against the schema its `type` names, so the
 * message says "/blocks/3/size/w: Expected integer to be less or equal to 8" rather than
 * "does not match any union member".
 */
export function validateTemplate(value: unknown): TicketTemplate {
  if (check(TicketTemplateSchema).Check(value)) return value as TicketTemplate;
  const details = errorsOf(TicketTemplateSchema, value, '').filter((line) => !line.startsWith('/blocks/'));
  const blocks = (value as { blocks?: unknown } | null)?.blocks;
  if (Array.isArray(blocks)) {
    blocks.forEach((block: unknown, i) => {
      const type = (block as { type?: unknown } | null)?.type;
      const schema = typeof type === 'string' ? blockSchemas[type as keyof typeof blockSchemas] : undefined;
      if (!schema) details.push(`/blocks/${i}/type: must be one of ${Object.keys(blockSchemas).join(', ')}`);
      else details.push(...errorsOf(schema, block, `/blocks/${i}`));
    });
  }
  throw new TemplateError('invalid ticket template', details.slice(0, MAX_REPORTED_ERRORS));
}
