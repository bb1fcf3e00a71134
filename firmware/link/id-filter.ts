// A Bloom filter over strings: answers "maybe added" or "certainly never added". The dispatcher
// uses it to skip the journal read for a command id the journal cannot hold (almost every id),
// and reads the journal as before for the rest; a false "maybe" costs one read, never a wrong
// answer, and there are no false "never".

/** Two independent 32-bit FNV-1a hashes of `text` (double hashing derives the rest). */
function hashes(text: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  // An odd step visits distinct bits for every probe of a power-of-two table.
  return [a >>> 0, (b | 1) >>> 0];
}

export class IdFilter {
  private readonly bits: Uint32Array;
  private readonly mask: number;
  private count = 0;

  /** Sized for `capacity` strings at about 1 % false "maybe" (10 bits and 7 probes per string). */
  constructor(capacity: number, private readonly probes = 7) {
    const bitsLog2 = Math.min(30, Math.max(10, Math.ceil(Math.log2(Math.max(1, capacity) * 10))));
    this.bits = new Uint32Array(2 ** (bitsLog2 - 5));
    this.mask = 2 ** bitsLog2 - 1;
  }

  /** Strings added so far (repeats counted): past `capacity` the "maybe" answers grow common. */
  get added(): number {
    return this.count;
  }

  add(text: string): void {
    const [a, b] = hashes(text);
    for (let i = 0; i < this.probes; i++) {
      const bit = (a + Math.imul(i, b)) & this.mask;
      this.bits[bit >>> 5] = (this.bits[bit >>> 5] as number) | (1 << (bit & 31));
    }
    this.count += 1;
  }

  mayHave(text: string): boolean {
    const [a, b] = hashes(text);
    for (let i = 0; i < this.probes; i++) {
      const bit = (a + Math.imul(i, b)) & this.mask;
      if (((this.bits[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return false;
    }
    return true;
  }
}
