// The kiosk's interactive button test on the sim board, in fake time: presses during the test
// answer its prompts and take no ticket; run with nobody at the box (sys/diag over MQTT, a
// role action) it gives up after UNATTENDED_MANUAL_TEST_MS and the buttons take tickets again.
import t from 'tap';
import { clickOnDeviceTime, kioskFixture, ticketText } from './kiosk-fixture.js';
import { deviceTime } from '../../../testkit/device-time.js';
import { until, waitFor } from '../../../testkit/wait.js';
import { UNATTENDED_MANUAL_TEST_MS } from '../../../firmware/runtime.js';

t.test('unattended, the button test ends at its deadline and gives the buttons back', async (t) => {
  const time = deviceTime(t);
  const k = await kioskFixture(t, { time });
  const click = (input: string) => clickOnDeviceTime(k, time, input);
  // The test captures the buttons and arms its deadline before its first await.
  const running = k.runtime.runManualTest('ticket-printer', 'buttons');
  click('btn-social'); // answers "press the button for 社保业务"; takes no ticket
  time.tick(UNATTENDED_MANUAL_TEST_MS);
  const result = await running;
  t.match(result, { name: 'ticket-printer/buttons', ok: false, detail: /nobody answered within 25 s/ }, 'no one pressed the tax button: the test fails at its deadline');
  click('btn-tax');
  await waitFor('the tax button takes a ticket again', () => k.printer.tickets().length >= 1);
  t.equal(k.printer.tickets().length, 1, 'the press during the test printed nothing');
  t.match(ticketText(k.printer), /B001/);
});

t.test('with the technician: prompts in order, presses answer them; an abort while waiting gives the buttons back', async (t) => {
  const time = deviceTime(t);
  const k = await kioskFixture(t, { time });
  const click = (input: string) => clickOnDeviceTime(k, time, input);
  const prompts: string[] = [];
  const abort = new AbortController();
  const running = k.runtime.runManualTest('ticket-printer', 'buttons', { prompt: (text) => prompts.push(text), signal: abort.signal });
  t.same(prompts, ['press the button for 社保业务 (social): input btn-social, 1 of 2']);
  click('btn-social');
  await until('the second prompt', () => prompts.length === 2);
  t.equal(prompts[1], 'press the button for 税务登记 (tax): input btn-tax, 2 of 2');
  abort.abort(new Error('aborted by the technician'));
  t.match(await running, { ok: false, detail: 'aborted: aborted by the technician' });
  click('btn-tax');
  await waitFor('the tax button takes a ticket again', () => k.printer.tickets().length >= 1);
  t.equal(k.printer.tickets().length, 1, 'the press during the test printed nothing');
});

t.test('a device without buttons skips the test and says why', async (t) => {
  const k = await kioskFixture(t, { role: { buttons: [] } });
  t.match(await k.runtime.runManualTest('ticket-printer', 'buttons'), { ok: true, skipped: true, detail: /no physical buttons configured/ });
});
