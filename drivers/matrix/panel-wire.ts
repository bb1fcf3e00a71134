// The byte protocol between PanelHost (parent) and its panel process (child), over the child's
// stdin/stdout. Parent -> child: messages of [type u8][length u32 LE][payload]; 'F' = one frame
// (raw RGB888, width*height*3 bytes), 'B' = brightness (1 byte, percent). Child -> parent: single
// bytes: 'R' = panel initialised, 'A' = the last frame is on the glass (after sync()).

export const MSG_FRAME = 0x46; // 'F'
export const MSG_BRIGHTNESS = 0x42; // 'B'
export const REPLY_READY = 0x52; // 'R'
export const REPLY_ACK = 0x41; // 'A'
const HEADER_BYTES = 5;

export function encodeMessage(type: number, payload: Uint8Array): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header[0] = type;
  header.writeUInt32LE(payload.length, 1);
  return Buffer.concat([header, payload]);
}

/** Reassembles messages from arbitrary stdin chunks. */
export class MessageDecoder {
  private buf: Buffer = Buffer.alloc(0);

  constructor(
    private readonly onMessage: (type: number, payload: Buffer) => void,
    private readonly maxPayload = 64 * 1024 * 1024,
  ) {}

  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    while (this.buf.length >= HEADER_BYTES) {
      const type = this.buf[0] ?? 0;
      const length = this.buf.readUInt32LE(1);
      if (length > this.maxPayload) throw Object.assign(new Error(`panel message of ${length} bytes exceeds ${this.maxPayload}`), { code: 'MATRIX_WIRE' });
      if (this.buf.length < HEADER_BYTES + length) return;
      const payload = this.buf.subarray(HEADER_BYTES, HEADER_BYTES + length);
      this.buf = this.buf.subarray(HEADER_BYTES + length);
      this.onMessage(type, payload);
    }
  }
}
