// Width-aware line wrapping for a printer in Chinese mode (FS &). Source: printer manuals
// (SP91, HPRT): in Chinese mode an ASCII byte prints from the half-width font (12×24 dots in
// font A) and every multi-byte GB18030 code prints from the full-width font (24×24 dots), so
// a character's width in columns is 1 for ASCII and 2 for anything else — CJK, full-width
// punctuation, and also characters like "·" or "é" that the printer draws full-width.

/** Columns one character (one code point) takes on the paper. Control characters take none. */
export function charColumns(char: string): 0 | 1 | 2 {
  const cp = char.codePointAt(0) ?? 0;
  if (cp < 0x20 || cp === 0x7f) return 0;
  return cp < 0x80 ? 1 : 2;
}

export function textColumns(text: string): number {
  let columns = 0;
  for (const char of text) columns += charColumns(char);
  return columns;
}

type Token = { text: string; columns: number; space: boolean };

/** CJK characters break anywhere; runs of ASCII non-space characters (words, numbers, URLs) stay whole when they fit. */
function tokenize(paragraph: string): Token[] {
  const tokens: Token[] = [];
  let word = '';
  const flushWord = (): void => {
    if (word) tokens.push({ text: word, columns: textColumns(word), space: false });
    word = '';
  };
  for (const char of paragraph) {
    const columns = charColumns(char);
    if (char === ' ') {
      flushWord();
      tokens.push({ text: char, columns: 1, space: true });
    } else if (columns === 2) {
      flushWord();
      tokens.push({ text: char, columns, space: false });
    } else {
      word += char;
    }
  }
  flushWord();
  return tokens;
}

/**
 * Splits text into lines of at most `maxColumns` columns (a full-width character counts 2).
 * Explicit '\n' starts a new line; spaces at a break are dropped; an ASCII word longer than a
 * line is cut. A full-width character never splits, so with `maxColumns` 1 it gets its own line.
 */
export function wrapText(text: string, maxColumns: number): string[] {
  if (!Number.isInteger(maxColumns) || maxColumns < 1) throw new RangeError(`maxColumns must be a positive integer, got ${maxColumns}`);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let width = 0;
    let wrapped = false; // the current line starts after a wrap, so leading spaces are dropped
    const breakLine = (): void => {
      lines.push(line.trimEnd());
      line = '';
      width = 0;
      wrapped = true;
    };
    for (const token of tokenize(paragraph)) {
      if (token.space && wrapped && width === 0) continue;
      if (width + token.columns <= maxColumns) {
        line += token.text;
        width += token.columns;
        continue;
      }
      if (token.space) {
        breakLine();
        continue;
      }
      if (width > 0) breakLine();
      if (token.columns <= maxColumns) {
        line = token.text;
        width = token.columns;
        continue;
      }
      for (const char of token.text) {
        const columns = charColumns(char);
        if (width + columns > maxColumns && width > 0) breakLine();
        line += char;
        width += columns;
      }
    }
    lines.push(line.trimEnd());
  }
  return lines;
}
