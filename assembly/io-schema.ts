// The schemas of the HAL's part of the device config (`io`), one per kind of entry: one source
// for the TypeScript types, the defaults, validation and the JSON Schema files. The io section
// itself (IoConfigSchema) is composed from the part-type registry, assembly/part-types.ts. The board definition's schema is boards/board-schema.ts.
import { Type, type Static } from '@sinclair/typebox';
import { DEFAULT_FIRMATA_BAUD_RATE } from '../boards/board-schema.js';
import { PART_NAME_PATTERN } from '../drivers/hal/part-specs.js';
import { LockBoardConfigSchema } from '../drivers/lock-board/config.js';
import { GpioLockBoardConfigSchema } from '../drivers/lock-board/gpio-config.js';
import { MatrixConfigSchema } from '../drivers/matrix/config.js';
import { IdCardReaderConfigSchema } from '../drivers/id-card-reader/config.js';

export { DEFAULT_FIRMATA_BAUD_RATE, type GpioBackendKind } from '../boards/board-schema.js';
export { PART_NAME_PATTERN } from '../drivers/hal/part-specs.js';

export const DEFAULT_DEBOUNCE_MS = 30;
export const DEFAULT_BAUD_RATE = 9600;
/** Raw print port of network printers ("JetDirect"/AppSocket); same value as drivers/printer RAW_PRINT_PORT. */
export const DEFAULT_PRINTER_TCP_PORT = 9100;
/** The Linux usblp node; same value as drivers/printer DEFAULT_USB_PRINTER_PATH. */
export const DEFAULT_PRINTER_USB_PATH = '/dev/usb/lp0';
/** Half-width columns at 1x1: 48 on 80 mm paper, 32 on 58 mm; same value as drivers/printer DEFAULT_PAPER_COLUMNS. */
export const DEFAULT_PRINTER_COLUMNS = 48;
/** Per DLE EOT query; same value as drivers/printer DEFAULT_STATUS_TIMEOUT_MS. */
export const DEFAULT_PRINTER_STATUS_TIMEOUT_MS = 500;
export const DEFAULT_SCANNER_MAX_LENGTH = 512;

export const PinSchema = Type.Union(
  [
    Type.Integer({ minimum: 0, maximum: 1023, description: 'GPIO line number (BCM numbering on a Raspberry Pi)' }),
    Type.String({ minLength: 1, maxLength: 32, description: 'a line name such as "GPIO17" or a header pin such as "P1-11"' }),
  ],
  { description: 'BCM line number like 17, "GPIO17", or physical header pin "P1-11"' },
);
export type Pin = Static<typeof PinSchema>;

export const PullSchema = Type.Union([Type.Literal('up'), Type.Literal('down'), Type.Literal('none')], {
  description: 'bias resistor; leave out to keep what the firmware or device tree set',
});
export type Pull = Static<typeof PullSchema>;

export const InputConfigSchema = Type.Object(
  {
    pin: PinSchema,
    pull: Type.Optional(PullSchema),
    activeLow: Type.Optional(Type.Boolean({ default: false, description: 'true when the line reads 0 while the button is pressed (button to ground with pull-up)' })),
    debounceMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, default: DEFAULT_DEBOUNCE_MS, description: 'the level must hold this long to count' })),
  },
  { additionalProperties: false },
);

export const OutputConfigSchema = Type.Object(
  {
    pin: PinSchema,
    activeLow: Type.Optional(Type.Boolean({ default: false, description: 'true when the part is on while the line is driven 0' })),
    initial: Type.Optional(Type.Boolean({ default: false, description: 'logical level driven as soon as the line is opened' })),
  },
  { additionalProperties: false },
);

export const SerialConfigSchema = Type.Object(
  {
    path: Type.String({ minLength: 1, description: 'device node, e.g. /dev/ttyUSB0 or /dev/serial/by-id/...' }),
    baudRate: Type.Optional(Type.Integer({ minimum: 50, maximum: 4_000_000, default: DEFAULT_BAUD_RATE, description: 'bits per second' })),
    dataBits: Type.Optional(Type.Union([Type.Literal(5), Type.Literal(6), Type.Literal(7), Type.Literal(8)], { description: 'data bits per character (default 8)' })),
    stopBits: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(1.5), Type.Literal(2)], { description: 'stop bits (default 1)' })),
    parity: Type.Optional(Type.Union([Type.Literal('none'), Type.Literal('even'), Type.Literal('odd'), Type.Literal('mark'), Type.Literal('space')], { description: 'parity bit (default none)' })),
  },
  { additionalProperties: false },
);

export const I2cConfigSchema = Type.Object(
  {
    bus: Type.Optional(Type.Integer({ minimum: 0, maximum: 255, description: "I2C bus number (/dev/i2c-N); the board's default bus when left out" })),
    address: Type.Integer({ minimum: 0x03, maximum: 0x77, description: '7-bit device address' }),
  },
  { additionalProperties: false },
);

