// What the virtual printer has "printed": a list of items, grouped into tickets at each cut.

export type Align = 'left' | 'center' | 'right';

/** One printed line, with the modes in force at its first character. */
export interface TextItem {
  type: 'text';
  /** Decoded: GB18030 in Chinese mode (FS &), else the selected single-byte code table (cp437 by default). */
  text: string;
  align: Align;
  /** GS ! / ESC ! magnification, 1–8. */
  w: number;
  h: number;
  bold: boolean;
  underline: boolean;
  /** Chinese mode was on for (the start of) this line. */
  chinese: boolean;
}

export interface QrItem {
  type: 'qr';
  /** The stored payload decoded as UTF-8 (U+FFFD where it is not valid UTF-8). */
  data: string;
  bytes: Buffer;
  moduleDots: number;
  errorCorrection: 'L' | 'M' | 'Q' | 'H';
  align: Align;
}

/** Blank paper: an LF on an empty line, or ESC d n. */
export interface FeedItem {
  type: 'feed';
  lines: number;
}

export interface CutItem {
  type: 'cut';
  partial: boolean;
}

export type PrintedItem = TextItem | QrItem | FeedItem | CutItem;

export interface PrintedTicket {
  /** Everything printed since the previous cut, the cut itself excluded. */
  items: PrintedItem[];
  partialCut: boolean;
}

export interface PrinterFaults {
  paperOut: boolean;
  /** Near-end sensor: reported, printing goes on. */
  paperLow: boolean;
  coverOpen: boolean;
  /** Offline for no other reported reason (e.g. the operator pressed the offline key). */
  offline: boolean;
  cutterError: boolean;
  /** Real-time status queries go unanswered (status not wired, or the printer hung). */
  noReply: boolean;
}

export const NO_FAULTS: Readonly<PrinterFaults> = {
  paperOut: false,
  paperLow: false,
  coverOpen: false,
  offline: false,
  cutterError: false,
  noReply: false,
};

/** What the byte pipes (serial bus, TCP port) need of a virtual printer, ESC/POS or Star. */
export interface ByteDevice {
  receive(bytes: Uint8Array): void;
  onReply(listener: (bytes: Buffer) => void): () => void;
}
