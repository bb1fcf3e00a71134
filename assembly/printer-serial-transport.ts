// The printer's byte pipe over one of the HAL's serial parts. Unlike drivers/printer's
// serialLinkTransport, which wraps one link for good, this asks the HAL for the part on
// every write: the HAL hands back the open link, or reopens a port that closed (a USB-serial
// cable pulled and put back), so the printer a role holds keeps working after a replug.
import type { PrinterTransport } from '../drivers/printer/transport.js';
import { HalError, type SerialLink } from '../drivers/hal/types.js';

export class HalSerialPrinterTransport implements PrinterTransport {
  readonly description: string;
  private readonly listeners = new Set<(chunk: Buffer) => void>();
  private link: SerialLink | undefined;
  private offData: (() => void) | undefined;
  private closed = false;

  /** `first` is the link the HAL just opened; `open` gets the current one (HAL.serial(part)). */
  constructor(
    first: SerialLink,
    private readonly open: () => Promise<SerialLink>,
  ) {
    this.description = `serial ${first.path}`;
    this.use(first);
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (this.closed) throw new HalError('CLOSED', `${this.description} is closed`);
    const link = this.link?.isOpen() ? this.link : await this.open();
    if (this.closed) throw new HalError('CLOSED', `${this.description} is closed`);
    this.use(link);
    await link.write(bytes);
  }

  onData(listener: (chunk: Buffer) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Stops listening; the port stays open (the HAL owns it and closes it in Hal.close()). */
  close(): Promise<void> {
    this.closed = true;
    this.offData?.();
    this.offData = undefined;
    this.link = undefined;
    this.listeners.clear();
    return Promise.resolve();
  }

  private use(link: SerialLink): void {
    if (link === this.link) return;
    this.offData?.();
    this.link = link;
    this.offData = link.onData((chunk) => {
      for (const listener of [...this.listeners]) listener(chunk);
    });
  }
}
