// Config fragment for io.matrices entries: one HUB75 panel chain driven by rpi-led-matrix
// (hzeller/rpi-rgb-led-matrix options of the same names) or the simulator. assembly/io-schema.ts
// takes it into the io schema without `backend`: there the board decides (sim board: virtual
// panel; a real board: the panel process).
import { Type, type Static } from '@sinclair/typebox';

export const HardwareMappingSchema = Type.Union(
  [Type.Literal('regular'), Type.Literal('adafruit-hat'), Type.Literal('adafruit-hat-pwm'), Type.Literal('regular-pi1'), Type.Literal('classic')],
  { description: 'how the HUB75 adapter is wired to the GPIO header (rpi-rgb-led-matrix --led-gpio-mapping)', default: 'regular' },
);

export const MatrixConfigSchema = Type.Object(
  {
    backend: Type.Union([Type.Literal('rpi-led-matrix'), Type.Literal('sim')], { default: 'sim', description: 'rpi-led-matrix (Pi 3/4, root) or the virtual panel' }),
    rows: Type.Union([Type.Literal(16), Type.Literal(32), Type.Literal(64)], { default: 32, description: 'rows of one panel' }),
    cols: Type.Union([Type.Literal(32), Type.Literal(64), Type.Literal(128)], { default: 64, description: 'columns of one panel' }),
    chain: Type.Integer({ minimum: 1, maximum: 8, default: 1, description: 'panels daisy-chained on one output' }),
    parallel: Type.Integer({ minimum: 1, maximum: 3, default: 1, description: 'parallel chains (outputs) on the adapter' }),
    brightness: Type.Integer({ minimum: 0, maximum: 100, default: 80, description: 'percent at start; the role may change it (day/night)' }),
    hardwareMapping: Type.Optional(HardwareMappingSchema),
    gpioSlowdown: Type.Optional(Type.Integer({ minimum: 0, maximum: 4, default: 1, description: 'slow GPIO writes down on faster Pis (Pi 4: 2-4)' })),
    pwmBits: Type.Optional(Type.Integer({ minimum: 1, maximum: 11, default: 11, description: 'PWM bits per colour: fewer refresh faster with fewer shades (rpi-rgb-led-matrix --led-pwm-bits)' })),
    font: Type.Optional(Type.Union([Type.Literal('wqy-12'), Type.Literal('unifont-16')], { default: 'wqy-12', description: 'checked-in subset font (fonts/*.bdf)' })),
    frameTimeoutMs: Type.Optional(Type.Integer({ minimum: 50, maximum: 60_000, default: 2000, description: 'a frame not confirmed within this is a hung panel process: killed and restarted' })),
  },
  { additionalProperties: false },
);
export type MatrixConfig = Static<typeof MatrixConfigSchema>;

/** The panel surface a config describes: panels chained side by side, parallel chains stacked. */
export function matrixSize(c: Pick<MatrixConfig, 'rows' | 'cols' | 'chain' | 'parallel'>): { width: number; height: number } {
  return { width: c.cols * c.chain, height: c.rows * c.parallel };
}