export const SpeakerConfigSchema = Type.Object(
  {
    kind: Type.Union([Type.Literal('none'), Type.Literal('espeak'), Type.Literal('sim')], { description: 'espeak: espeak-ng piped into aplay' }),
    device: Type.Optional(Type.String({ minLength: 1, description: 'ALSA device for aplay -D, e.g. plughw:1,0' })),
  },
  { additionalProperties: false, description: 'the speaker for sys/identify beeps and announcements' },
);

export const FirmataConfigSchema = Type.Object(
  {
    path: Type.Optional(Type.String({ minLength: 1, description: "serial port of the Firmata board; the board definition's default when left out" })),
    baudRate: Type.Optional(Type.Integer({ minimum: 50, maximum: 4_000_000, default: DEFAULT_FIRMATA_BAUD_RATE, description: 'bits per second (StandardFirmata: 57600)' })),
  },
  { additionalProperties: false, description: 'an Arduino running StandardFirmata as the GPIO board' },
);

export const PRINTER_TRANSPORTS = ['serial', 'tcp', 'usb'] as const;
/** escpos: Epson ESC/POS (and printers in ESC/POS emulation); star: Star Line Mode (drivers/printer/star). */
export const PRINTER_COMMAND_SETS = ['escpos', 'star'] as const;
export type PrinterCommandSet = (typeof PRINTER_COMMAND_SETS)[number];

export const PrinterConfigSchema = Type.Object(
  {
    serial: Type.Optional(Type.String({ minLength: 1, description: 'name of the io.serial part the printer is on (RS-232 or USB-serial)' })),
    tcp: Type.Optional(
      Type.Object(
        {
          host: Type.String({ minLength: 1, description: "the network printer's address, e.g. 10.0.0.7" }),
          port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, default: DEFAULT_PRINTER_TCP_PORT, description: 'raw print port' })),
        },
        { additionalProperties: false, description: 'a network printer (raw port 9100)' },
      ),
    ),
    usb: Type.Optional(
      Type.Object(
        { path: Type.Optional(Type.String({ minLength: 1, default: DEFAULT_PRINTER_USB_PATH, description: 'USB printer-class node (kernel driver usblp)' })) },
        { additionalProperties: false, description: 'a USB printer-class printer' },
      ),
    ),
    columns: Type.Optional(
      Type.Integer({ minimum: 8, maximum: 255, default: DEFAULT_PRINTER_COLUMNS, description: 'paper width in half-width characters at normal size: 48 for 80 mm paper, 32 for 58 mm' }),
    ),
    statusQueries: Type.Optional(
      Type.Array(Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3), Type.Literal(4)]), {
        uniqueItems: true,
        default: [1, 2, 3, 4],
        description: 'which DLE EOT n to ask before each ticket (1 and 2 are always asked); [1, 2] for printers that do not answer 3 and 4 (paper-low and cutter errors are then not reported)',
      }),
    ),
    statusTimeoutMs: Type.Optional(Type.Integer({ minimum: 50, maximum: 10_000, default: DEFAULT_PRINTER_STATUS_TIMEOUT_MS, description: 'wait this long for each status reply' })),
    commandSet: Type.Optional(
      Type.Union(
        PRINTER_COMMAND_SETS.map((c) => Type.Literal(c)),
        {
          default: 'escpos',
          description:
            "the printer's command language: escpos (Epson ESC/POS, DLE EOT status) or star (Star Line Mode, ESC ACK SOH status; statusQueries does not apply)",
        },
      ),
    ),
  },
  { additionalProperties: false, description: 'an ESC/POS or Star Line Mode ticket printer; give exactly one transport: serial, tcp or usb' },
);

const SCANNER_SUFFIXES = ['cr', 'lf', 'crlf', 'auto'] as const;
export type ScannerSuffix = (typeof SCANNER_SUFFIXES)[number];
const SCANNER_ENCODINGS = ['utf8', 'gb18030'] as const;
export type ScannerEncoding = (typeof SCANNER_ENCODINGS)[number];

export const ScannerConfigSchema = Type.Object(
  {
    serial: Type.String({ minLength: 1, description: 'name of the io.serial part the scanner is on (USB-CDC or RS-232 mode)' }),
    suffix: Type.Optional(
      Type.Union(
        SCANNER_SUFFIXES.map((s) => Type.Literal(s)),
        { default: 'auto', description: 'what the scanner sends after each code; auto: any of CR, LF or CR LF ends a code' },
      ),
    ),
    encoding: Type.Optional(Type.Union(SCANNER_ENCODINGS.map((e) => Type.Literal(e)), { default: 'utf8', description: "the scanner's output character set" })),
    maxLength: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 65_536, default: DEFAULT_SCANNER_MAX_LENGTH, description: 'bytes; a longer line without a suffix is line noise and is discarded' }),
    ),
  },
  { additionalProperties: false, description: 'a barcode/QR scanner sending each code followed by a suffix' },
);

