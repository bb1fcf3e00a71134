// The board definition (boards/*.json) as a TypeBox schema: the TypeScript type, the
// defaults and the validation in one source. Nothing of ours is imported here: boards/ is
// data plus its loader, and the assembly layer and the config read it.
import { Type, type Static } from '@sinclair/typebox';

/** A part's or board's name ("cat-1", "rpi-5"). */
export const PART_NAME_PATTERN = '^[a-z0-9-]{1,32}$';
/** StandardFirmata's default speed; the io schema's default too. */
export const DEFAULT_FIRMATA_BAUD_RATE = 57600;

export const GpioBackendKindSchema = Type.Union([Type.Literal('sim'), Type.Literal('chardev'), Type.Literal('sysfs'), Type.Literal('firmata')], {
  description: "sim: in memory; chardev: Debian's gpiod tools over /dev/gpiochipN; sysfs: onoff over /sys/class/gpio (removed on newer kernels); firmata: an Arduino running StandardFirmata",
});
export type GpioBackendKind = Static<typeof GpioBackendKindSchema>;


const LineNumber = Type.Integer({ minimum: 0, maximum: 1023 });
const PowerPin = Type.Union([Type.Literal('GND'), Type.Literal('3V3'), Type.Literal('5V'), Type.Literal('VIN'), Type.Literal('AREF'), Type.Literal('RESET')]);

export const BoardSchema = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    id: Type.String({ pattern: PART_NAME_PATTERN }),
    name: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
    gpio: Type.Object(
      {
        backend: GpioBackendKindSchema,
        allowedBackends: Type.Array(GpioBackendKindSchema, { minItems: 1, uniqueItems: true, description: 'backends a config may choose instead of the default' }),
        chipLabel: Type.Optional(Type.String({ minLength: 1, description: 'label of the GPIO chip that carries the header lines (gpiodetect, /sys/class/gpio/gpiochip*/label)' })),
        chipByLineName: Type.Optional(Type.String({ minLength: 1, description: 'fallback: the chip that has a line with this name' })),
        linePrefixes: Type.Array(Type.String({ minLength: 1 }), { default: [], description: 'prefixes of line names, "GPIO" accepts "GPIO17"' }),
        lines: Type.Object({ first: LineNumber, last: LineNumber }, { additionalProperties: false }),
        reservedLines: Type.Record(Type.String({ pattern: '^[0-9]+$' }), Type.String(), { default: {}, description: 'line number -> why config may not use it' }),
      },
      { additionalProperties: false },
    ),
    header: Type.Record(Type.String({ minLength: 1 }), Type.Union([LineNumber, PowerPin]), { description: 'physical pin name -> line number (or a power pin)' }),
    serial: Type.Object(
      {
        default: Type.Optional(Type.String()),
        ports: Type.Record(
          Type.String({ minLength: 1 }),
          Type.Object({ tx: Type.Optional(LineNumber), rx: Type.Optional(LineNumber), description: Type.Optional(Type.String()) }, { additionalProperties: false }),
          { default: {} },
        ),
      },
      { additionalProperties: false },
    ),
    i2c: Type.Object(
      {
        defaultBus: Type.Optional(Type.Integer({ minimum: 0 })),
        buses: Type.Record(Type.String({ pattern: '^[0-9]+$' }), Type.Object({ sda: LineNumber, scl: LineNumber }, { additionalProperties: false }), { default: {} }),
      },
      { additionalProperties: false },
    ),
    ledMatrix: Type.Optional(
      Type.Object(
        {
          unsupported: Type.String({ minLength: 1, description: 'why HUB75 panels (io.matrices) cannot be driven on this board; `halld config check` refuses them with this reason' }),
        },
        { additionalProperties: false },
      ),
    ),
    firmata: Type.Optional(
      Type.Object(
        {
          path: Type.String({ minLength: 1 }),
          baudRate: Type.Integer({ default: DEFAULT_FIRMATA_BAUD_RATE }),
          readyTimeoutMs: Type.Integer({ minimum: 100, default: 10_000 }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, $id: 'https://halld.dev/schema/board.json', title: 'halld board definition' },
);
export type BoardDefinition = Static<typeof BoardSchema>;
