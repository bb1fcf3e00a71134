/* global document, EventSource */
// The hall TV page: draws the CallerView the caller role pushes over /api/events. Nothing is
// posted back: the TV only shows what the panels show.

const T = {
  zh: { now: '当前叫号', last: '最近叫号', window: (w) => `${w}号窗口`, call: (n, w) => [['请 ', ''], [n, 'num'], [' 号到 ', ''], [w, 'win'], [' 号窗口', '']], idle: '欢迎光临', paused: '暂停服务', offline: '连接中断，正在重连…' },
  en: { now: 'Now serving', last: 'Recent calls', window: (w) => `Window ${w}`, call: (n, w) => [['No. ', ''], [n, 'num'], [' to window ', ''], [w, 'win']], idle: 'Welcome', paused: 'Closed', offline: 'Connection lost, reconnecting…' },
};

const $ = (id) => document.getElementById(id);

function span(text, cls) {
  const s = document.createElement('span');
  if (cls) s.className = cls;
  s.textContent = text;
  return s;
}

function render(view) {
  const t = T[view.lang] ?? T.zh;
  document.documentElement.lang = view.lang === 'en' ? 'en' : 'zh-CN';
  $('now-label').textContent = t.now;
  $('last-label').textContent = t.last;
  const current = $('current');
  current.replaceChildren();
  if (view.paused) current.append(span(t.window(view.window), 'win'), document.createElement('br'), span(t.paused, 'paused'));
  else if (view.current) {
    for (const [text, cls] of t.call(view.current.ticket, view.current.window)) current.append(span(text, cls === 'num' && view.current.priority ? 'num priority' : cls));
  } else current.append(span(t.idle, ''));
  const list = $('last');
  list.replaceChildren(
    ...view.last.map((c) => {
      const li = document.createElement('li');
      li.dataset.testid = 'last-call';
      li.append(span(c.ticket, c.priority ? 'num priority' : 'num'), span(t.window(c.window), 'win'));
      return li;
    }),
  );
  const bar = document.querySelector('.notice');
  bar.hidden = !view.notice;
  if (view.notice && $('notice').textContent !== view.notice) $('notice').textContent = view.notice;
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
