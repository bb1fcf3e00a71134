// The demo hall's cabinet: the reference server deposits a certificate and logs its pickup
// code; a simulated visitor types that code on the cabinet's page, door 3 opens, the server logs
// item.picked-up, and the visitor shuts the door again.
import t from 'tap';
import { runDemo } from '../../firmware/hall/demo.js';
import { tempDir } from '../../testkit/temp.js';
import { waitFor } from '../../testkit/wait.js';

t.test('the demo cabinet: the logged pickup code opens its door on the page', async (t) => {
  const lines: string[] = [];
  const demo = runDemo({ port: 0, dataDir: await tempDir(t), runForMs: 8_000, visitorEveryMs: 60_000, caseMs: 60_000, citizenMs: 300, out: (l) => lines.push(l) });
  const found = (re: RegExp) => () => lines.map((l) => re.exec(l)).find((m) => m !== null) ?? undefined;
  await waitFor('cabinet page in the banner', found(/locker-1: cabinet page at (http:\/\/127\.0\.0\.1:\d+\/)/));
  const code = (await waitFor('pickup code', found(/locker-1: certificate \S+ deposited in door 3; pickup code (\d{6})/)))[1] as string;
  await waitFor('the visitor types it', found(new RegExp(`visitor types pickup code ${code} on the cabinet page of locker-1`)));
  await waitFor('the page answers', found(/locker-1: pickup code answered \{"ok":true,"door":3/));
  await waitFor('item.picked-up in the log', found(/event locker\/item\.picked-up #\d+ .*"door":3/));
  await waitFor('the citizen closes the door', found(/citizen closes door 3 of locker-1/));
  await demo;
  t.match(lines.join('\n'), /demo +stopped/);
});
