/* global document, window, EventSource */
// The hall TV page: draws the CallerView the caller role pushes over /api/events. Nothing is
// posted back: the TV only shows what the panels show. The caller's view grows over time; what
// this page reads when it is there (and does without when not): `current` (the call being
// announced: the screen follows the voice), `next` (calls still waiting for their announcement),
// `hallName`, and `timeZone` (the clock shows the hall's time, else the browser's). The list
// holds only calls already announced, never the one on screen.

const T = {
  zh: {
    now: '当前叫号', next: '下一位', last: '已叫号', window: (w) => `${w}号窗口`,
    callTo: (w) => [['请到 ', ''], [w, 'win'], [' 号窗口', '']], idle: '欢迎光临', paused: '暂停服务', offline: '连接中断，正在重连…',
    clockLocale: 'zh-CN',
  },
  en: {
    now: 'Now serving', next: 'Next', last: 'Called', window: (w) => `Window ${w}`,
    callTo: (w) => [['to window ', ''], [w, 'win']], idle: 'Welcome', paused: 'Closed', offline: 'Connection lost, reconnecting…',
    clockLocale: 'en-GB',
  },
};

const state = { view: null };
const $ = (id) => document.getElementById(id);

function span(text, cls) {
  const s = document.createElement('span');
  if (cls) s.className = cls;
  s.textContent = text;
  return s;
}

const same = (a, b) => a.ticket === b.ticket && a.window === b.window;

/** `last` less the calls on screen or still to be announced (each removed once). */
function announcedBefore(last, exclude) {
  const left = [...exclude];
  return last.filter((c) => {
    const i = left.findIndex((x) => same(x, c));
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}

function callRow(c, t, testid) {
  const li = document.createElement('li');
  li.dataset.testid = testid;
  li.append(span(c.ticket, c.priority ? 'num priority' : 'num'), span(t.window(c.window), 'win'));
  return li;
}

function renderClock() {
  const view = state.view;
  if (!view) return;
  const t = T[view.lang] ?? T.zh;
  const options = { month: 'long', day: 'numeric', weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  // The hall's zone, not the browser's: a board set to UTC still shows hall time.
  if (view.timeZone) options.timeZone = view.timeZone;
  $('clock').textContent = new Intl.DateTimeFormat(t.clockLocale, options).format(Date.now());
}

function render(view) {
  state.view = view;
  const t = T[view.lang] ?? T.zh;
  document.documentElement.lang = view.lang === 'en' ? 'en' : 'zh-CN';
  $('hall-name').textContent = view.hallName ?? '';
  $('now-label').textContent = t.now;
  $('next-label').textContent = t.next;
  $('last-label').textContent = t.last;
  const onScreen = view.current;
  const next = view.next ?? [];
  const current = $('current');
  current.replaceChildren();
  if (view.paused) current.append(span(t.window(view.window), 'win'), span(t.paused, 'paused call-to'));
  else if (onScreen) {
    const to = span('', 'call-to');
    for (const [text, cls] of t.callTo(onScreen.window)) to.append(span(text, cls));
    current.append(span(onScreen.ticket, onScreen.priority ? 'num priority' : 'num'), to);
  } else current.append(span(t.idle, 'idle'));
  $('next-block').hidden = next.length === 0;
  $('next').replaceChildren(...next.map((c) => callRow(c, t, 'next-call')));
  const shown = announcedBefore(view.last, onScreen ? [onScreen, ...next] : next);
  $('last').replaceChildren(...shown.map((c) => callRow(c, t, 'last-call')));
  const bar = document.querySelector('.notice');
  bar.hidden = !view.notice;
  if (view.notice && $('notice').textContent !== view.notice) $('notice').textContent = view.notice;
  renderClock();
  document.body.dataset.rev = String(view.rev);
}

const events = new EventSource('/api/events');
events.addEventListener('view', (e) => {
  $('offline').hidden = true;
  render(JSON.parse(e.data));
});
events.addEventListener('error', () => {
  $('offline').hidden = false;
  $('offline').textContent = T.zh.offline;
});
window.setInterval(renderClock, 10_000);
