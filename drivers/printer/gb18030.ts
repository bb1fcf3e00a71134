// Text to printer bytes in Chinese mode. Source: GB 18030-2005 (one-, two- and four-byte
// codes; ASCII unchanged); printer side: FS & Kanji mode, docs/hardware.md, "ESC/POS ticket printers". iconv-lite's
// 'gb18030' codec encodes non-BMP characters such as 𠮷 (U+20BB7 → 95 34 B2 35), where
// node-thermal-printer's EUC-CN path replaces them with '??'.
import iconv from 'iconv-lite';

/** Encodes text as GB18030; every Unicode character has a code, so nothing becomes '?'. */
export function encodeGb18030(text: string): Buffer {
  return iconv.encode(text, 'gb18030');
}
