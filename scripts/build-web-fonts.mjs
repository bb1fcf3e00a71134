#!/usr/bin/env node
// `npm run web-fonts`: builds the web fonts every touch page and the TV page use, so a board
// without Debian's CJK fonts still shows Chinese: Noto Sans CJK SC Regular and Bold (apt:
// fonts-noto-cjk, SIL OFL 1.1) cut down to GB2312 (all 6763 hanzi and its symbols), printable
// ASCII, fonts/charset.txt and every character of our own sources (page texts, role messages),
// as WOFF2 (apt: python3-fonttools python3-brotli). The results are checked in under the page
// server's shared folder, so boards and CI need neither the system fonts nor these tools.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(root, 'firmware/pages/public/fonts');
const NOTO = process.env.HALLD_NOTO_CJK_DIR ?? '/usr/share/fonts/opentype/noto';
const PYTHON = process.env.HALLD_PYTHON ?? '/usr/bin/python3';
/** Index of Noto Sans CJK SC inside Debian's .ttc collections (JP, KR, SC, TC, HK, then the Mono ones). */
const SC_INDEX = 2;
const FONTS = [
  { source: 'NotoSansCJK-Regular.ttc', out: 'halld-sans-sc-regular.woff2' },
  { source: 'NotoSansCJK-Bold.ttc', out: 'halld-sans-sc-bold.woff2' },
];

/** Every character of the GB2312 code table (rows 0xA1–0xF7, cells 0xA1–0xFE). */
function gb2312() {
  const chars = new Set();
  for (let hi = 0xa1; hi <= 0xf7; hi++) {
    for (let lo = 0xa1; lo <= 0xfe; lo++) {
      const ch = iconv.decode(Buffer.from([hi, lo]), 'gb2312');
      if (ch.length > 0 && ch !== '\ufffd') chars.add(ch);
    }
  }
  return chars;
}

/** Files under `dir` whose names end with one of `exts`. */
function filesUnder(dir, exts) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, exts));
    else if (exts.some((e) => name.endsWith(e))) out.push(p);
  }
  return out;
}

/** Non-ASCII characters our own texts use: pages, role messages, default content, the panel charset. */
function ownCharacters() {
  const chars = new Set();
  const files = [...filesUnder(join(root, 'firmware'), ['.ts', '.js', '.html']), join(root, 'fonts/charset.txt')];
  for (const f of files) for (const ch of readFileSync(f, 'utf8')) if (ch.codePointAt(0) > 0x7e && !/\s/u.test(ch)) chars.add(ch);
  return chars;
}

const chars = new Set([...Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCodePoint(0x20 + i)), ...gb2312(), ...ownCharacters()]);
const work = mkdtempSync(join(tmpdir(), 'halld-web-fonts-'));
try {
  const textFile = join(work, 'chars.txt');
  writeFileSync(textFile, [...chars].join(''));
  for (const f of FONTS) {
    execFileSync(PYTHON, [
      '-m', 'fontTools.subset', join(NOTO, f.source),
      `--font-number=${SC_INDEX}`,
      `--text-file=${textFile}`,
      '--flavor=woff2',
      '--no-hinting',
      `--output-file=${join(OUT, f.out)}`,
    ], { stdio: 'inherit' });
    console.log(`${f.out}: ${statSync(join(OUT, f.out)).size} bytes, ${chars.size} characters asked for`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
