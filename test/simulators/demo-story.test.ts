// The demo hall tells one story, checked over a simulated 10 minutes (injected time: the
// devices and the hall's people run on fake timers; MQTT, HTTP and the broker on real I/O):
// every ticket rated was taken, called to the window of the evaluator that rated it, and rated
// there for its own matter; waiting counts fall as calls happen; a green-channel ticket is
// never passed over by a normal one at its window; the cabinet's deposit is picked up once
// with its code; a person reading the log finds each ticket's taking, call and rating.
import t from 'tap';
import { startDemo } from '../../firmware/hall/demo.js';
import { DEMO_WINDOWS } from '../../firmware/hall/demo-devices.js';
import { deviceTime } from '../../testkit/device-time.js';
import { tempDir } from '../../testkit/temp.js';

t.setTimeout(600_000);

const TEN_MINUTES = 10 * 60_000;
const STEP_MS = 100;

t.test('ten simulated minutes of the demo hall: each ticket taken, called to a window, rated there for its matter', async (t) => {
  const time = deviceTime(t, Date.UTC(2026, 0, 5, 1, 30)); // a Monday, 09:30 in the hall
  const lines: string[] = [];
  // Simulated time runs about ten times faster than real time, from the start (the devices
  // connect on their timers); the messages each step sets off travel in real time meanwhile.
  let simulated = 0;
  const ticker = setInterval(() => {
    time.tick(STEP_MS);
    simulated += STEP_MS;
  }, 5);
  t.teardown(() => clearInterval(ticker));
  const dataDir = await tempDir(t);
  const demo = await startDemo({ port: 0, dataDir, out: (l) => lines.push(l), time, visitorEveryMs: 5_000, caseMs: 8_000, citizenMs: 6_000 });
  let stopped = false;
  t.teardown(() => (stopped ? undefined : demo.stop()));
  let finalCaller: Record<string, unknown> | undefined;
  demo.server.client.onState((device, role, state) => {
    if (device === 'caller-1' && role === 'caller') finalCaller = state.data;
  });
  const startedAt = simulated;
  while (simulated - startedAt < TEN_MINUTES) await new Promise((r) => setTimeout(r, 200));
  clearInterval(ticker);
  await new Promise((r) => setTimeout(r, 1_000));
  const events = demo.server.events;
  await demo.stop();
  stopped = true;
  const log = lines.join('\n');

  const issued = events.filter((e) => e.role === 'ticket-printer' && e.name === 'ticket.issued').map((e) => e.message.data as { number: string; category: string; priority: boolean; waiting: number | null });
  const announced = events.filter((e) => e.role === 'caller' && e.name === 'announced').map((e) => e.message.data as { ticket: string; window: string });
  const ratings = events.filter((e) => e.role === 'evaluator' && e.name === 'rating.submitted').map((e) => ({ device: e.device, ...(e.message.data as { ticket?: string; matterCode?: string; level: number; items: string[] }) }));
  t.ok(issued.length >= 20, `${issued.length} tickets taken in 10 minutes`);
  t.ok(ratings.length >= 10, `${ratings.length} ratings`);

  const windowOf = (device: string) => DEMO_WINDOWS[device]?.window.replace(/号窗口$/, '');
  const broken: string[] = [];
  for (const r of ratings) {
    const ticket = issued.find((i) => i.number === r.ticket);
    const call = announced.find((a) => a.ticket === r.ticket);
    if (!ticket) broken.push(`${r.ticket}: rated but never taken`);
    else if (!call) broken.push(`${r.ticket}: rated at ${r.device} but never called`);
    else if (call.window !== windowOf(r.device)) broken.push(`${r.ticket}: called to window ${call.window}, rated at ${r.device} (window ${windowOf(r.device)})`);
    else if (r.matterCode !== ticket.category) broken.push(`${r.ticket}: rated for matter ${r.matterCode}, taken for ${ticket.category}`);
    else if (!new RegExp(`${r.ticket} taken[\\s\\S]*${r.ticket} called to window ${call.window}[\\s\\S]*${r.ticket} rated at window ${call.window}`).test(log)) broken.push(`${r.ticket}: the log does not tell taken → called → rated`);
  }
  t.same(broken, [], `every rated ticket's story holds: taken → called to window W → rated at W with its matter (${ratings.length} stories)`);
  const windows = new Set(Object.keys(DEMO_WINDOWS).map(windowOf));
  t.same(announced.filter((a) => !windows.has(a.window)), [], 'every call goes to a window that has an evaluator');
  t.same(new Set(ratings.map((r) => r.device)).size, 3, 'all three windows rated');

  const director = demo.director;
  const calls = [...director.story.values()].filter((s) => s.calledAt !== undefined).sort((a, b) => (a.calledAt ?? 0) - (b.calledAt ?? 0));
  const fellAtCall = lines.filter((l) => / called to window \d+.*, \d+ waiting/.test(l)).length;
  t.ok(fellAtCall >= 10, `${fellAtCall} calls each took a ticket off the waiting list`);
  let fell = 0;
  for (const [i, ticket] of issued.entries()) {
    const before = issued.slice(0, i).reverse().find((x) => x.category === ticket.category);
    if (before && ticket.waiting !== null && before.waiting !== null && ticket.waiting < before.waiting) fell++;
  }
  t.ok(fell >= 1, `the waiting count a ticket shows fell ${fell} times as calls happened`);

  const skipped: string[] = [];
  for (const normal of calls.filter((c) => !c.priority)) {
    const window = Object.values(DEMO_WINDOWS).find((w) => w.window === `${normal.window}号窗口`);
    const waitingGreen = calls.find((p) => p.priority && window?.matters.includes(p.matter) && p.takenAt < (normal.calledAt ?? 0) && (p.calledAt ?? Infinity) > (normal.calledAt ?? 0));
    if (waitingGreen) skipped.push(`${normal.number} called before green-channel ${waitingGreen.number}`);
  }
  t.same(skipped, [], 'green-channel tickets are called first at their window');
  t.ok(calls.some((c) => c.priority), 'some green-channel tickets were called');
  const last = (finalCaller?.['last'] as { ticket: string; priority: boolean }[] | undefined) ?? [];
  t.ok(last.length > 0, 'the caller lists its last calls');
  t.same(last.filter((c) => c.priority !== (issued.find((i) => i.number === c.ticket)?.priority ?? false)), [], 'the caller shows each call\'s priority as the ticket has it');

  const lowWithReason = ratings.filter((r) => r.level <= 2);
  t.ok(lowWithReason.every((r) => r.items.length > 0), `low ratings carry a reason (${lowWithReason.map((r) => r.items.join('+')).join(', ')})`);
  t.equal(events.filter((e) => e.role === 'locker' && e.name === 'item.picked-up').length, 1, 'the deposit was picked up once, with its code');
  t.match(log, /visitor types pickup code \d{6} on the cabinet page of locker-1/);
  t.notMatch(log, /sys\/ping ok/, 'no line per ping');
});
