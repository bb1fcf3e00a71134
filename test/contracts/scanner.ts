// The Scanner contract (drivers/hal/types.ts): each scan reaches every listener once, as the
// code without its suffix, whatever the suffix and however the port cuts the bytes, with the
// clock's time. "Once" is checked with a barrier: a later scan must arrive after it, and by
// then nothing more may have come. Run on the serial scanner driver over a virtual serial
// port, through the sim HAL, and on a real scanner when HALLD_TEST_SCANNER names its port.
import type { Test } from 'tap';
import type { Scanner, SerialLink } from './hal-imports.js';
import { until } from '../../testkit/wait.js';

export type ScanSuffix = 'cr' | 'lf' | 'crlf';

export interface ScannerUnderTest {
  scanner: Scanner;
  /** Sends `code` plus the suffix from the (virtual) scanner, in chunks of the given sizes. */
  scan(code: string, options?: { suffix?: ScanSuffix; chunks?: number[] }): Promise<void>;
  /** The scanner's clock now (what atMs is measured on). */
  nowMs(): number;
  /** The host end of the scanner's port: the barrier for "nothing delivered after close". */
  link(): SerialLink | undefined;
}

export interface ScannerSubject {
  open(t: Test): Promise<ScannerUnderTest>;
}

export function scannerContract(t: Test, subject: ScannerSubject): void {
  const rig = async (t: Test) => {
    const under = await subject.open(t);
    const codes: string[] = [];
    const times: number[] = [];
    under.scanner.onScan((code, atMs) => {
      codes.push(code);
      times.push(atMs);
    });
    /** Scans BARRIER-n and waits for it: everything sent before has been delivered by then. */
    let barriers = 0;
    const barrier = async () => {
      const mark = `BARRIER-${++barriers}`;
      await under.scan(mark);
      await until(mark, () => codes.includes(mark));
      codes.splice(codes.indexOf(mark), 1);
      times.pop();
    };
    return { ...under, codes, times, barrier };
  };

  t.test('each code once, without its suffix, in order, for every suffix', async (t) => {
    const r = await rig(t);
    await r.scan('APT-1', { suffix: 'cr' });
    await r.scan('APT-2', { suffix: 'lf' });
    await r.scan('APT-3', { suffix: 'crlf' });
    await r.barrier();
    t.same(r.codes, ['APT-1', 'APT-2', 'APT-3']);
  });

  t.test('however the port cuts the bytes (CR LF split between chunks included)', async (t) => {
    const r = await rig(t);
    await r.scan('APT-2026-0001', { suffix: 'crlf', chunks: [3, 5, 1] });
    await r.scan('APT-2026-0002', { suffix: 'crlf', chunks: [13, 1] }); // CR in one chunk, LF in the next
    await r.scan('APT-2026-0003', { suffix: 'crlf', chunks: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1] });
    await r.barrier();
    t.same(r.codes, ['APT-2026-0001', 'APT-2026-0002', 'APT-2026-0003']);
  });

  t.test('a Chinese code arrives intact, cut mid-character', async (t) => {
    const r = await rig(t);
    await r.scan('预约-张三-0042', { chunks: [4, 3] });
    await r.barrier();
    t.same(r.codes, ['预约-张三-0042']);
  });

  t.test("atMs is the scanner clock's time of the scan", async (t) => {
    const r = await rig(t);
    const before = r.nowMs();
    await r.scan('APT-T');
    await until('APT-T', () => r.codes.length === 1);
    const after = r.nowMs();
    t.ok(r.times[0]! >= before && r.times[0]! <= after, `${r.times[0]} within [${before}, ${after}]`);
  });

  t.test('a removed listener hears nothing; a listener that throws does not stop the others', async (t) => {
    const r = await rig(t);
    const removed: string[] = [];
    const off = r.scanner.onScan((code) => removed.push(code));
    r.scanner.onScan(() => {
      throw new Error('a role bug');
    });
    off();
    await r.scan('APT-L');
    await r.barrier();
    t.same(removed, []);
    t.same(r.codes, ['APT-L'], 'delivered past the throwing listener');
  });

  t.test('after close nothing is delivered; closing twice is fine', async (t) => {
    const r = await rig(t);
    const link = r.link();
    let arrived = 0;
    link?.onData((chunk) => (arrived += chunk.length));
    await r.scanner.close();
    await r.scanner.close();
    await r.scan('APT-LATE');
    // The barrier: the bytes reached the port, and the closed scanner made nothing of them.
    await until('the late scan reaching the port', () => arrived >= 'APT-LATE\r'.length);
    t.same(r.codes, []);
  });
}
