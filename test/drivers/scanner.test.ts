// The serial scanner driver: codes framed by each suffix mode however the USB stack cuts the
// stream, GB18030 scanners, line noise that must not grow memory, listeners that throw, and
// the same driver on the sim board behind hal.scanner() with a byte-level virtual scanner.
import t from 'tap';
import iconv from 'iconv-lite';
import { ScanFramer } from '../../drivers/scanner/scan-framer.js';
import { RECONNECT_INTERVAL_MS, SerialScanner, type SerialScannerOptions } from '../../drivers/scanner/serial-scanner.js';
import { createSimHal } from '../../assembly/create-hal.js';
import type { ScannerSuffix } from '../../assembly/io-schema.js';
import { createMemoryLinkPair } from '../../simulators/escpos-printer/sim-serial-cable.js';
import { ManualClock } from '../../simulators/clock/manual-clock.js';
import { VirtualScanner } from '../../simulators/scanner/virtual-scanner.js';
import { VirtualSerialBus } from '../../simulators/serial/virtual-serial-bus.js';
import { openSerialLink } from '../../drivers/serial/serial-link.js';
import { useFakeTime, settle, type Teardown } from './fake-time.js';

/** Every way to cut `bytes` into two or three chunks (and one byte at a time). */
function splits(bytes: Buffer): Buffer[][] {
  const out: Buffer[][] = [[bytes], [...bytes].map((b) => Buffer.from([b]))];
  for (let i = 1; i < bytes.length; i++) {
    out.push([bytes.subarray(0, i), bytes.subarray(i)]);
    for (let j = i + 1; j < bytes.length; j++) out.push([bytes.subarray(0, i), bytes.subarray(i, j), bytes.subarray(j)]);
  }
  return out;
}

function frame(suffix: ScannerSuffix, chunks: readonly Buffer[], maxLength = 64): { lines: string[]; overflows: number } {
  const lines: string[] = [];
  let overflows = 0;
  const framer = new ScanFramer({ suffix, maxLength, onLine: (b) => lines.push(b.toString('latin1')), onOverflow: () => overflows++ });
  for (const chunk of chunks) framer.push(chunk);
  return { lines: lines.filter((l) => l.trim() !== '').map((l) => l.trim()), overflows };
}

const CASES: ReadonlyArray<[ScannerSuffix, string, string[]]> = [
  ['auto', 'APT-1\r\nAPT-2\rAPT-3\nAPT-4\r\n', ['APT-1', 'APT-2', 'APT-3', 'APT-4']],
  ['cr', 'APT-1\rAPT-2\r\nAPT-3\r', ['APT-1', 'APT-2', 'APT-3']],
  ['lf', 'APT-1\nAPT-2\r\nAPT-3\n', ['APT-1', 'APT-2', 'APT-3']],
  ['crlf', 'A\rB\r\nCD\r\nE\nF\r\n', ['A\rB', 'CD', 'E\nF']],
];

t.test('framing: each suffix mode gives the same codes however the stream is cut', async (t) => {
  for (const [suffix, stream, expected] of CASES) {
    const cuts = splits(Buffer.from(stream, 'latin1'));
    const wrong = cuts.find((chunks) => JSON.stringify(frame(suffix, chunks).lines) !== JSON.stringify(expected));
    t.notOk(wrong, `${suffix}: ${cuts.length} ways to cut ${JSON.stringify(stream)} all give ${JSON.stringify(expected)}`);
  }
  t.same(frame('crlf', [Buffer.from('NO-SUFFIX\r')]).lines, [], 'crlf: a CR alone does not end a code');
  t.same(frame('cr', [Buffer.from('A\nB\n')]).lines, [], 'cr: LF alone does not end a code');
});

t.test('framing: a line past maxLength is dropped up to its suffix, once, and memory stays bounded', async (t) => {
  const garbage = Buffer.alloc(10_000, 0x55);
  const r = frame('auto', [garbage.subarray(0, 3000), garbage.subarray(3000), Buffer.from('TAIL\r\nGOOD-1\r\n')], 16);
  t.same(r.lines, ['GOOD-1'], 'the tail of the noise is not read as a code');
  t.equal(r.overflows, 1, 'one warning per dropped line');
  t.same(frame('auto', [Buffer.from('1234567890123456\r')], 16).lines, ['1234567890123456'], 'exactly maxLength is a code');
  t.same(frame('crlf', [Buffer.from('123456789012345\r'), Buffer.from('X\r\nOK\r\n')], 16).lines, ['OK'], 'crlf: a held CR counts toward the limit');
  t.throws(() => new ScanFramer({ suffix: 'auto', maxLength: 0, onLine: () => undefined, onOverflow: () => undefined }), RangeError);
});

