import t from 'tap';
import { decodeStatus, isStatusByte } from '../../../drivers/printer/index.js';

const HEALTHY = 0x12;
const all = (printer: number, offlineCause: number, errorCause: number | null = HEALTHY, paperSensor: number | null = HEALTHY) =>
  decodeStatus({ printer, offlineCause, errorCause, paperSensor });

t.test('recognises status bytes by (b & 0x93) === 0x12', async (t) => {
  for (const b of [0x12, 0x16, 0x1a, 0x32, 0x72, 0x7e, 0x5a]) t.ok(isStatusByte(b), b.toString(16));
  for (const b of [0x00, 0x11, 0x13, 0x0c, 0x03, 0x92, 0xff]) t.notOk(isStatusByte(b), b.toString(16));
});

t.test('healthy', async (t) => {
  const s = all(HEALTHY, HEALTHY);
  t.ok(s.ready);
  t.ok(s.online);
  t.same(s.faults, []);
});

t.test('paper out: n=1 offline, n=2 0x32, n=4 0x72', async (t) => {
  const s = all(0x1a, 0x32, HEALTHY, 0x72);
  t.ok(s.paperOut);
  t.notOk(s.ready);
  t.notOk(s.online);
  t.same(s.faults, ['paper-out']);
  t.ok(all(HEALTHY, HEALTHY, HEALTHY, 0x72).paperOut, 'roll sensor alone is enough');
  t.ok(all(0x1a, 0x32, null, null).paperOut, 'n=2 alone is enough');
});

t.test('paper low: n=4 0x1e, still ready', async (t) => {
  const s = all(HEALTHY, HEALTHY, HEALTHY, 0x1e);
  t.ok(s.paperLow);
  t.ok(s.ready);
  t.same(s.faults, ['paper-low']);
});

t.test('cover open: n=2 0x16', async (t) => {
  const s = all(0x1a, 0x16);
  t.ok(s.coverOpen);
  t.notOk(s.ready);
  t.same(s.faults, ['cover-open']);
});

t.test('cutter error: n=3 0x1a', async (t) => {
  const s = all(0x1a, 0x52, 0x1a);
  t.ok(s.cutterError);
  t.ok(s.errorOccurred);
  t.notOk(s.ready);
  t.same(s.faults, ['cutter']);
});

t.test('offline without a reported cause', async (t) => {
  const s = all(0x1a, HEALTHY);
  t.notOk(s.online);
  t.notOk(s.ready);
  t.same(s.faults, ['offline']);
});

t.test('other error bits stop printing', async (t) => {
  t.ok(all(HEALTHY, HEALTHY, 0x16).mechanicalError);
  t.notOk(all(HEALTHY, HEALTHY, 0x16).ready);
  t.ok(all(HEALTHY, HEALTHY, 0x32).unrecoverableError);
  t.ok(all(HEALTHY, HEALTHY, 0x52).autoRecoverableError);
  t.ok(all(0x52, HEALTHY).feedButtonPressed);
  t.ok(all(0x52, HEALTHY).ready, 'a pressed feed button alone does not stop printing');
});

t.test('queries not sent are reported as null', async (t) => {
  const s = all(HEALTHY, HEALTHY, null, null);
  t.same(s.raw, { printer: HEALTHY, offlineCause: HEALTHY, errorCause: null, paperSensor: null });
  t.notOk(s.paperLow);
});
