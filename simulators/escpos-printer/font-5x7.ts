// ASCII 0x20–0x7E glyphs, 5 columns × 7 rows, for the receipt renderers. Data converted from
// the X11 misc-fixed font "5x7.bdf" (Markus Kuhn, ISO10646-1 edition, COPYRIGHT "Public
// domain font. Share and enjoy."), as vendored in rpi-led-matrix/vendor/fonts/.
// Each glyph is 7 bytes (top row first); in each byte bit 4 is the leftmost pixel.

export const GLYPH_WIDTH_PX = 5;
export const GLYPH_HEIGHT_PX = 7;

const FIRST_CODE = 0x20;
const LAST_CODE = 0x7e;
const GLYPHS_HEX: readonly string[] = [
  '00000000000000', // space
  '04040404000400', // !
  '0a0a0a00000000', // "
  '000a1f0a1f0a00', // #
  '000e140e050e00', // $
  '10120408120200', // %
  '00081408140a00', // &
  '04040400000000', // '
  '04080808080400', // (
  '08040404040800', // )
  '000a040e040a00', // *
  '0004041f040400', // +
  '00000000060408', // ,
  '0000001e000000', // -
  '000000000c0c00', // .
  '00020408100000', // /
  '040a0a0a0a0400', // 0
  '040c0404040e00', // 1
  '0c120204081e00', // 2
  '1e020c02120c00', // 3
  '040c141e040400', // 4
  '1e101c02120c00', // 5
  '0c101c12120c00', // 6
  '1e020404080800', // 7
  '0c120c12120c00', // 8
  '0c12120e020c00', // 9
  '000c0c000c0c00', // :
  '000c0c000c0810', // ;
  '00020408040200', // <
  '00001e001e0000', // =
  '00080402040800', // >
  '040a0204000400', // ?
  '0c121616100c00', // @
  '0c12121e121200', // A
  '1c121c12121c00', // B
  '0c121010120c00', // C
  '1c121212121c00', // D
  '1e101c10101e00', // E
  '1e101c10101000', // F
  '0c121016120e00', // G
  '12121e12121200', // H
  '0e040404040e00', // I
  '02020202120c00', // J
  '12141818141200', // K
  '10101010101e00', // L
  '121e1e12121200', // M
  '121a1a16161200', // N
  '0c121212120c00', // O
  '1c12121c101000', // P
  '0c1212121a0c02', // Q
  '1c12121c141200', // R
  '0c120804120c00', // S
  '0e040404040400', // T
  '12121212120c00', // U
  '121212120c0c00', // V
  '1212121e1e1200', // W
  '12120c0c121200', // X
  '0a0a0a04040400', // Y
  '1e020408101e00', // Z
  '0e080808080e00', // [
  '00100804020000', // backslash
  '0e020202020e00', // ]
  '040a0000000000', // ^
  '00000000001e00', // _
  '08040000000000', // `
  '00000e12160a00', // a
  '10101c12121c00', // b
  '00000c10100c00', // c
  '02020e12120e00', // d
  '00000c16180c00', // e
  '040a081c080800', // f
  '00000e120c100e', // g
  '10101c12121200', // h
  '04000c04040e00', // i
  '02000202020a04', // j
  '10101418141200', // k
  '0c040404040e00', // l
  '0000141e121200', // m
  '00001c12121200', // n
  '00000c12120c00', // o
  '00001c12121c10', // p
  '00000e12120e02', // q
  '00001c12101000', // r
  '00000e18061c00', // s
  '08081c08080600', // t
  '00001212120e00', // u
  '00000a0a0a0400', // v
  '000012121e1e00', // w
  '0000120c0c1200', // x
  '000012120a0408', // y
  '00001e04081e00', // z
  '02040c04040200', // {
  '04040404040400', // |
  '08040604040800', // }
  '0a140000000000', // ~
];

/** Rows of the glyph for an ASCII character, or null for anything else. */
export function glyphRows(char: string): number[] | null {
  const code = char.codePointAt(0) ?? 0;
  if (char.length !== 1 || code < FIRST_CODE || code > LAST_CODE) return null;
  const hex = GLYPHS_HEX[code - FIRST_CODE] ?? '';
  const rows: number[] = [];
  for (let r = 0; r < GLYPH_HEIGHT_PX; r++) rows.push(parseInt(hex.slice(r * 2, r * 2 + 2), 16) || 0);
  return rows;
}

/** Whether pixel (x, y) of the glyph is set; x 0–4 from the left, y 0–6 from the top. */
export function glyphPixel(rows: readonly number[], x: number, y: number): boolean {
  return (((rows[y] ?? 0) >> (GLYPH_WIDTH_PX - 1 - x)) & 1) === 1;
}
