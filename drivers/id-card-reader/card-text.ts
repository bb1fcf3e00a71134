// The data of a read-basic-info reply (30 01, SW3 0x90), GA 467 as public readers parse it
// (docs/hardware.md, "ID-card reader (GA 467 SAM)"):
//   text length (2, big-endian, 256) | photo length (2, big-endian, 1024) | text | photo
// The text is UCS-2 little-endian in fixed-width fields padded with spaces; the photo is the
// card's WLT image, vendor-compressed: passed through as read, never decoded here.
import { IdCard, LONG_TERM, idNumberWellFormed, type IdCardFields, type IdCardSex } from '../hal/id-card.js';

export const TEXT_BYTES = 256;
export const PHOTO_BYTES = 1024;

/** Field widths in bytes, in card order (UCS-2: two bytes a character). */
export const TEXT_FIELD_BYTES = {
  name: 30,
  sex: 2,
  nation: 4,
  birthDate: 16,
  address: 70,
  number: 36,
  issuer: 30,
  validFrom: 16,
  validUntil: 16,
  reserved: 36,
} as const;

const SEX: Readonly<Record<string, IdCardSex>> = { '1': 'male', '2': 'female', '0': 'unknown', '9': 'unstated' };
/** What the expiry field holds on a card valid for life. */
const LONG_TERM_TEXT = '长期';
const DATE_RE = /^\d{8}$/;

/** Why the bytes are not a card we can use; the driver reports it as BAD_DATA (a misread: place the card again). */
export class CardDataError extends Error {
  override readonly name = 'CardDataError';
}

function field(text: Buffer, offset: number, bytes: number): string {
  // Padding is spaces on the cards; some readers fill with NULs instead.
  return text.toString('utf16le', offset, offset + bytes).replace(/[\s\0]+$/u, '');
}

function textFields(text: Buffer): Record<keyof typeof TEXT_FIELD_BYTES, string> {
  const out = {} as Record<keyof typeof TEXT_FIELD_BYTES, string>;
  let offset = 0;
  for (const [name, bytes] of Object.entries(TEXT_FIELD_BYTES) as Array<[keyof typeof TEXT_FIELD_BYTES, number]>) {
    out[name] = field(text, offset, bytes);
    offset += bytes;
  }
  return out;
}

/** Parses the reply data into a card; throws CardDataError naming the field (never its value) when it is not one. */
export function parseBasicInfo(data: Buffer): IdCard {
  if (data.length < 4) throw new CardDataError(`reply data is ${data.length} bytes, too short for the text and photo lengths`);
  const textLength = data.readUInt16BE(0);
  const photoLength = data.readUInt16BE(2);
  if (textLength !== TEXT_BYTES) throw new CardDataError(`text length ${textLength}, expected ${TEXT_BYTES}`);
  if (photoLength !== PHOTO_BYTES) throw new CardDataError(`photo length ${photoLength}, expected ${PHOTO_BYTES}`);
  if (data.length !== 4 + textLength + photoLength) throw new CardDataError(`reply data is ${data.length} bytes, the lengths say ${4 + textLength + photoLength}`);
  const raw = textFields(data.subarray(4, 4 + textLength));
  const sex = SEX[raw.sex];
  if (!sex) throw new CardDataError('the sex field is not a GB/T 2261.1 code');
  if (!/^\d{2}$/.test(raw.nation)) throw new CardDataError('the nation field is not a two-digit code');
  if (!DATE_RE.test(raw.birthDate)) throw new CardDataError('the birth date is not YYYYMMDD');
  if (!DATE_RE.test(raw.validFrom)) throw new CardDataError('the valid-from date is not YYYYMMDD');
  if (!DATE_RE.test(raw.validUntil) && raw.validUntil !== LONG_TERM_TEXT) throw new CardDataError('the valid-until date is neither YYYYMMDD nor 长期');
  if (!idNumberWellFormed(raw.number)) throw new CardDataError('the citizen number fails its GB 11643 check character');
  if (raw.name === '') throw new CardDataError('the name field is empty');
  const fields: IdCardFields = {
    name: raw.name,
    sex,
    nationCode: raw.nation,
    birthDate: raw.birthDate,
    address: raw.address,
    number: raw.number,
    issuer: raw.issuer,
    validFrom: raw.validFrom,
    validUntil: raw.validUntil === LONG_TERM_TEXT ? LONG_TERM : raw.validUntil,
  };
  return new IdCard(fields, data.subarray(4 + textLength));
}
