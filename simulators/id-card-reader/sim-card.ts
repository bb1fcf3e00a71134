// Cards for the simulated reader: the 256-byte text block a SAM returns (UCS-2 little-endian,
// fixed-width fields padded with spaces, in card order) and a 1024-byte stand-in for the WLT
// photo. Written from docs/hardware.md, apart from the driver's parser. Every card here is
// made up; DEFAULT_SIM_CARD's number is the worked example of GB 11643-1999.
import { createHash } from 'node:crypto';
import type { IdCardFields } from '../../drivers/hal/id-card.js';

/**
 * A card's fields as the card stores them, keyed like the HAL's IdCardFields (drivers/hal/id-card.ts)
 * so the two cannot drift apart, but each the raw text of its field: `sex` the GB/T 2261.1 code
 * ('1' male, '2' female, '0' unknown, '9' not stated), `nationCode` the two GB 3304 digits,
 * dates YYYYMMDD, `validUntil` YYYYMMDD or 长期, `number` 18 characters and not checked here,
 * so a test can put a misread on the card. Decoding them is the driver's job, not the simulator's.
 */
export type SimCardFields = Record<keyof IdCardFields, string>;

export const DEFAULT_SIM_CARD: SimCardFields = {
  name: '张三',
  sex: '1',
  nationCode: '01',
  birthDate: '19491231',
  address: '北京市西城区某某街道一号',
  number: '11010519491231002X',
  issuer: '北京市公安局西城分局',
  validFrom: '20200101',
  validUntil: '20400101',
};

/** Bytes per field, in card order; 256 in all with the 36 reserved at the end. */
const WIDTHS: ReadonlyArray<[keyof SimCardFields, number]> = [
  ['name', 30],
  ['sex', 2],
  ['nationCode', 4],
  ['birthDate', 16],
  ['address', 70],
  ['number', 36],
  ['issuer', 30],
  ['validFrom', 16],
  ['validUntil', 16],
];
const RESERVED_BYTES = 36;

function padded(text: string, bytes: number): Buffer {
  const chars = bytes / 2;
  if (text.length > chars) throw new RangeError(`"${text}" is longer than ${chars} characters`);
  return Buffer.from(text.padEnd(chars, ' '), 'utf16le');
}

/** The card's text block as the SAM returns it. */
export function cardText(fields: SimCardFields): Buffer {
  return Buffer.concat([...WIDTHS.map(([key, bytes]) => padded(fields[key], bytes)), padded('', RESERVED_BYTES)]);
}

/** 1024 bytes that stand for the card's WLT photo: derived from the number, so two cards differ; nobody decodes them. */
export function simPhotoWlt(number: string): Buffer {
  const blocks: Buffer[] = [];
  for (let i = 0; blocks.length * 32 < 1024; i++) blocks.push(createHash('sha256').update(`${number}/${i}`).digest());
  return Buffer.concat(blocks).subarray(0, 1024);
}

export interface SimCard {
  fields: SimCardFields;
  text: Buffer;
  photo: Buffer;
}

export function simCard(overrides: Partial<SimCardFields> = {}): SimCard {
  const fields = { ...DEFAULT_SIM_CARD, ...overrides };
  return { fields, text: cardText(fields), photo: simPhotoWlt(fields.number) };
}
