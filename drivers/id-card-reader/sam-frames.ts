// GA 467 SAM frames (居民身份证验证安全控制模块, "SAM_A"/"SAM_V"), the serial protocol of
// second-generation ID-card readers. Protocol source: GA 467 as implemented by public readers'
// code, byte for byte: hevz/hev-idcard-reader (src/hev-dbus-object-idcard-reader.c: the command
// frames, length-then-body framing, SW3 at byte 9, the text at byte 14) and
// guocihong/GasStationCardManageSystem (readidentifiercardinfoutil.cpp: captured replies of
// every command, ok and failed); the SW3 table after the vendors' SDK return-code lists.
// Every fact, its sources and how sure we are: docs/hardware.md, "ID-card reader (GA 467 SAM)".
//
// Host → SAM: AA AA AA 96 69 | LEN(2, big-endian) | CMD | PARA | DATA… | CHK
// SAM → host: AA AA AA 96 69 | LEN(2, big-endian) | SW1 | SW2 | SW3 | DATA… | CHK
// LEN counts the bytes after it, CHK included; CHK is the XOR of LEN..DATA (everything but the
// preamble and itself). SW1 SW2 are 00 00; SW3 is the outcome (0x90 ok, 0x9F card found, …).
import { INCOMPLETE, type Decoded, type Exchange, type ReplyDecoder } from '../lock-board/codec.js';

export const PREAMBLE = Buffer.from([0xaa, 0xaa, 0xaa, 0x96, 0x69]);
/** Preamble and LEN: LEN says how many bytes follow. */
export const HEADER_BYTES = PREAMBLE.length + 2;
/** SW1 SW2 SW3 and CHK: the shortest reply body. */
const MIN_REPLY_BODY_BYTES = 4;
/** Longer than any reply the host asks for (read basic info: 1288; with fingerprints about 2.3 KiB): a larger LEN is a false preamble. */
const MAX_REPLY_BODY_BYTES = 4096;

/** The commands the driver sends, as [CMD, PARA]. */
export const SAM_COMMAND = {
  /** 复位SAM: restarts the module as at power-up. */
  reset: [0x10, 0xff],
  /** SAM状态检测: 0x90 when the SAM passed its self-test. */
  status: [0x11, 0xff],
  /** 寻找居民身份证: 0x9F a card is in the field, 0x80 none. */
  find: [0x20, 0x01],
  /** 选取居民身份证: 0x90 selected, 0x81 failed. */
  select: [0x20, 0x02],
  /** 读机读文字信息和相片信息: 0x90 with 256 bytes of text and 1024 of photo, 0x41 failed. */
  readBasic: [0x30, 0x01],
} as const satisfies Record<string, readonly [number, number]>;

export type SamCommand = keyof typeof SAM_COMMAND;

/** SW3 values the driver branches on. */
export const SW3 = {
  OK: 0x90,
  CARD_FOUND: 0x9f,
  NO_CARD: 0x80,
  SELECT_FAILED: 0x81,
  READ_FAILED: 0x41,
  SELF_TEST_FAILED: 0x60,
} as const;

/** SW3 meanings as the vendors' SDKs word them (docs/hardware.md lists the sources). */
export const SW3_MEANING: Readonly<Record<number, string>> = {
  0x90: '操作成功',
  0x91: '居民身份证中无此项内容',
  0x9f: '寻找居民身份证成功',
  0x10: '接收业务终端数据的校验和错',
  0x11: '接收业务终端数据的长度错',
  0x21: '接收业务终端的命令错误',
  0x23: '越权操作',
  0x24: '无法识别的错误',
  0x31: '居民身份证认证SAM失败',
  0x32: 'SAM认证居民身份证失败',
  0x33: '信息验证错误',
  0x37: '指纹信息验证错误',
  0x3f: '信息长度错误',
  0x40: '无法识别的居民身份证类型',
  0x41: '读居民身份证操作失败',
  0x47: '取随机数失败',
  0x60: 'SAM自检失败，不能接收命令',
  0x66: 'SAM没经过授权，无法使用',
  0x80: '寻找居民身份证失败',
  0x81: '选取居民身份证失败',
};

export function sw3Meaning(sw3: number): string {
  return SW3_MEANING[sw3] ?? `unknown status 0x${sw3.toString(16).padStart(2, '0')}`;
}

export function xorChecksum(bytes: Uint8Array): number {
  let sum = 0;
  for (const b of bytes) sum ^= b;
  return sum;
}

/** A host frame: preamble, LEN, CMD, PARA, data, CHK. */
export function commandFrame(command: SamCommand, data: Uint8Array = new Uint8Array(0)): Buffer {
  const [cmd, para] = SAM_COMMAND[command];
  const length = 2 + data.length + 1;
  const body = Buffer.concat([Buffer.from([length >> 8, length & 0xff, cmd, para]), data]);
  return Buffer.concat([PREAMBLE, body, Buffer.from([xorChecksum(body)])]);
}

export interface SamReply {
  sw1: number;
  sw2: number;
  sw3: number;
  /** The bytes between SW3 and CHK. */
  data: Buffer;
}

/**
 * Finds one reply frame in what the line has received: junk before the preamble is skipped, a
 * preamble whose LEN cannot be a reply is taken for junk too, a frame still arriving is
 * INCOMPLETE (the bus waits for the rest until its deadline), a complete one with a wrong CHK
 * is CHECKSUM.
 */
export const samReplyDecoder: ReplyDecoder<SamReply> = (rx: Buffer): Decoded<SamReply> => {
  for (let at = rx.indexOf(PREAMBLE); at >= 0; at = rx.indexOf(PREAMBLE, at + 1)) {
    if (rx.length < at + HEADER_BYTES) return INCOMPLETE;
    const length = rx.readUInt16BE(at + PREAMBLE.length);
    if (length < MIN_REPLY_BODY_BYTES || length > MAX_REPLY_BODY_BYTES) continue;
    const end = at + HEADER_BYTES + length;
    if (rx.length < end) return INCOMPLETE;
    const checked = rx.subarray(at + PREAMBLE.length, end - 1);
    const sent = rx[end - 1] ?? -1;
    const computed = xorChecksum(checked);
    if (computed !== sent) return { kind: 'invalid', code: 'CHECKSUM', detail: `checksum 0x${sent.toString(16)}, computed 0x${computed.toString(16)}` };
    const body = rx.subarray(at + HEADER_BYTES, end - 1);
    return { kind: 'frame', value: { sw1: body[0] ?? 0, sw2: body[1] ?? 0, sw3: body[2] ?? 0, data: Buffer.from(body.subarray(3)) } };
  }
  return INCOMPLETE;
};

const WHAT: Record<SamCommand, string> = {
  reset: 'reset SAM (10 FF)',
  status: 'SAM status (11 FF)',
  find: 'find card (20 01)',
  select: 'select card (20 02)',
  readBasic: 'read basic info (30 01)',
};

/** The request and its decoder, for the serial bus. */
export function samExchange(command: SamCommand): Exchange<SamReply> {
  return { request: commandFrame(command), what: WHAT[command], decode: samReplyDecoder };
}