/**
 * Lets I/O callbacks run until `done`, without sleeping: fake timers do not drive serial
 * streams or module loading, so this yields to the event loop, with a real-time deadline
 * (process.hrtime, which sinon does not fake).
 */
async function until(what: string, done: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = process.hrtime.bigint() + BigInt(timeoutMs) * 1_000_000n;
  while (!done()) {
    if (process.hrtime.bigint() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** The real driver on an in-memory cable; each device write arrives as one chunk. */
async function rig(t: Teardown, options: Partial<SerialScannerOptions> = {}) {
  const { host, device } = createMemoryLinkPair('/dev/ttyACM-scanner');
  const clock = new ManualClock();
  const warnings: string[] = [];
  const listenerErrors: string[] = [];
  const scanner = await SerialScanner.open({
    name: 'desk',
    openLink: async () => host,
    clock,
    onWarning: (part, message) => warnings.push(`${part}: ${message}`),
    onListenerError: (part, err) => listenerErrors.push(`${part}: ${(err as Error).message}`),
    ...options,
  });
  t.teardown(() => scanner.close());
  const scans: Array<[string, number]> = [];
  scanner.onScan((code, atMs) => scans.push([code, atMs]));
  const send = async (...chunks: Array<Buffer | string>) => {
    for (const chunk of chunks) await device.write(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    await settle();
  };
  return { scanner, scans, send, clock, warnings, listenerErrors, host, device };
}

t.test('SerialScanner: trimmed codes with the clock time, blank lines ignored, UTF-8 cut mid-character', async (t) => {
  const r = await rig(t);
  r.clock.advance(500);
  const code = Buffer.from('  预约-0042 \r\n\r\n', 'utf8');
  await r.send(code.subarray(0, 4), code.subarray(4));
  t.same(r.scans, [['预约-0042', 1500]]);
  t.same(r.scanner.health(), { ok: true, data: { scans: 1, discardedLines: 0, path: '/dev/ttyACM-scanner' } });
});

t.test('SerialScanner: a GB18030 scanner (4-byte characters too)', async (t) => {
  const r = await rig(t, { encoding: 'gb18030', suffix: 'cr' });
  const bytes = iconv.encode('张三 𠮷 APT-7\r', 'gb18030');
  t.equal(bytes.length, 16, '张 三 are 2 bytes each, 𠮷 is 4');
  await r.send(bytes.subarray(0, 1), bytes.subarray(1, 7), bytes.subarray(7));
  t.same(r.scans.map(([c]) => c), ['张三 𠮷 APT-7']);
});

t.test('SerialScanner: noise without a suffix is dropped with one warning; the next code still reads', async (t) => {
  const r = await rig(t, { maxLength: 32 });
  const noise = Buffer.alloc(4096);
  for (let i = 0; i < noise.length; i++) noise[i] = 0x20 + (i % 90); // printable, no CR/LF
  await r.send(noise.subarray(0, 1000), noise.subarray(1000), 'end of noise\r\nAPT-9\r\n');
  t.same(r.scans.map(([c]) => c), ['APT-9']);
  t.same(r.warnings, ['scanner:desk: a line grew past 32 bytes without a suffix; discarding it up to the next suffix']);
  t.match(r.scanner.health(), { ok: true, data: { discardedLines: 1, scans: 1 } });
});

t.test('SerialScanner: a listener that throws is reported; other listeners and later scans go on', async (t) => {
  const r = await rig(t);
  const off = r.scanner.onScan(() => {
    throw new Error('role bug');
  });
  const after: string[] = [];
  r.scanner.onScan((code) => after.push(code));
  await r.send('APT-1\r');
  off();
  await r.send('APT-2\r');
  t.same(r.listenerErrors, ['scanner:desk: role bug']);
  t.same(after, ['APT-1', 'APT-2']);
  t.same(r.scans.map(([c]) => c), ['APT-1', 'APT-2']);
  await r.scanner.close();
  await r.send('APT-3\r');
  t.same(after, ['APT-1', 'APT-2'], 'nothing after close');
  t.match(r.scanner.health(), { ok: false, detail: 'closed' });
});

t.test('SerialScanner: a port that is missing at start, or unplugged later, is retried until it is back', async (t) => {
  const time = useFakeTime(t);
  const bus = new VirtualSerialBus();
  const virtual = new VirtualScanner();
  let link: Awaited<ReturnType<typeof openSerialLink>> | undefined;
  const openLink = async () => {
    if (link?.isOpen()) return link;
    link = await openSerialLink({ name: 'scanner-port', path: '/dev/ttyACM0', baudRate: 9600, binding: bus.binding });
    return link;
  };
  const scanner = await SerialScanner.open({ name: 'desk', openLink, clock: { monotonicMs: () => performance.now() } });
  t.teardown(async () => {
    await scanner.close();
    await link?.close();
  });
  t.match(scanner.health(), { ok: false, detail: /port closed: serial port scanner-port \(\/dev\/ttyACM0\) could not be opened.*retrying every 2000 ms/ });
  const codes: string[] = [];
  scanner.onScan((c) => codes.push(c));

  bus.attach('/dev/ttyACM0', virtual); // plugged in
  time.tick(RECONNECT_INTERVAL_MS - 1);
  await settle();
  t.notOk(scanner.isOpen(), 'not before the retry interval');
  time.tick(1);
  await until('the retry opens the port', () => scanner.isOpen());
  t.ok(scanner.isOpen(), 'opened on the next retry');
  await virtual.scan('APT-1', { chunkSize: 2 });
  await until('the code', () => codes.length === 1);
  t.same(codes, ['APT-1']);

  bus.unplug('/dev/ttyACM0');
  await until('the unplug is noticed', () => scanner.health().detail?.includes('unplugged') === true);
  t.match(scanner.health(), { ok: false, detail: /port closed: .*unplugged/ });
  await t.rejects(virtual.scan('LOST'), /has not opened/);
  bus.replug('/dev/ttyACM0');
  time.tick(RECONNECT_INTERVAL_MS);
  await until('the retry reopens the port', () => scanner.isOpen());
  t.ok(scanner.isOpen(), 'reopened on the first retry after the replug');
  await virtual.scan('APT-2');
  await until('the second code', () => codes.length === 2);
  t.same(codes, ['APT-1', 'APT-2']);
});

t.test('on the sim board: hal.sim.scan reaches a hal.scanner() listener through the real driver', async (t) => {
  const time = useFakeTime(t, 0);
  const hal = await createSimHal({
    board: 'sim',
    io: {
      serial: { 'scanner-port': { path: '/dev/ttyACM0', baudRate: 115200 }, 'cn-port': { path: '/dev/ttyACM1' } },
      scanners: { desk: { serial: 'scanner-port' }, cn: { serial: 'cn-port', encoding: 'gb18030', suffix: 'lf' } },
    },
  });
  t.teardown(() => hal.close());
  t.same(hal.describe().scanners, ['desk', 'cn']);
  await t.rejects(hal.sim.scan('desk', 'TOO-EARLY'), /has not opened/, 'nobody opened the scanner yet');
  const scanner = await hal.scanner('desk');
  t.equal(await hal.scanner('desk'), scanner, 'one scanner per name');
  t.equal(scanner.name, 'desk');
  const got: Array<[string, number]> = [];
  scanner.onScan((code, atMs) => got.push([code, atMs]));
  time.tick(1234);
  await hal.sim.scan('desk', 'APT-2026-0001', { chunks: [3, 5, 1] });
  await hal.sim.scan('desk', 'APT-2026-0002', { chunkSize: 1 });
  await until('both codes', () => got.length === 2);
  t.same(got, [
    ['APT-2026-0001', 1234],
    ['APT-2026-0002', 1234],
  ]);
  const cn: string[] = [];
  (await hal.scanner('cn')).onScan((c) => cn.push(c));
  await hal.sim.scan('cn', '预约 张三', { chunkSize: 3 });
  await until('the GB18030 code', () => cn.length === 1);
  t.same(cn, ['预约 张三'], 'GB18030 in, the same text out');
  t.equal(hal.sim.virtualScanner('cn').scans, 1);

  const results = await hal.selfTest();
  t.match(
    results.filter((r) => r.name.startsWith('scanner:')),
    [
      { name: 'scanner:desk', ok: true, data: { serial: 'scanner-port', path: '/dev/ttyACM0', scans: 2 } },
      { name: 'scanner:cn', ok: true },
    ],
  );
  hal.sim.unplugSerial('scanner-port');
  await until('the unplug is noticed', () => hal.sim.virtualScanner('desk').isConnected() === false);
  t.match((await hal.selfTest()).find((r) => r.name === 'scanner:desk'), { ok: false, detail: /port closed/ });
  await t.rejects(hal.scanner('nope'), { code: 'NOT_CONFIGURED', message: 'no scanner named "nope" in io.scanners (configured: desk, cn)' });
  t.throws(() => hal.sim.virtualScanner('nope'), { code: 'NOT_CONFIGURED' });
});
