// `halld demo` in-process, on real time: the banner lists every page and every picture file,
// the first ticket is shown as printed, the story lines name each ticket, pings stay out of the
// log, the panels' and the OLED's PNGs are there to open, and stopping says what it stopped and
// removes its temp folder (unless kept).
import t from 'tap';
import { runDemo } from '../../firmware/hall/demo.js';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { PNG } from 'pngjs';

t.test('the banner, the story lines and a clean stop', async (t) => {
  const lines: string[] = [];
  await runDemo({ port: 0, keep: true, runForMs: 8_000, visitorEveryMs: 700, caseMs: 500, citizenMs: 300, out: (l) => lines.push(l) });
  const log = lines.join('\n');
  for (const [device, what] of [
    ['ticket-printer-1', 'touchscreen page'],
    ['evaluator-1', 'rating page'],
    ['evaluator-2', 'rating page'],
    ['caller-1', 'hall TV page'],
    ['locker-1', 'cabinet page'],
  ])
    t.match(log, new RegExp(`pages \\(open them in a browser\\):[\\s\\S]*  ${device}: ${what} at http://127\\.0\\.0\\.1:\\d+/[\\s\\S]*Ctrl-C stops`), `the banner lists ${device}'s ${what}`);
  t.notMatch(log, /evaluator-3: rating page/, 'window 3 has no touch page');
  const win = /caller-1: LED panel win in (\S+win\.png)/.exec(log)?.[1];
  const oled = /evaluator-3: OLED screen in (\S+oled\.png)/.exec(log)?.[1];
  t.ok(win && oled, 'the banner names the panel and OLED picture files');
  t.match(log, /the first ticket as printed\n\+-+\+\n\|\s+示范区政务服务中心\s+\|/, 'the first ticket as printed, Chinese hall name first');
  t.match(log, /story +([A-F]\d{3}) taken: [^\n]*\n[\s\S]*story +\1 called to window [123]/, 'a ticket taken, then called to a window with an evaluator');
  t.match(log, /story +\w+ rated at window [123]: \d \S+/, 'and rated there');
  t.notMatch(log, /sys\/ping ok/, 'no line per ping');
  for (const file of [win ?? '', oled ?? '']) {
    const image = PNG.sync.read(await readFile(file));
    t.ok(image.width > 0 && image.height > 0, `${file} is a PNG a person can open`);
  }
  t.match(log, /demo +stopped \d+ device\(s\) \([^)]*\), the reference server and the broker; data kept in \S+/, 'stopping says what it stopped');
});

t.test('without --keep the temp folder is removed at the end', async (t) => {
  const lines: string[] = [];
  await runDemo({ port: 0, runForMs: 1_000, visitorEveryMs: 60_000, out: (l) => lines.push(l) });
  const dir = /demo +stopped .*; removed (\S+)$/m.exec(lines.join('\n'))?.[1];
  t.ok(dir, 'it says which folder it removed');
  t.notOk(existsSync(dir ?? '/'), 'and the folder is gone');
});
