// The headless-Chromium harness for touch-page tests (kiosk, evaluator, locker): Debian's
// /usr/bin/chromium (or CHROMIUM_PATH) through playwright-core, one browser per test file,
// one context and page per test, everything closed in teardown.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
/** Headless in a container or CI runner: no sandbox (no user namespaces), no /dev/shm limits, no GPU. */
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'];
export const PORTRAIT = { width: 1080, height: 1920 };
export const LANDSCAPE = { width: 1920, height: 1080 };

interface TapLike {
  teardown(fn: () => unknown): void;
  fail(message: string): void;
}

/**
 * The browser for this test file, closed at its end; null (and the file fails, saying how to
 * install it) when Chromium is missing: a page test that skips would hide a broken page.
 * `env` is added to the browser's environment (e.g. FONTCONFIG_FILE for a board's fonts).
 */
export async function launchChromium(t: TapLike, options: { env?: Record<string, string> } = {}): Promise<Browser | null> {
  if (!existsSync(CHROMIUM_PATH)) {
    t.fail(
      `Chromium not found at ${CHROMIUM_PATH}. The touch-page tests drive a real browser: install it with \`apt-get install chromium\` (Debian/Raspberry Pi OS), or set CHROMIUM_PATH to a Chromium binary.`,
    );
    return null;
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS, ...(options.env ? { env: { ...process.env, ...options.env } } : {}) });
  t.teardown(() => browser.close());
  return browser;
}

export interface TouchPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught errors in the page (a test ends with `t.same(errors, [])`). */
  errors: string[];
  /** The element with this data-testid. */
  tid(id: string): Locator;
}

/**
 * A fresh touchscreen-like page (touch, zh-CN, 1× pixels, portrait unless told), closed in
 * teardown. Not navigated yet. `timezoneId` is the browser's own zone (a board set to another
 * zone than the hall's).
 */
export async function openTouchPage(
  t: Pick<TapLike, 'teardown'>,
  browser: Browser,
  options: { viewport?: { width: number; height: number }; locale?: string; timezoneId?: string } = {},
): Promise<TouchPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? PORTRAIT,
    deviceScaleFactor: 1,
    hasTouch: true,
    locale: options.locale ?? 'zh-CN',
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
  });
  t.teardown(() => context.close());
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  return { context, page, errors, tid: (id) => page.locator(`[data-testid="${id}"]`) };
}
