// The Scanner contract on the serial scanner driver over a virtual serial port (serialport's
// stream on a VirtualSerialBus, a byte-level VirtualScanner on the other end) and through the
// sim HAL's hal.scanner(). On hardware (HALLD_TEST_SCANNER=/dev/ttyACM0) a person scans a code
// whose content HALLD_TEST_SCANNER_CODE gives.
import t from 'tap';
import { SerialScanner } from '../../drivers/scanner/serial-scanner.js';
import { createSimHal } from '../../assembly/create-hal.js';
import { systemClock } from '../../drivers/clock/system-clock.js';
import { VirtualScanner } from '../../simulators/scanner/virtual-scanner.js';
import { VirtualSerialBus } from '../../simulators/serial/virtual-serial-bus.js';
import { openSerialLink, type SerialLink } from './hal-imports.js';
import { scannerContract } from './scanner.js';
import { until } from '../../testkit/wait.js';
import { hardwarePart, runIf } from './hardware-part.js';

const quiet = { onWarning: () => undefined, onListenerError: () => undefined };

t.test('SerialScanner over a virtual serial port', async (t) => {
  scannerContract(t, {
    open: async (t) => {
      const bus = new VirtualSerialBus();
      const virtual = new VirtualScanner();
      bus.attach('/dev/ttyACM0', virtual);
      let link: SerialLink | undefined;
      const scanner = await SerialScanner.open({
        name: 'desk',
        clock: systemClock,
        openLink: async () => (link = await openSerialLink({ name: 'scanner-port', path: '/dev/ttyACM0', baudRate: 9600, binding: bus.binding })),
        ...quiet,
      });
      t.teardown(async () => {
        await scanner.close();
        await link?.close();
      });
      return { scanner, scan: (code, options) => virtual.scan(code, options ?? {}), nowMs: () => systemClock.monotonicMs(), link: () => link };
    },
  });
});

t.test('hal.scanner() on the sim board', async (t) => {
  scannerContract(t, {
    open: async (t) => {
      const hal = await createSimHal({ board: 'sim', io: { serial: { 'scanner-port': { path: '/dev/ttyACM0' } }, scanners: { desk: { serial: 'scanner-port' } } } });
      t.teardown(() => hal.close());
      const scanner = await hal.scanner('desk');
      const link = await hal.serial('scanner-port');
      return { scanner, scan: (code, options) => hal.sim.scan('desk', code, options ?? {}), nowMs: () => hal.clock.monotonicMs(), link: () => link };
    },
  });
});

const port = hardwarePart('HALLD_TEST_SCANNER', 'set HALLD_TEST_SCANNER=/dev/ttyACM0 and HALLD_TEST_SCANNER_CODE=<what the test barcode holds>, then scan it when asked');
const expected = process.env['HALLD_TEST_SCANNER_CODE'] ?? '';

t.test('a real scanner (HALLD_TEST_SCANNER): the test code arrives once, without its suffix', runIf(port), async (t) => {
  let link: SerialLink | undefined;
  const scanner = await SerialScanner.open({ name: 'scanner', clock: systemClock, openLink: async () => (link = await openSerialLink({ name: 'scanner', path: port.value ?? '', baudRate: 9600 })) });
  t.teardown(async () => {
    await scanner.close();
    await link?.close();
  });
  const codes: string[] = [];
  scanner.onScan((code) => codes.push(code));
  t.comment(`scan the test code (${expected}) within 60 s`);
  await until('a scan', () => codes.length > 0, 60_000);
  t.same(codes, [expected]);
});
