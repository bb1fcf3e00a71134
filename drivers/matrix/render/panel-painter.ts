// The PanelPainter of one configured panel: its size, its checked-in subset font (io.matrices
// `font`) and the HAL clock, over PanelRenderer. hal.painter(name) hands this out.
import type { Clock } from '../../hal/types.js';
import type { PanelPainter, PanelState } from '../../hal/panel-layout.js';
import type { RgbFrame } from '../../hal/led-matrix.js';
import { loadBuiltinFace, type BuiltinFontId, type LoadFaceOptions } from './builtin-fonts.js';
import type { FontFace } from './font-face.js';
import { layoutMoving } from './layouts.js';
import { PanelRenderer } from './panel-renderer.js';

export class RendererPainter implements PanelPainter {
  private readonly renderer: PanelRenderer;

  constructor(
    readonly width: number,
    readonly height: number,
    private readonly face: FontFace,
    clock: Clock,
  ) {
    this.renderer = new PanelRenderer({ width, height, face, clock });
  }

  paint(state: PanelState): RgbFrame {
    return this.renderer.render(state);
  }

  moving(state: PanelState): boolean {
    return layoutMoving(this.face, state, this.width, this.height);
  }
}

export async function openPainter(spec: { width: number; height: number; font: BuiltinFontId }, clock: Clock, fonts: LoadFaceOptions = {}): Promise<PanelPainter> {
  return new RendererPainter(spec.width, spec.height, await loadBuiltinFace(spec.font, fonts), clock);
}
