// Staged rollout across 20 simulated devices on a real broker (aedes in-process): one canary,
// then waves; every device that commits was pinged after its new birth; the rollout stops once
// the failures pass the threshold and the report lists every device's outcome.
import t, { type Test } from 'tap';
import { startAedesBroker } from '../../simulators/hall/aedes-broker.js';
import { HallClient } from '../../protocol/hall-client.js';
import { rollOut, selectDevices, waves, type UpdateOffer } from '../../protocol/rollout.js';
import { generateSigningKeys } from '../../protocol/signing.js';
import { simUpdateDevice } from '../../testkit/update-sim-device.js';

const HALL = 'roll-hall';
const OFFER: UpdateOffer = { version: '0.2.0', arch: 'arm64', size: 1000, sha256: 'a'.repeat(64), signature: 'sig', source: { url: 'http://hall-server/halld-0.2.0-linux-arm64.tar.gz' } };

async function broker(t: Test): Promise<string> {
  const b = await startAedesBroker();
  t.teardown(() => b.close());
  return b.url;
}

async function fleet(t: Test, failing: Set<string>) {
  const url = await broker(t);
  const keys = generateSigningKeys();
  const devices = Array.from({ length: 20 }, (_, i) => `d${String(i + 1).padStart(2, '0')}`);
  const sims = await Promise.all(devices.map((device) => simUpdateDevice(t, { url, hall: HALL, device, serverKey: keys.publicKeyPem, version: '0.1.0', fails: failing.has(device) })));
  const client = new HallClient({ url, hall: HALL, signingKey: keys.privateKeyPem });
  await client.connect();
  t.teardown(() => client.close());
  return { devices, sims, client };
}

t.test('waves: the canary alone, then doubling', async (t) => {
  const list = Array.from({ length: 20 }, (_, i) => `d${i}`);
  t.same(waves(list, 2).map((w) => w.length), [1, 2, 4, 8, 5]);
  t.same(waves(list, 2).flat(), list, 'every device once, in order');
  const ten = selectDevices(list, 10, '0.2.0');
  t.equal(ten.length, 2);
  t.same(selectDevices(list, 10, '0.2.0'), ten, 'the same devices for the same release');
  t.equal(selectDevices(list, 50, '0.2.0').length, 10);
});

t.test('all good: every device committed, waited for in waves', async (t) => {
  const { devices, sims, client } = await fleet(t, new Set());
  const seen: string[] = [];
  const report = await rollOut(client, { devices, update: OFFER, firstWave: 2, maxFailures: 1, deviceTimeoutMs: 20_000, onOutcome: (o) => seen.push(`${o.wave ?? '-'}:${o.device}`) });
  t.equal(report.stopped, undefined);
  t.equal(report.committed, 20);
  t.same(report.outcomes.map((o) => o.outcome), Array(20).fill('committed'));
  t.same(sims.map((s) => s.version()), Array(20).fill('0.2.0'));
  t.equal(seen[0], `0:${devices[0]}`, 'the canary first, alone');
  t.same([...new Set(report.outcomes.map((o) => o.wave))], [0, 1, 2, 3, 4]);
});

t.test('failures past the threshold stop the rollout; the rest are never sent the update', async (t) => {
  // d04 and d05 are in wave 2 (d04-d07); with maxFailures 1 the rollout stops after that wave.
  const { devices, sims, client } = await fleet(t, new Set(['d04', 'd05']));
  const report = await rollOut(client, { devices, update: OFFER, firstWave: 2, maxFailures: 1, deviceTimeoutMs: 20_000 });
  t.match(report.stopped, /2 devices did not commit, more than the 1 allowed/);
  const by = Object.fromEntries(report.outcomes.map((o) => [o.device, o.outcome]));
  t.same([by['d01'], by['d02'], by['d03'], by['d06'], by['d07']], ['committed', 'committed', 'committed', 'committed', 'committed']);
  t.equal(by['d04'], 'rolled-back');
  t.match(report.outcomes.find((o) => o.device === 'd04')?.reason, /crash loop/);
  for (const d of devices.slice(7)) t.equal(by[d], 'skipped', `${d} skipped`);
  t.same(sims.slice(7).map((s) => s.updates), Array(13).fill(0), 'no update command reached the devices after the stop');
  t.equal(report.outcomes.length, 20, 'the report lists every device');
});

t.test('a failing canary stops everything', async (t) => {
  const { devices, sims, client } = await fleet(t, new Set(['d01']));
  const report = await rollOut(client, { devices, update: OFFER, maxFailures: 5, deviceTimeoutMs: 20_000 });
  t.match(report.stopped, /the canary d01 did not commit \(rolled-back\)/);
  t.equal(sims.filter((s) => s.updates > 0).length, 1);
});

t.test('a device that refuses (an unsigned command is UNAUTHORIZED) counts as a failure', async (t) => {
  const url = await broker(t);
  const keys = generateSigningKeys();
  const other = generateSigningKeys();
  await simUpdateDevice(t, { url, hall: HALL, device: 'x1', serverKey: keys.publicKeyPem, version: '0.1.0' });
  const client = new HallClient({ url, hall: HALL, signingKey: other.privateKeyPem });
  await client.connect();
  t.teardown(() => client.close());
  const report = await rollOut(client, { devices: ['x1'], update: OFFER, deviceTimeoutMs: 10_000 });
  t.match(report.outcomes, [{ device: 'x1', outcome: 'refused', reason: /^UNAUTHORIZED: signature does not verify/ }]);
});

t.test('halld rollout: the release facts from the tarball, one line per device, exit 0 when all committed', async (t) => {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { tempDir } = await import('../../testkit/temp.js');
  const { makeTestRelease } = await import('../../testkit/test-release.js');
  const { runCli } = await import('../../testkit/device-process.js');
  const url = await broker(t);
  const keys = generateSigningKeys();
  const dir = await tempDir(t);
  await mkdir(dir, { recursive: true });
  const release = await makeTestRelease(dir, { version: '0.2.0', arch: 'x64' });
  const keyFile = join(dir, 'server.pem');
  await writeFile(keyFile, keys.privateKeyPem);
  const sims = await Promise.all(['k1', 'k2', 'k3'].map((device) => simUpdateDevice(t, { url, hall: HALL, device, serverKey: keys.publicKeyPem, version: '0.1.0' })));
  const r = await runCli(['rollout', HALL, '--broker', url, '--key', keyFile, '--tarball', release.tarball, '--url', 'http://hall-server/x.tar.gz', '--devices', 'k1,k2,k3', '--first-wave', '1', '--device-timeout', '20000'], 60_000);
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /rolling out halld 0\.2\.0 \(x64\) to 3 device\(s\)/);
  t.match(r.stdout, /k1\s+committed\s+canary/);
  t.match(r.stdout, /k3\s+committed\s+wave 2/);
  t.match(r.stdout, /3 committed, 0 not/);
  t.same(sims.map((s) => s.version()), ['0.2.0', '0.2.0', '0.2.0']);
  const bad = await runCli(['rollout', HALL, '--broker', url, '--key', keyFile, '--tarball', release.tarball, '--devices', 'k1'], 20_000);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /give exactly one of --url and --chunks/);
});
