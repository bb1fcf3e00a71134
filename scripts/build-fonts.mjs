#!/usr/bin/env node
// `npm run fonts [-- --text FILE ...]`: builds the subset BDF fonts the LED panels use, from the
// Debian bitmap fonts (apt: xfonts-wqy xfonts-unifont pcf2bdf), and writes them to fonts/.
// The subsets are checked in, so CI and boards need no Debian fonts at run time; the full fonts
// are only needed on a board that shows a character outside the subset (loaded on demand).
// The character set: printable ASCII + every character of fonts/charset.txt + of each --text FILE
// (e.g. a device config's notice texts and window names).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const FONT_DIR = process.env.HALLD_SYSTEM_FONT_DIR ?? '/usr/share/fonts/X11/misc';
export const FONTS = [
  { id: 'wqy-12', source: 'wenquanyi_9pt.pcf', note: 'WenQuanYi Bitmap Song 12 px (xfonts-wqy), GPL-2 with font exception' },
  { id: 'unifont-16', source: 'unifont.pcf.gz', note: 'GNU Unifont 16 px (xfonts-unifont), GPL-2+ with font exception or OFL-1.1' },
];

function charset(extraFiles) {
  const cps = new Set();
  for (let c = 0x20; c <= 0x7e; c++) cps.add(c);
  const texts = [readFileSync(join(root, 'fonts/charset.txt'), 'utf8').split('\n').filter((l) => !l.startsWith('#')).join('')];
  for (const f of extraFiles) texts.push(readFileSync(f, 'utf8'));
  for (const t of texts) for (const ch of t) if (!/\s/.test(ch)) cps.add(ch.codePointAt(0));
  return cps;
}

/** Keeps the header (up to CHARS) and the glyphs whose ENCODING is in `keep`. */
export function subsetBdf(text, keep, note) {
  const start = text.indexOf('\nCHARS ');
  const header = text.slice(0, start + 1);
  const blocks = text.slice(start + 1).split(/(?=^STARTCHAR )/m).slice(1);
  const kept = blocks.filter((b) => {
    const m = /^ENCODING (-?\d+)/m.exec(b);
    return m && keep.has(Number(m[1]));
  }).map((b) => b.replace(/ENDFONT\s*$/, '').trimEnd() + '\n');
  const comment = `COMMENT halld subset (${kept.length} glyphs) of ${note}; built by scripts/build-fonts.mjs\n`;
  return header.replace(/^(STARTFONT .*\n)/, `$1${comment}`) + `CHARS ${kept.length}\n` + kept.join('') + 'ENDFONT\n';
}

const extra = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) if (args[i] === '--text' && args[i + 1]) extra.push(args[++i]);
const keep = charset(extra);
for (const font of FONTS) {
  const full = execFileSync('pcf2bdf', [join(FONT_DIR, font.source)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const out = subsetBdf(full, keep, font.note);
  writeFileSync(join(root, 'fonts', `${font.id}.bdf`), out);
  const missing = [...keep].filter((cp) => !new RegExp(`^ENCODING ${cp}$`, 'm').test(out)).map((cp) => String.fromCodePoint(cp));
  console.log(`fonts/${font.id}.bdf: ${out.length} bytes, ${keep.size - missing.length}/${keep.size} characters${missing.length ? `, missing: ${missing.join('')}` : ''}`);
}
