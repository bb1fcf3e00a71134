// The cabinet's touch page in headless Chromium on the real role (aedes, reference server,
// 8a80 simulator): a pickup code typed on the keypad opens its door, a wrong one says how many
// tries are left, a drop-off opens a free door and shows the receipt once the door is closed.
import t from 'tap';
import { KEYPAD, KEYPAD_IO, lockerFixture } from './locker-fixture.js';
import { isSimHal } from '../../../simulators/hal/sim-hal.js';
import { launchChromium, openTouchPage } from '../../../testkit/chromium.js';

t.setTimeout(120_000);

const browser = await launchChromium(t);
if (browser) {
  t.test('keypad code → door opens; wrong code → tries left; drop-off → receipt after close', async (t) => {
    const e = await lockerFixture(t);
    await e.deposit(3, 'dep-page', '4281');
    const { page, tid, errors } = await openTouchPage(t, browser);
    await page.goto(e.url);
    await e.run(tid('size-L').waitFor());
    t.match(await tid('size-L').textContent(), /空闲 1/);
    t.equal(await tid('size-XL').isDisabled(), true, 'no XL door: its button is off');

    for (const digit of '4281') await page.locator('.keys button', { hasText: new RegExp(`^${digit}$`) }).click();
    await tid('code-submit').click();
    await e.run(tid('door-opened').waitFor());
    t.equal(await tid('door-number').textContent(), '3', 'door 3, large');
    t.ok(e.board.isOpen(3), 'the door opened');
    t.equal(await tid('code-input').inputValue(), '', 'the code is cleared');

    await tid('code-input').fill('9999');
    await tid('code-submit').click();
    await e.run(page.locator('[data-testid="message"]:has-text("还可尝试 2 次")').waitFor());

    await tid('size-L').click();
    await e.run(page.locator('[data-testid="message"]:has-text("4 号柜门已打开")').waitFor());
    e.board.closeDoor(4);
    const dropped = await e.until('item.dropped-off', () => e.events('item.dropped-off')[0]);
    const receipt = dropped.message.data['receiptCode'] as string;
    await e.run(page.locator(`[data-testid="receipt"]:has-text("${receipt}")`).waitFor());
    t.match(await tid('size-L').textContent(), /空闲 0/, 'the door is taken now');
    t.same(errors, []);
  });

  t.test('the physical keypad: its entry shows masked on the page, then its result', async (t) => {
    const e = await lockerFixture(t, { io: KEYPAD_IO, role: { keypad: KEYPAD } });
    await e.deposit(2, 'dep-keys', '5150');
    const { page, tid, errors } = await openTouchPage(t, browser);
    await page.goto(e.url);
    await e.run(tid('size-L').waitFor());
    const hal = e.runtime.hal;
    if (!isSimHal(hal)) throw new Error('expected the sim board');
    const key = (name: string) => {
      hal.sim.press(name);
      e.time.tick(50);
      hal.sim.release(name);
      e.time.tick(50);
    };
    for (const d of '515') key(`key-${d}`);
    await e.run(page.locator('[data-testid="keypad-entry"]:has-text("•••")').waitFor());
    t.notOk((await page.content()).includes('515'), 'the digits are not on the page');
    key('key-0');
    key('key-enter');
    await e.run(tid('door-opened').waitFor());
    t.equal(await tid('door-number').textContent(), '2');
    t.ok(e.board.isOpen(2), 'the door opened');
    t.equal(await tid('keypad-entry').isHidden(), true, 'the entry is empty again');
    t.same(errors, []);
  });
}
