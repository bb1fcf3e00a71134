// The evaluator as a board runs it: `halld run` as a child process on a real Mosquitto. The
// broker dies mid-rating; the citizen rates while it is down, the device is even SIGKILLed
// and restarted offline; when the broker returns the rating arrives, once.
import t from 'tap';
import { join } from 'node:path';
import { ReferenceServer } from '../../simulators/hall/reference-server.js';
import { deviceProcess } from '../../testkit/device-process.js';
import { freePort, startMosquitto, type MosquittoBroker } from '../../testkit/mosquitto.js';
import { mosquittoSkip } from '../../testkit/mosquitto-skip.js';
import { tempDir } from '../../testkit/temp.js';
import { waitFor } from '../../testkit/wait.js';
import { deviceConfig } from './suites/device-config.js';

const skip = mosquittoSkip();
const DEVICE = 'eval-9';

t.test('broker killed mid-rating: ratings given while it is down arrive after it returns, none lost or doubled', { skip }, async (t) => {
  const dir = await tempDir(t);
  let broker: MosquittoBroker = await startMosquitto(dir);
  t.teardown(() => broker.stop());
  const server = new ReferenceServer({ url: broker.url, hall: 'test-hall' });
  await server.start();
  t.teardown(() => server.stop());
  const pagePort = await freePort();
  const page = `http://127.0.0.1:${pagePort}/`;
  const device = await deviceProcess(t, join(dir, 'dev'), deviceConfig(broker.url, DEVICE, { roles: { sys: {}, evaluator: { page: { port: pagePort } } } }));
  const view = async () => (await (await fetch(new URL('api/view', page))).json()) as { online: boolean; screen: string; case: { caseId: string } | null };
  const rate = async (caseId: string, level: number, items: string[]) => {
    const res = await fetch(new URL('api/rate', page), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ caseId, level, items }) });
    return (await res.json()) as { ok: boolean; already?: boolean; reason?: string };
  };
  const submitted = (caseId: string) => server.events.filter((e) => e.device === DEVICE && e.name === 'rating.submitted' && e.message.data['caseId'] === caseId);

  device.start();
  await waitFor('evaluator online', () => server.client.status(DEVICE)?.online === true, 15_000);
  const req = { caseId: 'case-1', ticket: 'A001', staffId: 'S-1', window: '3号窗口', contentVersion: 'builtin-1' };
  t.equal((await server.client.command(DEVICE, 'evaluator/request', req)).ok, true);
  t.equal((await view()).screen, 'rating');

  await broker.stop();
  await waitFor('device sees the link down', async () => (await view()).online === false, 15_000);
  t.match(await rate('case-1', 2, []), { ok: false, reason: 'item-required' });
  t.match(await rate('case-1', 2, ['attitude']), { ok: true, already: false }, 'rated while the broker is down');
  t.match(await rate('case-1', 4, []), { ok: true, already: true }, 'a second tap gets the stored rating');

  // Power cut while still offline: the rating is on disk, the restarted device knows it.
  await device.kill('SIGKILL');
  device.start();
  await waitFor('page back after the restart', async () => (await view().catch(() => undefined))?.screen === 'idle', 15_000);
  t.match(await rate('case-1', 5, []), { ok: true, already: true }, 'after the restart the stored rating answers');

  broker = await startMosquitto(dir, { port: broker.port });
  const ev = await waitFor('rating.submitted after the broker returned', () => submitted('case-1')[0], 30_000);
  t.match(ev.message.data, { caseId: 'case-1', ticket: 'A001', level: 2, levelName: '不满意', items: ['attitude'], offline: true, channel: '实体大厅/评价器' });
  // Barrier: a later event of the same device arrives after any duplicate could have.
  await waitFor('device online again', () => server.client.status(DEVICE)?.online === true, 15_000);
  t.match(await server.client.command(DEVICE, 'evaluator/request', req), { ok: true, data: { state: 'rated' } }, 'the server asking again gets the rating, nothing starts');
  t.equal((await server.client.command(DEVICE, 'evaluator/request', { ...req, caseId: 'case-2' })).ok, true);
  t.equal((await server.client.command(DEVICE, 'evaluator/cancel', { caseId: 'case-2' })).ok, true);
  await waitFor('case-2 cancelled at the server', () => server.events.find((e) => e.device === DEVICE && e.name === 'rating.cancelled'), 15_000);
  t.equal(submitted('case-1').length, 1, 'exactly one rating.submitted for case-1');
});
