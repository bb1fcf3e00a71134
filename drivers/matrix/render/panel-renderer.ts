// Renders a PanelState into one reusable framebuffer at the injected clock's time. The same
// object feeds the real panel (panel-host) and the simulator, so what CI compares with golden
// PNGs is what the board shows.
import type { Clock } from '../../hal/types.js';
import { Framebuffer } from './framebuffer.js';
import type { FontFace } from './font-face.js';
import { drawHallPanel, drawNoticePanel, drawWindowPanel, type PanelState } from './layouts.js';

export interface PanelRendererOptions {
  readonly width: number;
  readonly height: number;
  readonly face: FontFace;
  readonly clock: Clock;
}

export class PanelRenderer {
  readonly frame: Framebuffer;

  constructor(private readonly opts: PanelRendererOptions) {
    this.frame = new Framebuffer(opts.width, opts.height);
  }

  /** Draws `state` as of now; the returned framebuffer is reused by the next call (show() copies it). */
  render(state: PanelState): Framebuffer {
    const nowMs = this.opts.clock.monotonicMs();
    switch (state.kind) {
      case 'window':
        drawWindowPanel(this.frame, this.opts.face, state, nowMs);
        break;
      case 'hall':
        drawHallPanel(this.frame, this.opts.face, state);
        break;
      case 'notice':
        drawNoticePanel(this.frame, this.opts.face, state, nowMs);
        break;
    }
    return this.frame;
  }
}
