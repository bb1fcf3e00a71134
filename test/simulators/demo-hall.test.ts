// `halld demo` in-process: the kiosk device prints to the ESC/POS simulator and the demo log
// shows the rendered ticket and the server's view of it; after the case the evaluator is asked
// for a rating and a simulated citizen presses a level button; one evaluator per window (1-3), window 3's with an OLED.
import t from 'tap';
import { runDemo } from '../../firmware/hall/demo.js';
import { tempDir } from '../../testkit/temp.js';
import { readFile } from 'node:fs/promises';
import { PNG } from 'pngjs';

t.test('the demo hall issues a ticket and logs the rendered ticket', async (t) => {
  const lines: string[] = [];
  await runDemo({ port: 0, dataDir: await tempDir(t), runForMs: 4_000, visitorEveryMs: 700, caseMs: 200, citizenMs: 300, out: (l) => lines.push(l) });
  const log = lines.join('\n');
  t.match(log, /ticket-printer-1: online/, 'the kiosk device came online');
  t.match(log, /touchscreen page at http:\/\/127\.0\.0\.1:\d+\//, 'the page URL is shown');
  t.match(log, /ticket\.take social → A001/, 'the server numbered the first ticket');
  t.match(log, /printed\n\+-+\+\n\|\s+示范区政务服务中心\s+\|/, 'the rendered ticket, Chinese hall name first');
  t.match(log, /社保医保/, 'category printed');
  t.match(log, /\[QR [^\]]*\] https:\/\/hall\.example\.cn\/q\/A0/, 'QR with the server URL');
  t.match(log, /event ticket-printer\/ticket\.issued #\d+ .*"number":"A001"/, 'the server got ticket.issued');
  t.match(log, /evaluator-1: rating page at http:\/\/127\.0\.0\.1:\d+\//, 'the evaluator page URL is shown');
  t.match(log, /evaluator-1: staff 王丽 \(SF-0315\) at 1号窗口: ok/, 'the server told the evaluator who serves there');
  t.match(log, /evaluator-2: staff 李明 \(SF-0422\) at 2号窗口: ok/, 'one evaluator per window: 2');
  t.match(log, /evaluator-3: staff 张伟 \(SF-0508\) at 3号窗口: ok/, 'one evaluator per window: 3 (buttons and an OLED)');
  t.notMatch(log, /evaluator-3: rating page/, 'window 3 has no touch page');
  t.match(log, /evaluator-2: case case-B001-\w+ for B001 finished, rating requested: ok/, 'the second case at the second window');
  t.match(log, /evaluator-2: rating for case-B001-\w+ \(B001\): /, 'rated there');
  t.match(log, /evaluator-1: case case-A001-\w+ for A001 finished, rating requested: ok/, 'a rating was requested after the first case');
  t.match(log, /event evaluator\/rating\.submitted #\d+ .*"caseId":"case-A001-/, 'the evaluator sent rating.submitted');
  t.match(log, /evaluator-1: rating for case-A001-\w+ \(A001\): 5 非常满意/, 'the server logged the rating');
  t.match(log, /caller-1: hall TV page at http:\/\/127\.0\.0\.1:\d+\//, 'the hall TV page URL is shown');
  t.match(log, /caller-1: call A001 to window 5: ok, announcing "请A 零零一号到五号窗口办理"/, 'the server called the first ticket');
  t.match(log, /event caller\/announced #\d+ .*"ticket":"A001".*"played":"voice"/, 'the caller announced it');
  const png = /caller-1: LED panel frames in (\S+win\.png)/.exec(log)?.[1];
  t.ok(png, 'the path of the panel frames is logged');
  const image = PNG.sync.read(await readFile(png ?? ''));
  t.same([image.width > 0, image.height > 0], [true, true], 'a PNG a person can open');
  t.match(log, /demo +stopped/);
});
