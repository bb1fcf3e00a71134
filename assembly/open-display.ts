// A board's small displays: the SSD1306 driver over the display's I2C part (the same driver
// on the sim board, whose I2C bus carries a simulated SSD1306), drawing text with the
// checked-in 12 px CJK font. Imported when a display is first opened.
import type { I2cDevice, MonoDisplay, SelfTestResult } from '../drivers/hal/types.js';
import type { DisplaySpec } from '../drivers/hal/part-specs.js';
import type { FontFace } from '../drivers/matrix/render/font-face.js';

let face: Promise<FontFace> | undefined;

/** One font for every display of the process: the subset loads once, the full font on demand. */
async function displayFace(): Promise<FontFace> {
  const { loadBuiltinFace } = await import('../drivers/matrix/render/builtin-fonts.js');
  face ??= loadBuiltinFace('wqy-12');
  return face.catch((err: unknown) => {
    face = undefined;
    throw err;
  });
}

export async function openDisplay(spec: DisplaySpec, device: I2cDevice): Promise<MonoDisplay> {
  const { Ssd1306Display } = await import('../drivers/display/ssd1306-display.js');
  return Ssd1306Display.open({ name: spec.name, device, height: spec.height, contrast: spec.contrast, rotate: spec.rotate, face: await displayFace() });
}

/** Reachable when the chip answers a status read now. */
export async function displayResult(spec: DisplaySpec, open: () => Promise<MonoDisplay>): Promise<SelfTestResult> {
  const name = `display:${spec.name}`;
  const data = { i2c: spec.i2c, controller: spec.controller, size: `${spec.width}x${spec.height}` };
  try {
    await (await open()).probe();
    return { name, ok: true, detail: 'answers', data };
  } catch (err) {
    return { name, ok: false, detail: (err as Error).message, data };
  }
}
