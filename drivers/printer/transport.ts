// The byte pipe under the ESC/POS printer: serial (a HAL SerialLink), TCP port 9100, or the
// USB printer-class node /dev/usb/lp0. Everything above this interface is the same code.

export interface PrinterTransport {
  /** For logs, e.g. "serial /dev/ttyUSB0", "tcp 10.0.0.7:9100", "usb /dev/usb/lp0". */
  readonly description: string;
  /** Resolves when the bytes are handed to the OS; rejects with a HalError (`CLOSED`, `IO`, `TIMEOUT`). */
  write(bytes: Uint8Array): Promise<void>;
  /** Bytes from the printer (status replies) as they arrive, in arbitrary chunks. Returns an unsubscribe function. */
  onData(listener: (chunk: Buffer) => void): () => void;
  /** Stops the transport; a pending write rejects with `CLOSED`. */
  close(): Promise<void>;
}
