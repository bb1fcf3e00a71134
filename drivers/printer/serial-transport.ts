// PrinterTransport over a HAL SerialLink (RS-232 or USB-serial printers). The status reply
// comes back on the same port's RX line (Epson ESC/POS reference, DLE EOT).
import type { SerialLink } from '../hal/types.js';
import type { PrinterTransport } from './transport.js';

/**
 * Wraps a link the HAL opened. close() detaches from the link but leaves it open: the HAL
 * owns the port and closes it in Hal.close().
 */
export function serialLinkTransport(link: SerialLink): PrinterTransport {
  const detachers = new Set<() => void>();
  return {
    description: `serial ${link.path}`,
    write: (bytes) => link.write(bytes),
    onData(listener) {
      const off = link.onData(listener);
      detachers.add(off);
      return () => {
        detachers.delete(off);
        off();
      };
    },
    close() {
      for (const off of detachers) off();
      detachers.clear();
      return Promise.resolve();
    },
  };
}
