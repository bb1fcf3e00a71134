// The SerialLink contract (drivers/hal/types.ts), run against every link (serial-link.test.ts) and,
// when HALLD_TEST_SERIAL names a port with a loopback plug (TX wired to RX), on hardware.
// Each case is behaviour a role relies on; none looks inside the driver.
import type { SerialLink } from './hal-imports.js';
import { HalError } from './hal-imports.js';
import type { Test } from 'tap';


export interface LoopbackRig {
  /** Opens the link under test; whatever it writes comes back (echo device or loopback plug). */
  open(): Promise<SerialLink>;
  /** Empty to run; a reason to skip. */
  skip?: string;
}

function collect(link: SerialLink, bytes: number, timeoutMs = 3000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let have = 0;
    const timer = setTimeout(() => {
      off();
      reject(new Error(`only ${have} of ${bytes} bytes came back within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = link.onData((chunk) => {
      chunks.push(chunk);
      have += chunk.length;
      if (have >= bytes) {
        clearTimeout(timer);
        off();
        resolve(Buffer.concat(chunks));
      }
    });
  });
}

export function serialLinkContract(t: Test, rig: LoopbackRig): void {
  const options = rig.skip ? { skip: rig.skip } : {};

  t.test('every byte value written comes back, in order', options, async (t) => {
    const link = await rig.open();
    t.teardown(() => link.close());
    t.ok(link.isOpen());
    const all = Buffer.from(Array.from({ length: 1024 }, (_, i) => (i * 7) % 256));
    const back = collect(link, all.length);
    await link.write(all);
    t.same([...(await back)], [...all]);
  });

  t.test('write takes any Uint8Array view, not only Buffers', options, async (t) => {
    const link = await rig.open();
    t.teardown(() => link.close());
    const backing = new Uint8Array([0xff, 0x10, 0x04, 0x02, 0xff]);
    const back = collect(link, 3);
    await link.write(backing.subarray(1, 4)); // DLE EOT 2 without the bytes around it
    t.same([...(await back)], [0x10, 0x04, 0x02]);
  });

  t.test('a removed data listener hears nothing more', options, async (t) => {
    const link = await rig.open();
    t.teardown(() => link.close());
    const heard: Buffer[] = [];
    const off = link.onData((c) => heard.push(c));
    off();
    const back = collect(link, 2);
    await link.write(Buffer.from([1, 2]));
    await back;
    t.same(heard, []);
  });

  t.test('close: not open, onClose once, later writes rejected with CLOSED', options, async (t) => {
    const link = await rig.open();
    const closes: Array<Error | undefined> = [];
    link.onClose((err) => closes.push(err));
    await link.close();
    await link.close(); // twice is fine
    t.notOk(link.isOpen());
    t.same(closes, [undefined], 'one close, no error for a close we asked for');
    const late: Array<Error | undefined> = [];
    link.onClose((err) => late.push(err));
    await new Promise((r) => setTimeout(r, 0));
    t.same(late, [undefined], 'a listener added after close still hears it, once');
    await t.rejects(link.write(Buffer.from([1])), { code: 'CLOSED' });
    const err = await link.write(Buffer.from([1])).catch((e: unknown) => e);
    t.ok(err instanceof HalError, 'a HalError callers can branch on');
  });
}
