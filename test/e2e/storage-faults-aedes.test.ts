// The brief's disk-full scenario on a whole device (in-process runtime, aedes, a real full
// tmpfs): sys/test-events gets INTERNAL "storage full", sys/diag's store self-test and the
// retained status name the fault, and both clear once space is back.
import t from 'tap';
import { join } from 'node:path';
import { startAedesBroker } from '../../simulators/hall/aedes-broker.js';
import { parseConfig } from '../../firmware/config/parse-config.js';
import { Runtime } from '../../firmware/runtime.js';
import { silentLogger } from '../../firmware/log.js';
import type { StatusOnline } from '../../protocol/messages.js';
import { testServer } from '../../testkit/hall-server.js';
import { smallDisk } from '../../testkit/small-disk.js';
import { waitFor } from '../../testkit/wait.js';
import { deviceConfig } from './suites/device-config.js';

interface StoreResult {
  name: string;
  ok: boolean;
  detail: string;
}

t.test('disk full on a running device: answers, diag and status', async (t) => {
  const disk = await smallDisk(t, 16);
  if ('unavailable' in disk) return void t.plan(0, disk.unavailable);
  const broker = await startAedesBroker();
  t.teardown(() => broker.close());
  const server = await testServer(t, { url: broker.url });
  const runtime = await Runtime.start(parseConfig({ ...deviceConfig(broker.url, 'full-1'), dataDir: join(disk.dir, 'data') }), { log: silentLogger() });
  t.teardown(() => runtime.stop('test end'));
  const birth = await server.waitOnline('full-1');
  t.same(birth.store, { ok: true }, 'the birth says the store is fine');

  disk.fill();
  const ack = await server.client.command('full-1', 'sys/test-events', { count: 5, tag: 'full' });
  t.match(ack, { ok: false, error: { code: 'INTERNAL', message: /^storage full/ } });
  const diag = await server.client.command('full-1', 'sys/diag', {});
  t.equal(diag.ok && diag.data?.['ok'], false, 'diag is not ok');
  const store = diag.ok ? (diag.data?.['results'] as StoreResult[]).find((r) => r.name === 'store') : undefined;
  t.match(store, { ok: false, detail: /^storage full/ });
  const faulty = await waitFor('status with the store fault', () => {
    const s = server.client.status('full-1') as StatusOnline | undefined;
    return s?.store?.ok === false ? s : undefined;
  });
  t.match(faulty.store, { ok: false, fault: 'storage full' });

  disk.free();
  const healed = await server.client.command('full-1', 'sys/diag', {});
  t.equal(healed.ok && healed.data?.['ok'], true, 'diag ok once space is back');
  await waitFor('status ok again', () => (server.client.status('full-1') as StatusOnline | undefined)?.store?.ok === true);
  const again = await server.client.command('full-1', 'sys/test-events', { count: 5, tag: 'freed' });
  t.match(again, { ok: true, data: { emitted: 5 } });
});

t.test('a config that arrives while the disk is full does not wedge config handling', async (t) => {
  const disk = await smallDisk(t, 16);
  if ('unavailable' in disk) return void t.plan(0, disk.unavailable);
  const broker = await startAedesBroker();
  t.teardown(() => broker.close());
  const server = await testServer(t, { url: broker.url });
  const runtime = await Runtime.start(parseConfig({ ...deviceConfig(broker.url, 'full-2'), dataDir: join(disk.dir, 'data') }), { log: silentLogger() });
  t.teardown(() => runtime.stop('test end'));
  await server.waitOnline('full-2');

  disk.fill();
  await server.client.publishConfig('full-2', 5, { roles: { sys: { identifyMs: 3000 } } });
  // Barrier: diag runs after the config message was taken in (one connection, in order) and finds the disk full.
  const diag = await server.client.command('full-2', 'sys/diag', {});
  t.equal(diag.ok && diag.data?.['ok'], false);
  disk.free();
  await server.client.publishConfig('full-2', 6, { roles: { sys: { identifyMs: 4000 } } });
  const applied = await waitFor('config.applied rev 6', () => server.eventsNamed('config.applied').find((e) => e.message.data['rev'] === 6));
  t.ok(applied, 'the next config is handled');
  t.equal((server.client.status('full-2') as StatusOnline | undefined)?.configRev, 6);
});
