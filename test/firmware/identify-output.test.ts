// Which output `sys/identify` blinks (docs/technician.md, "Which box is this?"): the one
// named `identify`, else the first whose name contains `led`, else none.
import t from 'tap';
import { identifyOutput } from '../../firmware/runtime/identify.js';

t.test('an output named identify wins over any led', async (t) => {
  t.equal(identifyOutput(['status-led', 'identify', 'led-1']), 'identify');
});

t.test('without one, the first output whose name contains led, in the order io lists them', async (t) => {
  t.equal(identifyOutput(['door-relay', 'status-led', 'led-1']), 'status-led');
  t.equal(identifyOutput(['led-5', 'led-1']), 'led-5');
  t.equal(identifyOutput(['oled-power']), 'oled-power', '"contains led" is a substring rule: oled-power counts');
});

t.test('no identify output and no led: nothing blinks', async (t) => {
  t.equal(identifyOutput([]), undefined);
  t.equal(identifyOutput(['door-relay', 'buzzer', 'identify-relay']), undefined, 'only the exact name identify counts');
});
