// A resident ID card (第二代居民身份证) as the reader hands it to a role: the machine-readable
// text fields and the photo exactly as the card holds it. Personal information under the
// Personal Information Protection Law (个人信息保护法): a role uses what it needs (the number,
// to hash it; the validity dates) and lets the rest go. The object is built so that a log line
// or a store row that includes it by mistake carries nothing personal: JSON.stringify() and
// util.inspect() give a redacted placeholder, and the fields live in #private slots that
// structuredClone and object spreads do not copy.
// Field layout and codes: docs/hardware.md, "ID-card reader (GA 467 SAM)".

/** GB/T 2261.1 sex codes as the card stores them: 1 male, 2 female, 0 unknown, 9 not stated. */
export type IdCardSex = 'male' | 'female' | 'unknown' | 'unstated';

/** The card's expiry field for a card valid for life: the two characters 长期. */
export const LONG_TERM = 'long-term';

export interface IdCardFields {
  /** 姓名, trailing padding removed. */
  name: string;
  sex: IdCardSex;
  /** 民族 as its two-digit GB 3304 code ("01" 汉); decoding it is the role's business. */
  nationCode: string;
  /** 出生, YYYYMMDD. */
  birthDate: string;
  /** 住址. */
  address: string;
  /** 公民身份号码, 18 characters (the last may be X). */
  number: string;
  /** 签发机关. */
  issuer: string;
  /** 有效期起始日期, YYYYMMDD. */
  validFrom: string;
  /** 有效期截止日期, YYYYMMDD, or LONG_TERM (长期). */
  validUntil: string;
}

const REDACTED = '[IdCard: personal information, not printed]';
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

export class IdCard {
  readonly #fields: IdCardFields;
  readonly #photoWlt: Uint8Array;

  /** `photoWlt` is the card's photo in its vendor-compressed WLT form, kept as read (never decoded here). */
  constructor(fields: IdCardFields, photoWlt: Uint8Array) {
    this.#fields = { ...fields };
    this.#photoWlt = Uint8Array.from(photoWlt);
  }

  get name(): string {
    return this.#fields.name;
  }
  get sex(): IdCardSex {
    return this.#fields.sex;
  }
  get nationCode(): string {
    return this.#fields.nationCode;
  }
  get birthDate(): string {
    return this.#fields.birthDate;
  }
  get address(): string {
    return this.#fields.address;
  }
  get number(): string {
    return this.#fields.number;
  }
  get issuer(): string {
    return this.#fields.issuer;
  }
  get validFrom(): string {
    return this.#fields.validFrom;
  }
  get validUntil(): string {
    return this.#fields.validUntil;
  }
  /** A copy of the WLT photo bytes. */
  get photoWlt(): Uint8Array {
    return Uint8Array.from(this.#photoWlt);
  }

  /** Whether the card is valid on `day` (YYYYMMDD, the hall's local date): its first day and its last day count. */
  validOn(day: string): 'valid' | 'expired' | 'not-yet-valid' {
    if (day < this.#fields.validFrom) return 'not-yet-valid';
    if (this.#fields.validUntil !== LONG_TERM && day > this.#fields.validUntil) return 'expired';
    return 'valid';
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [INSPECT](): string {
    return REDACTED;
  }
}

/** GB 11643 weights of the first 17 characters, and the check character for each sum mod 11. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = '10X98765432';

/**
 * Whether `number` is a well-formed 18-character citizen number: 17 digits and the ISO 7064
 * MOD 11-2 check character of GB 11643-1999 (0-9 or X). A misread field fails it.
 */
export function idNumberWellFormed(number: string): boolean {
  if (!/^\d{17}[\dX]$/.test(number)) return false;
  let sum = 0;
  for (const [i, weight] of WEIGHTS.entries()) sum += Number(number[i]) * weight;
  return CHECK[sum % 11] === number[17];
}
