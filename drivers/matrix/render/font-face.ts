// A font as the renderer uses it: the checked-in subset BDF, plus the full font loaded on demand
// for a character the subset lacks. Loading the full font takes hundreds of ms (measured in
// docs/matrix.md), so it never happens inside a render: the first frame that needs a missing
// character draws a placeholder box and starts the load; frames after it has finished have the
// real glyph.
import { readFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { parseBdf, type BdfFont, type Glyph } from './bdf-font.js';

export type FullFontLoader = () => Promise<BdfFont>;

export class FontFace {
  private full: BdfFont | undefined;
  private loading: Promise<void> | undefined;
  private loadError: Error | undefined;
  readonly missing = new Set<number>();
  /** Rows the subset's ink reaches above the baseline (FONT_ASCENT can be more than any glyph uses). */
  readonly inkTop: number;
  /** Rows the ink reaches below the baseline. */
  readonly inkBottom: number;

  constructor(
    readonly subset: BdfFont,
    private readonly loadFull?: FullFontLoader,
  ) {
    let top = 0;
    let bottom = 0;
    for (const g of subset.glyphs.values()) {
      if (g.bbw === 0 || g.bbh === 0) continue;
      top = Math.max(top, g.bby + g.bbh);
      bottom = Math.max(bottom, -g.bby);
    }
    this.inkTop = top > 0 ? top : subset.ascent;
    this.inkBottom = top > 0 ? bottom : subset.descent;
  }

  /**
   * Rows one line of text needs so that no glyph of the subset is cut: its ink from the highest
   * to the lowest pixel (WenQuanYi 12 px: 13 rows, Unifont: 16). Layouts stack lines this far apart.
   */
  get lineHeight(): number {
    return this.inkTop + this.inkBottom;
  }

  get ascent(): number {
    return this.subset.ascent;
  }

  get descent(): number {
    return this.subset.descent;
  }

  /** The glyph for a code point, or undefined (placeholder drawn) while the full font is not loaded. */
  glyph(codePoint: number): Glyph | undefined {
    const g = this.subset.glyphs.get(codePoint) ?? this.full?.glyphs.get(codePoint);
    if (g) return g;
    this.missing.add(codePoint);
    if (!this.full && this.loadFull && !this.loading && !this.loadError) {
      this.loading = this.loadFull().then(
        (font) => {
          this.full = font;
        },
        (err: unknown) => {
          this.loadError = err instanceof Error ? err : new Error(String(err));
        },
      );
    }
    return undefined;
  }

  /** Resolves when a fallback load started by glyph() has ended (loaded or failed); at once if none. */
  async fallbackSettled(): Promise<void> {
    await this.loading;
  }

  fallbackError(): Error | undefined {
    return this.loadError;
  }

  hasFullFont(): boolean {
    return this.full !== undefined;
  }
}

export async function loadBdfFile(path: string): Promise<BdfFont> {
  return parseBdf(await readFile(path, 'utf8'));
}

/**
 * Loads a full system font: a .bdf directly, a Debian .pcf / .pcf.gz through pcf2bdf (package
 * pcf2bdf), which is what a board has after `apt install xfonts-wqy xfonts-unifont pcf2bdf`.
 */
export function systemFontLoader(path: string): FullFontLoader {
  return async () => {
    if (path.endsWith('.bdf')) return loadBdfFile(path);
    const text = await new Promise<string>((resolve, reject) => {
      execFile('pcf2bdf', [path], { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (err, stdout) => {
        if (err) reject(Object.assign(new Error(`pcf2bdf ${path} failed: ${err.message}`), { code: 'MATRIX_FONT_LOAD', cause: err }));
        else resolve(stdout);
      });
    });
    return parseBdf(text);
  };
}
