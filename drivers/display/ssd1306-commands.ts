// SSD1306 command bytes and the 128x64 / 128x32 init sequence.
// Source: Solomon Systech SSD1306 datasheet Rev 1.1, §8.1.5.2 (I2C write: a control byte
// Co D/C# 0 0 0 0 0 0 before the stream: 0x00 commands, 0x40 display RAM data), §9 table 9-1
// (command table), §10.1.3 (horizontal addressing), §10.1.4-5 (column and page address), and
// application note "Charge Pump Regulator" (0x8D 0x14 enables the internal DC-DC, needed by
// modules without external VCC, which is all common 0.96" / 0.91" modules).

/** Control byte: every byte after it is a command (Co = 0, D/C# = 0). */
export const CONTROL_COMMANDS = 0x00;
/** Control byte: every byte after it goes to display RAM (Co = 0, D/C# = 1). */
export const CONTROL_DATA = 0x40;

export const CMD = {
  SET_CONTRAST: 0x81,
  ENTIRE_DISPLAY_RESUME: 0xa4,
  ENTIRE_DISPLAY_ON: 0xa5,
  NORMAL_DISPLAY: 0xa6,
  INVERT_DISPLAY: 0xa7,
  DISPLAY_OFF: 0xae,
  DISPLAY_ON: 0xaf,
  DEACTIVATE_SCROLL: 0x2e,
  MEMORY_MODE: 0x20,
  COLUMN_ADDRESS: 0x21,
  PAGE_ADDRESS: 0x22,
  /** 0x40 | line (0-63). */
  START_LINE: 0x40,
  /** Column 0 is SEG0. */
  SEGMENT_REMAP_OFF: 0xa0,
  /** Column 127 is SEG0 (image mirrored left-right). */
  SEGMENT_REMAP_ON: 0xa1,
  MULTIPLEX_RATIO: 0xa8,
  /** Scan COM0 to COM[N-1]. */
  COM_SCAN_INC: 0xc0,
  /** Scan COM[N-1] to COM0 (image flipped top-bottom). */
  COM_SCAN_DEC: 0xc8,
  DISPLAY_OFFSET: 0xd3,
  COM_PINS: 0xda,
  CLOCK_DIVIDE: 0xd5,
  PRECHARGE: 0xd9,
  VCOMH_DESELECT: 0xdb,
  CHARGE_PUMP: 0x8d,
  NOP: 0xe3,
} as const;

/** 0x20 argument: horizontal addressing (column, then page, wrapping inside the window). */
export const ADDRESSING_HORIZONTAL = 0x00;
export const ADDRESSING_VERTICAL = 0x01;
export const ADDRESSING_PAGE = 0x02;

export type Ssd1306Height = 32 | 64;
export const SSD1306_WIDTH = 128;
/** Contrast the common modules ship with (Adafruit's default for internal VCC). */
export const DEFAULT_CONTRAST = 0xcf;

export interface InitOptions {
  height: Ssd1306Height;
  contrast: number;
  /** 180: the module is mounted upside down (plain segment and COM order instead of remapped). */
  rotate: 0 | 180;
}

/**
 * The init sequence, display left off: RAM holds garbage at power-up, so the first frame is
 * written before DISPLAY_ON. A 128x64 glass has its COM lines wired alternately (0x12), a
 * 128x32 one sequentially (0x02); the wrong one shows every other line.
 */
export function initSequence(o: InitOptions): number[] {
  const upright = o.rotate === 0;
  return [
    CMD.DISPLAY_OFF,
    CMD.CLOCK_DIVIDE, 0x80, // oscillator default, divide ratio 1
    CMD.MULTIPLEX_RATIO, o.height - 1,
    CMD.DISPLAY_OFFSET, 0x00,
    CMD.START_LINE | 0,
    CMD.CHARGE_PUMP, 0x14,
    CMD.MEMORY_MODE, ADDRESSING_HORIZONTAL,
    upright ? CMD.SEGMENT_REMAP_ON : CMD.SEGMENT_REMAP_OFF,
    upright ? CMD.COM_SCAN_DEC : CMD.COM_SCAN_INC,
    CMD.COM_PINS, o.height === 64 ? 0x12 : 0x02,
    CMD.SET_CONTRAST, o.contrast,
    CMD.PRECHARGE, 0xf1, // phase 1: 1 DCLK, phase 2: 15 DCLKs (internal VCC)
    CMD.VCOMH_DESELECT, 0x40,
    CMD.ENTIRE_DISPLAY_RESUME,
    CMD.NORMAL_DISPLAY,
    CMD.DEACTIVATE_SCROLL,
  ];
}

/** Sets the horizontal-addressing window to columns 0..width-1 of pages first..last. */
export function windowCommands(width: number, firstPage: number, lastPage: number): number[] {
  return [CMD.COLUMN_ADDRESS, 0, width - 1, CMD.PAGE_ADDRESS, firstPage, lastPage];
}

/**
 * One page of a frame as display RAM bytes: byte c holds column c of rows 8p..8p+7, bit 0
 * the top row (datasheet §8.7, figure 8-13).
 */
export function pageBytes(data: Uint8Array, width: number, page: number, out: Uint8Array): void {
  const top = page * 8;
  for (let c = 0; c < width; c++) {
    let byte = 0;
    for (let bit = 0; bit < 8; bit++) if ((data[(top + bit) * width + c] ?? 0) !== 0) byte |= 1 << bit;
    out[c] = byte;
  }
}
