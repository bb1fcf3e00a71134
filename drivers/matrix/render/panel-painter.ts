// The PanelPainter of one configured panel: its size, its checked-in subset font (io.matrices
// `font`) and the HAL clock, over PanelRenderer. hal.painter(name) hands this out.
import type { Clock } from '../../hal/types.js';
import type { PanelPainter, PanelState } from '../../hal/panel-layout.js';
import type { RgbFrame } from '../../hal/led-matrix.js';
import { loadBuiltinFace, type BuiltinFontId, type LoadFaceOptions } from './builtin-fonts.js';
import type { FontFace } from './font-face.js';
import { layoutMoving } from './layouts.js';
import { PanelRenderer } from './panel-renderer.js';

const HALL_ROW_PX: Record<BuiltinFontId, number> = { 'wqy-12': 12, 'unifont-16': 16 };

export class RendererPainter implements PanelPainter {
  private readonly renderer: PanelRenderer;

  constructor(
    readonly width: number,
    readonly height: number,
    private readonly face: FontFace,
    clock: Clock,
    hallRowHeight: number,
  ) {
    this.renderer = new PanelRenderer({ width, height, face, clock, hallRowHeight });
  }

  paint(state: PanelState): RgbFrame {
    return this.renderer.render(state);
  }

  moving(state: PanelState): boolean {
    return layoutMoving(this.face, state, this.width);
  }
}

export async function openPainter(spec: { width: number; height: number; font: BuiltinFontId }, clock: Clock, fonts: LoadFaceOptions = {}): Promise<PanelPainter> {
  // Row pitch of the hall list: the font's nominal size, as the golden frames use it (12 px WenQuanYi, 16 px Unifont).
  return new RendererPainter(spec.width, spec.height, await loadBuiltinFace(spec.font, fonts), clock, HALL_ROW_PX[spec.font]);
}
