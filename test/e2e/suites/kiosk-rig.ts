// What the technician tests run against: an embedded broker, a network ticket printer, and a
// sim kiosk whose two category buttons a test presses through the device's sim control socket.
import { startAedesBroker, type EmbeddedBroker } from '../../../simulators/hall/aedes-broker.js';
import { VirtualEscPosPrinter, serveVirtualPrinter } from '../../../simulators/escpos-printer/index.js';
import { controlRequest } from '../../../firmware/control/control-client.js';
import { globalTimers } from '../../../drivers/clock/timers.js';
import { waitFor } from '../../../testkit/wait.js';

export interface KioskRig {
  broker: EmbeddedBroker;
  printer: VirtualEscPosPrinter;
  /** The virtual printer's TCP port on 127.0.0.1. */
  printerPort: number;
}

export async function kioskRig(t: { teardown(fn: () => unknown): void }): Promise<KioskRig> {
  const broker = await startAedesBroker({ port: 0 });
  t.teardown(() => broker.close());
  const printer = new VirtualEscPosPrinter();
  const net = await serveVirtualPrinter(printer, { host: '127.0.0.1', port: 0 });
  t.teardown(() => net.close());
  return { broker, printer, printerPort: net.port };
}

/** io and ticket-printer section of a kiosk with a 社保 and a 税务 button (20 ms debounce) and no page. */
export function twoButtonKiosk(printerPort: number, section: Record<string, unknown> = {}): { io: Record<string, unknown>; section: Record<string, unknown> } {
  return {
    io: {
      inputs: { 'btn-social': { pin: 'GPIO17', debounceMs: 20 }, 'btn-tax': { pin: 'GPIO27', debounceMs: 20 } },
      printers: { main: { tcp: { host: '127.0.0.1', port: printerPort } } },
    },
    section: {
      printer: 'main',
      categories: [
        { id: 'social', name: '社保业务', prefix: 'A' },
        { id: 'tax', name: '税务登记', prefix: 'B' },
      ],
      buttons: [
        { input: 'btn-social', category: 'social' },
        { input: 'btn-tax', category: 'tax' },
      ],
      kiosk: { enabled: false },
      ...section,
    },
  };
}

/** Waits until the daemon answers on its control socket (and, with `online`, is connected to its broker). */
export function untilControlAnswers(dataDir: string, online = false): Promise<unknown> {
  return waitFor(
    online ? 'device online on its control socket' : 'device answering on its control socket',
    async () => {
      const s = await controlRequest(dataDir, { op: 'status' }, globalTimers).catch(() => undefined);
      if (!s) return undefined;
      return !online || (s['broker'] as { connected?: boolean } | undefined)?.connected === true;
    },
    20_000,
    100,
  );
}
