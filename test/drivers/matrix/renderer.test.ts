// The renderer's parts: BDF parsing (and its errors), CJK measurement, clipping to a zone,
// the marquee as a function of time, and the full-font fallback for a character the subset lacks.
import t from 'tap';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBdf } from '../../../drivers/matrix/render/bdf-font.js';
import { FontFace, loadBdfFile, systemFontLoader } from '../../../drivers/matrix/render/font-face.js';
import { Framebuffer } from '../../../drivers/matrix/render/framebuffer.js';
import { measureText, drawText } from '../../../drivers/matrix/render/text.js';
import { drawAlignedLine, marqueeOffset } from '../../../drivers/matrix/render/zone.js';
import { tempDir } from '../../../testkit/temp.js';

const fontDir = join(dirname(fileURLToPath(import.meta.url)), '../../../../fonts');
const wqyText = readFileSync(join(fontDir, 'wqy-12.bdf'), 'utf8');
const white = { r: 255, g: 255, b: 255 };

t.test('BDF: glyph metrics from DWIDTH/BBX, errors name the line', async (tt) => {
  const font = parseBdf(wqyText);
  tt.equal(font.ascent, 12);
  tt.equal(font.descent, 3);
  const qing = font.glyphs.get('请'.codePointAt(0) ?? 0);
  tt.equal(qing?.advance, 12);
  tt.equal(qing?.bbh, 11);
  tt.equal(font.glyphs.get(0x41)?.advance, 8, 'A');
  tt.throws(() => parseBdf('hello'), { code: 'BDF_PARSE' });
  tt.throws(() => parseBdf('STARTFONT 2.1\nFONTBOUNDINGBOX 8 8 0 0\nSTARTCHAR x\nENCODING 65\nDWIDTH 8 0\nBBX 8 1 0 0\nBITMAP\nZZ\nENDCHAR\nENDFONT\n'), { code: 'BDF_PARSE', message: /bad bitmap row "ZZ"/ });
  tt.throws(() => parseBdf('STARTFONT 2.1\nSTARTCHAR x\nENCODING 65\nBITMAP\nENDCHAR\nENDFONT\n'), { message: /BITMAP before BBX/ });
});

t.test('measurement counts CJK by DWIDTH (rpi-led-matrix says 0)', async (tt) => {
  const face = new FontFace(parseBdf(wqyText));
  tt.equal(measureText(face, '请'), 12);
  tt.equal(measureText(face, '暂停服务'), 48);
  tt.equal(measureText(face, '请A'), 20);
});

t.test('text drawn into a zone never touches pixels outside it', async (tt) => {
  const face = new FontFace(parseBdf(wqyText));
  const fb = new Framebuffer(64, 16);
  const zone = { x: 10, y: 2, w: 20, h: 12 };
  drawAlignedLine(fb, zone, { face }, [{ text: '暂停服务暂停服务', color: white }], 'left');
  let inside = 0;
  let outside = 0;
  for (let y = 0; y < 16; y++) {
    for (let x = 0; x < 64; x++) {
      const lit = fb.getPixel(x, y).r > 0;
      const within = x >= zone.x && x < zone.x + zone.w && y >= zone.y && y < zone.y + zone.h;
      if (lit && within) inside++;
      if (lit && !within) outside++;
    }
  }
  tt.ok(inside > 20, 'the text is drawn');
  tt.equal(outside, 0, 'nothing outside the zone');
  tt.same(fb.getClip(), { x: 0, y: 0, w: 64, h: 16 }, 'the clip is restored');
});

t.test('marquee position is a function of time: enters from the right, loops', async (tt) => {
  const m = { speedPxPerS: 32, gapPx: 8, startMs: 1000 };
  tt.equal(marqueeOffset(128, 100, m, 1000), 128, 'starts just off the right edge');
  tt.equal(marqueeOffset(128, 100, m, 2000), 96, '32 px later after 1 s');
  tt.equal(marqueeOffset(128, 100, m, 1500), 112);
  const periodMs = ((128 + 100 + 8) / 32) * 1000;
  tt.equal(marqueeOffset(128, 100, m, 1000 + periodMs), 128, 'back at the start after one period');
});

t.test('a character outside the subset: placeholder first, the full font after it has loaded', async (tt) => {
  const dir = await tempDir(tt);
  const subset = parseBdf(wqyText);
  // The "full" font: the subset plus one glyph (饕, not in the subset) with a known bitmap.
  const full = join(dir, 'full.bdf');
  const glyph = 'STARTCHAR U+9955\nENCODING 39253\nSWIDTH 1000 0\nDWIDTH 12 0\nBBX 2 2 0 0\nBITMAP\nC0\nC0\nENDCHAR\n';
  writeFileSync(full, wqyText.replace('ENDFONT', `${glyph}ENDFONT`));
  const face = new FontFace(subset, systemFontLoader(full));
  const fb = new Framebuffer(16, 16);
  tt.equal(face.glyph(0x9955), undefined, 'not in the subset: the render does not wait');
  tt.same([...face.missing], [0x9955]);
  drawText(fb, face, '饕', 0, 12, white);
  tt.equal(fb.getPixel(0, 2).r, 255, 'placeholder box drawn');
  await face.fallbackSettled();
  tt.ok(face.hasFullFont());
  tt.equal(measureText(face, '饕'), 12);
  fb.clear();
  drawText(fb, face, '饕', 0, 12, white);
  tt.same([fb.getPixel(0, 10).r, fb.getPixel(1, 11).r, fb.getPixel(0, 2).r], [255, 255, 0], 'the real glyph (2x2 at the baseline)');
});

t.test('a fallback that cannot load is reported and not retried at every frame', async (tt) => {
  const face = new FontFace(await loadBdfFile(join(fontDir, 'wqy-12.bdf')), systemFontLoader('/nonexistent/font.pcf'));
  face.glyph(0x9955);
  await face.fallbackSettled();
  tt.match(face.fallbackError()?.message, /pcf2bdf \/nonexistent\/font.pcf failed/);
  face.glyph(0x9955);
  await face.fallbackSettled();
  tt.notOk(face.hasFullFont());
});
