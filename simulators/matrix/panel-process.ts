// A panel process without a panel: speaks PanelHost's wire protocol (drivers/matrix/panel-wire.ts:
// parent → child [type u8][length u32 LE][payload], 'F' = frame, 'B' = brightness; child →
// parent 'R' ready, 'A' frame on the glass) and acknowledges each whole frame at once, so a
// board config with real panels (PanelHost, its child process, the pipe) runs anywhere: benches
// and demos of the runtime → panel path. The protocol is re-read here rather than imported: a
// simulator runs no driver code, and this is the other side of that wire.
const HEADER_BYTES = 5;
const MSG_FRAME = 0x46;
const REPLY_READY = 0x52;
const REPLY_ACK = 0x41;

let buf: Buffer = Buffer.alloc(0);
process.stdin.on('data', (chunk: Buffer) => {
  buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
  while (buf.length >= HEADER_BYTES) {
    const length = buf.readUInt32LE(1);
    if (buf.length < HEADER_BYTES + length) return;
    const type = buf[0];
    buf = buf.subarray(HEADER_BYTES + length);
    if (type === MSG_FRAME) process.stdout.write(Buffer.of(REPLY_ACK));
  }
});
process.stdin.on('end', () => process.exit(0));
process.stdout.on('error', () => process.exit(0));
process.stdout.write(Buffer.of(REPLY_READY));