/**
 * An io.matrices entry: the matrix driver's fragment without its `backend` switch. Which
 * implementation shows the frames is the board's choice, as for every other part: the sim
 * board puts a virtual panel behind each matrix, a real board the panel process
 * (rpi-led-matrix); a config cannot ask a real board for a virtual panel by mistake.
 */
// Every field has a default, so every field may be left out (Partial, for editors' JSON Schema).
export const IoMatrixConfigSchema = Type.Partial(Type.Omit(MatrixConfigSchema, ['backend']), {
  additionalProperties: false,
  description: 'a HUB75 LED panel chain: width = cols x chain, height = rows x parallel',
});

export { LockBoardConfigSchema, GpioLockBoardConfigSchema, IdCardReaderConfigSchema };

/** An io.lockBoards entry: an RS485 board ("8a80", "kerong-cu") or relays and door switches ("gpio"). */
export const AnyLockBoardConfigSchema = Type.Union([LockBoardConfigSchema, GpioLockBoardConfigSchema], {
  description: 'a lock board: an RS485 board ({ "serial", "protocol", "address", "locks" }) or a "gpio" cabinet ({ "protocol": "gpio", "locks": [{ "relay", "sensor" }, ...] })',
});
export type AnyLockBoardConfig = Static<typeof AnyLockBoardConfigSchema>;

export const DEFAULT_EXPANDER_POLL_MS = 20;

/**
 * An MCP23017 I/O expander: its 16 pins become io.inputs / io.outputs lines written
 * "<expander>:A0".."<expander>:B7". The address range is checked by resolveIo (a clearer
 * message than a schema bound).
 */
export const ExpanderConfigSchema = Type.Object(
  {
    bus: Type.Optional(Type.Integer({ minimum: 0, maximum: 255, description: "I2C bus number (/dev/i2c-N); the board's default bus when left out" })),
    address: Type.Integer({ minimum: 0, maximum: 0x7f, description: '7-bit address set by A2-A0: 0x20-0x27 (32-39)' }),
    pollMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: DEFAULT_EXPANDER_POLL_MS, description: 'read the input pins this often (also the backstop with an interrupt line)' })),
    interrupt: Type.Optional(
      Type.String({ pattern: PART_NAME_PATTERN, description: "the io.inputs line wired to the chip's INTA/INTB (read undebounced; set activeLow as wired)" }),
    ),
  },
  { additionalProperties: false, description: 'an MCP23017 16-pin I/O expander on I2C' },
);
export type ExpanderConfig = Static<typeof ExpanderConfigSchema>;

export const DEFAULT_DISPLAY_CONTRAST = 0xcf;

export const DisplayConfigSchema = Type.Object(
  {
    i2c: Type.String({ pattern: PART_NAME_PATTERN, description: 'name of the io.i2c part the display is on (an SSD1306 answers at 0x3c or 0x3d)' }),
    controller: Type.Optional(Type.Literal('ssd1306', { default: 'ssd1306', description: 'the display controller' })),
    height: Type.Optional(Type.Union([Type.Literal(64), Type.Literal(32)], { default: 64, description: 'rows of the glass: 64 (0.96" modules) or 32 (0.91"); 128 columns either way' })),
    contrast: Type.Optional(Type.Integer({ minimum: 0, maximum: 255, default: DEFAULT_DISPLAY_CONTRAST, description: 'OLED drive current, 0-255' })),
    rotate: Type.Optional(Type.Union([Type.Literal(0), Type.Literal(180)], { default: 0, description: '180 when the module is mounted upside down' })),
  },
  { additionalProperties: false, description: 'a small monochrome OLED (SSD1306, 128x64 or 128x32) on an I2C part' },
);

export type InputConfig = Static<typeof InputConfigSchema>;
export type OutputConfig = Static<typeof OutputConfigSchema>;
export type SerialConfig = Static<typeof SerialConfigSchema>;
export type I2cConfig = Static<typeof I2cConfigSchema>;
export type SpeakerConfig = Static<typeof SpeakerConfigSchema>;
export type PrinterConfig = Static<typeof PrinterConfigSchema>;
export type ScannerConfig = Static<typeof ScannerConfigSchema>;
export type IdCardReaderIoConfig = Static<typeof IdCardReaderConfigSchema>;
export type IoMatrixConfig = Static<typeof IoMatrixConfigSchema>;
export type DisplayConfig = Static<typeof DisplayConfigSchema>;
