// What a person sees on a touch page, measured in Chromium rather than read from our own CSS:
// the contrast of every visible text node (WCAG 2.x relative luminance, from computed styles,
// backgrounds and opacity composited up the element's ancestors onto the white canvas),
// whether the page scrolls, which boxes leave the viewport, which fonts the buttons use.
// The in-page code is plain JavaScript in strings: the test build has no DOM types.
import type { Locator, Page } from 'playwright-core';

/** One visible text node and the contrast of its colour on what lies behind it. */
export interface TextContrast {
  text: string;
  /** WCAG contrast ratio, 1–21; NaN when a background image lies behind it (cannot be computed). */
  ratio: number;
  color: string;
  background: string;
  fontPx: number;
}

/** WCAG AA for normal-size text; the project asks it of every text (issue 24). */
export const AA_TEXT_CONTRAST = 4.5;

const CONTRAST_SCRIPT = String.raw`(() => {
  const parse = (css) => {
    const m = /rgba?\(([^)]*)\)/.exec(css);
    if (!m) return { r: 0, g: 0, b: 0, a: 0, unknown: css !== 'transparent' };
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
  };
  const over = (top, under) => ({
    r: top.r * top.a + under.r * (1 - top.a),
    g: top.g * top.a + under.g * (1 - top.a),
    b: top.b * top.a + under.b * (1 - top.a),
    a: 1,
  });
  const lerp = (from, to, t) => ({ r: from.r + (to.r - from.r) * t, g: from.g + (to.g - from.g) * t, b: from.b + (to.b - from.b) * t, a: 1 });
  const channel = (v) => { const s = v / 255; return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4); };
  const luminance = (c) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  const ratioOf = (a, b) => { const x = luminance(a), y = luminance(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const css = (c) => '#' + [c.r, c.g, c.b].map((v) => Math.round(v).toString(16).padStart(2, '0')).join('');
  const WHITE = { r: 255, g: 255, b: 255, a: 1 };
  // The pixel under the text, painted from the root down: each element's background over its
  // backdrop, then what is inside it, the whole group faded by the element's opacity.
  const paint = (chain, i, backdrop, fg) => {
    const style = getComputedStyle(chain[i]);
    let c = over(parse(style.backgroundColor), backdrop);
    c = i === 0 ? (fg ? over(fg, c) : c) : paint(chain, i - 1, c, fg);
    return lerp(backdrop, c, Number(style.opacity));
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el) continue;
    const style = getComputedStyle(el);
    if (style.visibility !== 'visible') continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    if (![...range.getClientRects()].some((r) => r.width > 0 && r.height > 0)) continue;
    const chain = [];
    for (let e = el; e; e = e.parentElement) chain.push(e);
    const imaged = chain.some((e) => getComputedStyle(e).backgroundImage !== 'none');
    const fg = paint(chain, chain.length - 1, WHITE, parse(style.color));
    const bg = paint(chain, chain.length - 1, WHITE, null);
    out.push({ text: text.slice(0, 40), ratio: imaged ? NaN : Math.round(ratioOf(fg, bg) * 100) / 100, color: css(fg), background: css(bg), fontPx: parseFloat(style.fontSize) });
  }
  return out;
})()`;

/** Every visible text node of the page with its contrast ratio. */
export async function textContrasts(page: Page): Promise<TextContrast[]> {
  return (await page.evaluate(CONTRAST_SCRIPT)) as TextContrast[];
}

/** The texts below `min` (NaN counts as below: a ratio that cannot be measured is not a pass). */
export function lowContrast(contrasts: readonly TextContrast[], min = AA_TEXT_CONTRAST): TextContrast[] {
  return contrasts.filter((c) => !(c.ratio >= min));
}

/** "white on 满意 3.45:1 (#ffffff on #3f9c4f)" lines for a test message. */
export function describeContrasts(contrasts: readonly TextContrast[]): string {
  return contrasts.map((c) => `"${c.text}" ${c.ratio}:1 (${c.color} on ${c.background}, ${c.fontPx}px)`).join('; ');
}

/** True when the document is taller or wider than the viewport (a person would have to scroll, or cannot see the rest). */
export async function pageOverflows(page: Page): Promise<{ overflows: boolean; scrollHeight: number; scrollWidth: number; height: number; width: number }> {
  return (await page.evaluate(`(() => {
    const d = document.documentElement, b = document.body;
    const scrollHeight = Math.max(d.scrollHeight, b.scrollHeight), scrollWidth = Math.max(d.scrollWidth, b.scrollWidth);
    return { overflows: scrollHeight > innerHeight || scrollWidth > innerWidth, scrollHeight, scrollWidth, height: innerHeight, width: innerWidth };
  })()`)) as { overflows: boolean; scrollHeight: number; scrollWidth: number; height: number; width: number };
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The element's box, or null when it is not rendered. */
export async function boxOf(locator: Locator): Promise<Box | null> {
  return (await locator.count()) === 0 ? null : locator.boundingBox();
}

/** True when the whole box lies inside the viewport. */
export function insideViewport(box: Box | null, viewport: { width: number; height: number }): boolean {
  return box !== null && box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width + 0.5 && box.y + box.height <= viewport.height + 0.5;
}

/** "x,y w×h" for messages. */
export function describeBox(box: Box | null): string {
  return box === null ? 'not rendered' : `${Math.round(box.x)},${Math.round(box.y)} ${Math.round(box.width)}×${Math.round(box.height)}`;
}

/** The computed font-family of every rendered element matching `selector`, distinct. */
export async function fontFamilies(page: Page, selector: string): Promise<string[]> {
  return (await page.evaluate(`[...new Set([...document.querySelectorAll(${JSON.stringify(selector)})].filter((e) => e.getClientRects().length > 0).map((e) => getComputedStyle(e).fontFamily))]`)) as string[];
}
