// A staff photo given as a URL on the hall server: the device fetches it, keeps it in its data
// dir (the store) keyed by the URL with the content's SHA-256, and serves it on the page itself,
// so after a restart with the hall server gone the card still shows the face. In Chromium the
// photo decodes. The fetch rules (scheme, size, type, timeout) are in photo-fetch.test.ts.
import t from 'tap';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { evaluatorFixture, STAFF } from './evaluator-fixture.js';
import { waitFor } from '../../../testkit/wait.js';
import { launchChromium, openTouchPage } from '../../../testkit/chromium.js';
import { solidPng } from './solid-png.js';

t.setTimeout(120_000);

async function photoServer(t: { teardown(fn: () => unknown): void }, png: Buffer): Promise<{ url: string; hits: () => number; stop: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((req, res) => {
    hits++;
    if (req.url === '/staff/gz-0107.png') {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(png);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  t.teardown(stop);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/staff/gz-0107.png`, hits: () => hits, stop };
}

const browser = await launchChromium(t);

t.test('a photo URL is fetched, served by the device, and still shown after a restart with the hall server gone', async (t) => {
  const png = solidPng(3, 4, [0, 128, 255]);
  const hall = await photoServer(t, png);
  const e = await evaluatorFixture(t);
  const ack = await e.command('staff', { ...STAFF, photo: hall.url } as unknown as Record<string, unknown>);
  t.equal(ack.ok, true);
  const want = `data:image/png;base64,${png.toString('base64')}`;
  const view = await waitFor('the photo in the view, served by the device', async () => {
    const staff = (await e.view()).staff;
    return staff?.photo === want ? staff : undefined;
  });
  t.equal(view.photo, want);
  t.equal(hall.hits(), 1, 'fetched once');

  await hall.stop();
  await e.restart();
  t.equal((await e.view()).staff?.photo, want, 'after the restart, with the hall server stopped, the cached photo');

  if (browser) {
    const { page, tid } = await openTouchPage(t, browser);
    await page.goto(e.url);
    await tid('staff-card').waitFor();
    t.ok(
      await tid('staff-photo').evaluate((node) => {
        const img = node as unknown as { complete: boolean; naturalWidth: number; naturalHeight: number };
        return img.complete && img.naturalWidth === 3 && img.naturalHeight === 4;
      }),
      'Chromium decodes the cached photo (3x4)',
    );
  }
});

t.test('a photo URL that cannot be fetched: the card shows without a photo, the command still counts', async (t) => {
  const e = await evaluatorFixture(t);
  let photo: { state?: string } | undefined;
  const off = e.server.client.onState((device, role, s) => {
    if (device === 'eval-1' && role === 'evaluator') photo = s.data['photo'] as typeof photo;
  });
  t.teardown(off);
  const ack = await e.command('staff', { ...STAFF, photo: 'http://127.0.0.1:9/none.png' } as unknown as Record<string, unknown>);
  t.equal(ack.ok, true);
  const state = await waitFor('photo fault in the retained state', () => (photo?.state === 'failed' ? photo : undefined));
  t.match(state, { state: 'failed', url: 'http://127.0.0.1:9/none.png', error: /ECONNREFUSED|fetch failed/ });
  t.equal((await e.view()).staff?.photo, undefined, 'no photo (the page shows the initial)');
  t.equal((await e.view()).staff?.name, STAFF.name);
});
