// What the citizen at the cabinet sees when the pickup is not typed on the page, in headless
// Chromium on the real role (the sim board's GA 467 reader and QR scanner behind the real
// drivers): their ID card opens the door and the page shows its number large (measured in
// Chromium, with AA contrast); a scanned QR code's door shows the same way; another citizen's
// card says there is nothing to pick up for it, with the tries left; the third wrong try locks
// pickups and the page counts the lockout down. Nothing from a card (number, name, address)
// reaches the page: not in its DOM, not in /api/view, not on its event stream.
import t from 'tap';
import { isSimHal } from '../../../simulators/hal/sim-hal.js';
import { DEFAULT_SIM_CARD } from '../../../simulators/id-card-reader/sim-card.js';
import { launchChromium, openTouchPage, PORTRAIT } from '../../../testkit/chromium.js';
import { describeContrasts, lowContrast, textContrasts } from '../../../testkit/page-measure.js';
import { boundTo, ID_READER_IO, layCard, lockerFixture } from './locker-fixture.js';

t.setTimeout(180_000);

const OTHER = '110101199003070038'; // a well-formed number (GB 11643 check character 8) of someone else
/** A door number a citizen reads from a step back: at least a tenth of the portrait screen's width. */
const MIN_DOOR_DIGIT_PX = PORTRAIT.width / 10;

/** "4分59秒" → seconds. */
function secondsLeft(text: string): number {
  const m = /(\d+)\s*分\s*(\d+)\s*秒/.exec(text);
  return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
}

const browser = await launchChromium(t);
if (browser) {
  t.test('ID card and QR pickups show their door large, a stranger\'s card why not, then the lockout; nothing from the card on the page', async (t) => {
    const e = await lockerFixture(t, { io: ID_READER_IO, role: { idCardReader: 'desk' } });
    await e.deposit(2, 'dep-card', '739104', await boundTo(DEFAULT_SIM_CARD.number));
    await e.deposit(1, 'dep-qr', 'QR-5c1e07');
    const { page, tid, errors } = await openTouchPage(t, browser, { viewport: PORTRAIT });
    await page.goto(e.url);
    await e.run(tid('size-L').waitFor());
    /** The card on the reader lifted long enough for the reader to notice (it polls every 100 ms), then this one laid. */
    const relay = async (number: string) => {
      const hal = e.runtime.hal;
      if (isSimHal(hal)) hal.sim.idCardReader('desk').removeCard();
      const from = e.time.clock.monotonicMs();
      await e.until('the card lifted', () => e.time.clock.monotonicMs() >= from + 500);
      layCard(e, number);
    };
    // Everything the page's event stream carries, from here on.
    await page.evaluate(`(() => { window.seen = []; new EventSource('/api/events').addEventListener('view', (m) => window.seen.push(m.data)); })()`);

    layCard(e, DEFAULT_SIM_CARD.number);
    await e.run(tid('door-opened').waitFor());
    t.equal(await tid('door-number').textContent(), '2', 'the door of the deposit bound to the card');
    t.ok(e.board.isOpen(2), 'and that door opened');
    t.match(await tid('door-opened').textContent(), /柜门已打开/);
    t.match(await tid('door-opened').textContent(), /Door open/);
    const digit = await tid('door-number').boundingBox();
    t.ok(digit && digit.height >= MIN_DOOR_DIGIT_PX, `the door number is ${Math.round(digit?.height ?? 0)} px high (at least ${MIN_DOOR_DIGIT_PX})`);
    const low = lowContrast(await textContrasts(page));
    t.same(low.length, 0, `every text at least 4.5:1${low.length ? `; below: ${describeContrasts(low)}` : ''}`);

    await e.scan('QR-5c1e07');
    await e.run(page.locator('[data-testid="door-number"]:has-text("1")').waitFor());
    t.ok(e.board.isOpen(1), 'the scanned code\'s door opened and shows');

    await relay(OTHER);
    await e.run(page.locator('[data-testid="message"]:has-text("此身份证没有待取的材料")').waitFor());
    t.match(await tid('message').textContent(), /还可尝试 2 次/, 'with the tries left');
    t.match(await tid('message').textContent(), /Nothing to pick up for this ID card, 2 tries left/);
    t.ok(await tid('door-opened').isHidden(), 'the last door shown gives way to the refusal');

    for (const tries of [2, 3]) {
      await relay(OTHER);
      await e.until(`wrong try ${tries}`, () => e.events('code.rejected').length >= tries);
    }
    await e.run(tid('lockout').waitFor());
    const left = secondsLeft((await page.locator('#lockout-left').textContent()) ?? '');
    t.ok(left > 0 && left <= 300, `the lockout shows its time left (${left} s of 300)`);

    const shown = [await page.content(), JSON.stringify(await (await fetch(new URL('api/view', e.url))).json()), ...((await page.evaluate('window.seen')) as string[])].join('\n');
    for (const [what, value] of [['the card number', DEFAULT_SIM_CARD.number], ['the other card number', OTHER], ['the name', DEFAULT_SIM_CARD.name], ['the address', DEFAULT_SIM_CARD.address]] as const) {
      t.notOk(shown.includes(value), `${what} is nowhere on the page, its view or its event stream`);
    }
    t.same(errors, []);
  });
}
