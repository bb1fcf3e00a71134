// A full disk stops the kiosk as a printer fault does: the touch page shows 暂停取号 instead of
// categories that would only fail, a button press is refused before a number is asked of the
// server, and once the disk has room again the kiosk notices by itself (its store is probed
// while faulted) and the menu comes back. A real full tmpfs (root only), the real role, the
// page in headless Chromium.
import t from 'tap';
import { join } from 'node:path';
import { kioskFixture } from './kiosk-fixture.js';
import { smallDisk } from '../../../testkit/small-disk.js';
import { launchChromium, openTouchPage } from '../../../testkit/chromium.js';

t.setTimeout(180_000);

const browser = await launchChromium(t);
if (browser) {
  t.test('disk full: 暂停取号 on the page, takes refused without a server number, back by itself once freed', async (t) => {
    const disk = await smallDisk(t, 24);
    if ('unavailable' in disk) return void t.plan(0, disk.unavailable);
    const k = await kioskFixture(t, { dataDir: join(disk.dir, 'data'), role: { takeTimeoutMs: 5_000 } });
    const { page, tid } = await openTouchPage(t, browser);
    await page.goto(k.url);
    await tid('cat-social').waitFor();

    disk.fill();
    const lost = await k.take('social');
    t.equal(lost.ok, false, 'the take that found the disk full is refused');
    await tid('blocked').waitFor({ timeout: 10_000 });
    t.match((await tid('blocked').textContent()) ?? '', /暂停取号/, 'the page shows 暂停取号 instead of the menu');
    t.match((await tid('blocked-reason').textContent()) ?? '', /存储/, 'and says it is the storage, not the printer');
    t.equal(await tid('cat-social').isVisible(), false, 'no category to tap');
    t.equal((await k.view()).blocked, 'storage-full');

    const asked = k.server.desk.issued.length;
    const pressed = await k.take('tax');
    t.match(pressed, { ok: false, reason: 'storage' }, 'a take meanwhile (a button) is refused at once');
    t.equal(k.server.desk.issued.length, asked, 'without taking a number from the server');

    disk.free();
    await tid('cat-social').waitFor({ timeout: 30_000 });
    t.equal((await k.view()).blocked, null, 'the store was probed and found writable again');
    const next = await k.take('social');
    t.equal(next.ok, true, `taking goes on (${JSON.stringify(next)})`);
  });
}
