/* global document, window, EventSource, fetch */
// The evaluator's touch page. It renders the EvaluatorView the role pushes over /api/events
// and posts one thing: the citizen's rating (POST /api/rate). The role decides what counts;
// the page keeps only which level and items are chosen before 提交.

const T = {
  zh: {
    title: '服务评价', lang: 'English', large: '大字', largeOff: '标准字', offline: '离线（评价将稍后上传）',
    staffNo: '工号', window: '窗口', matters: '办理事项', guide: '服务指南', prev: '上一页', next: '下一页', stars: '星级',
    ratePrompt: '请您对本次服务进行评价', caseNo: '办件编号', matter: '事项', ticket: '排队号', staff: '服务人员',
    itemsPrompt: '请选择原因（至少一项）', itemsOptional: '您满意的方面（可选）', submit: '提交评价', back: '返回',
    thanks: '感谢您的评价！', thanksSub: '您的评价：', paused: '暂停服务', pausedSub: '工作人员暂时离开，请稍候',
    noStaff: '欢迎光临', noStaffSub: '本窗口暂无工作人员信息',
  },
  en: {
    title: 'Rate our service', lang: '中文', large: 'Large text', largeOff: 'Normal text', offline: 'Offline (ratings upload later)',
    staffNo: 'Staff no.', window: 'Window', matters: 'Services here', guide: 'Guide', prev: 'Previous', next: 'Next', stars: 'Stars',
    ratePrompt: 'Please rate the service you received', caseNo: 'Case', matter: 'Matter', ticket: 'Ticket', staff: 'Served by',
    itemsPrompt: 'What went wrong? (choose at least one)', itemsOptional: 'What did you like? (optional)', submit: 'Submit', back: 'Back',
    thanks: 'Thank you for your rating!', thanksSub: 'Your rating: ', paused: 'Service paused', pausedSub: 'The staff member is away, please wait',
    noStaff: 'Welcome', noStaffSub: 'No staff information for this window',
  },
};

// `answered`: a tap answered `already` (rated meanwhile: a button, another screen, a news this
// page missed). The page shows the stored level itself, since its own view may be stale.
const state = { view: null, lang: 'zh', large: false, level: null, items: new Set(), guidePage: 0, idleTimer: 0, toastTimer: 0, sending: false, answered: null, answeredTimer: 0 };
const $ = (id) => document.getElementById(id);
const t = (key) => T[state.lang][key];

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'onclick') node.addEventListener('click', v);
    else if (k === 'testid') node.dataset.testid = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined) node.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return node;
}

const nameOf = (x) => (state.lang === 'en' && x.nameEn ? x.nameEn : x.name);

function toast(text) {
  const box = $('toast');
  box.textContent = text;
  box.hidden = false;
  window.clearTimeout(state.toastTimer);
  state.toastTimer = window.setTimeout(() => (box.hidden = true), 3000);
}

function touched() {
  window.clearTimeout(state.idleTimer);
  if (state.level !== null && state.view) {
    state.idleTimer = window.setTimeout(() => {
      state.level = null;
      state.items.clear();
      render();
    }, state.view.idleMs);
  }
}

function staffCard(v) {
  const s = v.staff;
  if (!s) return el('section', { class: 'screen idle', testid: 'screen-idle' }, el('h2', { class: 'big' }, t('noStaff')), el('p', { class: 'sub' }, t('noStaffSub')));
  const guide = s.guide.length > 0 ? s.guide[Math.min(state.guidePage, s.guide.length - 1)] : null;
  return el(
    'section',
    { class: 'screen idle', testid: 'screen-idle' },
    el(
      'div',
      { class: 'card', testid: 'staff-card' },
      s.photo ? el('img', { class: 'photo', src: s.photo, alt: s.name, testid: 'staff-photo' }) : el('div', { class: 'photo photo-none' }, s.name.slice(0, 1)),
      el(
        'div',
        { class: 'who' },
        el('h2', { class: 'name', testid: 'staff-name' }, s.name),
        el('p', { testid: 'staff-number' }, `${t('staffNo')} ${s.number}`),
        el('p', { testid: 'staff-window' }, windowName(s.window)),
        s.starLevel ? el('p', { class: 'stars', testid: 'staff-stars', 'aria-label': `${t('stars')} ${s.starLevel}` }, '★'.repeat(s.starLevel) + '☆'.repeat(5 - s.starLevel)) : null,
      ),
    ),
    s.matters.length > 0 ? el('div', { class: 'block' }, el('h3', {}, t('matters')), el('ul', { class: 'matters', testid: 'staff-matters' }, s.matters.map((m) => el('li', {}, m)))) : null,
    guide !== null
      ? el(
          'div',
          { class: 'block guide', testid: 'guide' },
          el('h3', {}, `${t('guide')} ${Math.min(state.guidePage, s.guide.length - 1) + 1}/${s.guide.length}`),
          el('p', { testid: 'guide-text' }, guide),
          s.guide.length > 1
            ? el(
                'div',
                { class: 'row' },
                el('button', { type: 'button', class: 'btn', testid: 'guide-prev', onclick: () => { state.guidePage = Math.max(0, state.guidePage - 1); render(); } }, t('prev')),
                el('button', { type: 'button', class: 'btn', testid: 'guide-next', onclick: () => { state.guidePage = Math.min(s.guide.length - 1, state.guidePage + 1); render(); } }, t('next')),
              )
            : null,
        )
      : null,
  );
}

/** "7" → 7号窗口 / Window 7; a window already named ("7号窗口", "B区") is shown as it is. */
function windowName(w) {
  if (!/^\d+$/.test(w)) return w;
  return state.lang === 'zh' ? `${w}号窗口` : `${t('window')} ${w}`;
}

// Who served the citizen, on one line: photo, name, staff number, window; then the matter and
// the ticket when there is room. Never the case id: it means nothing to a citizen.
function staffLine(v) {
  const s = v.staff;
  const c = v.case;
  const name = s ? s.name : t('staff');
  return el(
    'div',
    { class: 'staff-line', testid: 'staff-line' },
    s?.photo
      ? el('img', { class: 'staff-line-photo', src: s.photo, alt: '', testid: 'staff-photo' })
      : el('span', { class: 'staff-line-photo photo-none', testid: 'staff-photo', 'aria-hidden': 'true' }, name.slice(0, 1)),
    el('span', { class: 'staff-line-name', testid: 'staff-name' }, name),
    el('span', { testid: 'staff-number' }, el('span', { class: 'case-label' }, `${t('staffNo')} `), el('span', { class: 'case-value' }, s ? s.number : c.staffId)),
    el('span', { class: 'case-value', testid: 'staff-window' }, windowName(c.window)),
    c.matterName ? el('span', {}, el('span', { class: 'case-label' }, `${t('matter')} `), el('span', { class: 'case-value', testid: 'case-matter' }, c.matterName)) : null,
    c.ticket ? el('span', {}, el('span', { class: 'case-label' }, `${t('ticket')} `), el('span', { class: 'case-value', testid: 'case-ticket' }, c.ticket)) : null,
  );
}

// One screen: the five levels stay in view; choosing one shows its reasons beside 提交.
function ratingScreen(v) {
  const chosen = state.level !== null ? (v.levels.find((l) => l.level === state.level) ?? null) : null;
  const levels = el(
    'div',
    { class: 'levels', role: 'group', 'aria-label': t('ratePrompt') },
    v.levels.map((l) =>
      el(
        'button',
        { type: 'button', class: `level level-${l.level}`, testid: `level-${l.level}`, 'aria-pressed': String(chosen?.level === l.level), onclick: () => chooseLevel(l) },
        el('span', { class: 'level-stars', 'aria-hidden': 'true' }, '★'.repeat(l.level)),
        el('span', { class: 'level-name' }, nameOf(l)),
      ),
    ),
  );
  const items =
    chosen && chosen.items.length > 0
      ? el(
          'div',
          { class: 'items', testid: 'items' },
          el('p', { class: 'items-prompt' }, chosen.needsItem ? t('itemsPrompt') : t('itemsOptional')),
          el(
            'div',
            { class: 'item-list' },
            chosen.items.map((i) =>
              el('button', { type: 'button', class: 'item', 'aria-pressed': String(state.items.has(i.id)), testid: `item-${i.id}`, onclick: () => toggleItem(i.id) }, nameOf(i)),
            ),
          ),
        )
      : el('div', { class: 'items-none' });
  return el(
    'section',
    { class: 'screen rating', testid: 'screen-rating' },
    staffLine(v),
    levels,
    el(
      'div',
      { class: 'decide' },
      items,
      el('button', { type: 'button', class: 'btn btn-primary submit', testid: 'submit', disabled: chosen === null, onclick: () => chosen && void submit(v.case.caseId, chosen) }, t('submit')),
    ),
  );
}

function hideToast() {
  window.clearTimeout(state.toastTimer);
  $('toast').hidden = true;
}

function chooseLevel(l) {
  hideToast();
  state.level = l.level;
  state.items.clear();
  touched();
  render();
}

function toggleItem(id) {
  // A reason chosen answers "choose a reason": that toast goes at once.
  hideToast();
  if (state.items.has(id)) state.items.delete(id);
  else state.items.add(id);
  touched();
  render();
}

async function submit(caseId, level) {
  if (state.sending) return;
  state.sending = true;
  try {
    const res = await fetch('/api/rate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ caseId, level: level.level, items: [...state.items] }) });
    const body = await res.json();
    if (!res.ok) toast(body.error ?? `HTTP ${res.status}`);
    else if (!body.ok) toast(body.message[state.lang]);
    else {
      hideToast();
      state.level = null;
      state.items.clear();
      if (body.already) showAnswered(caseId, body.rating.level);
    }
  } catch (err) {
    toast(String(err));
  } finally {
    state.sending = false;
    render();
  }
}

function showAnswered(caseId, level) {
  state.answered = { caseId, level };
  window.clearTimeout(state.answeredTimer);
  state.answeredTimer = window.setTimeout(() => {
    state.answered = null;
    void refresh();
  }, state.view?.thanksMs ?? 3000);
}

/** The role's view now: after a thank-you shown from an answer, the stream may have missed news. */
async function refresh() {
  try {
    const res = await fetch('/api/view');
    if (res.ok) applyView(await res.json());
  } catch {
    // The stream's next view will do.
  }
  render();
}

/** The answered thank-you stays unless the window moved on (another case, paused). */
function answeredLevel(v) {
  const a = state.answered;
  if (!a || v.screen === 'paused' || (v.screen === 'rating' && v.case && v.case.caseId !== a.caseId)) return null;
  return v.levels.find((l) => l.level === a.level) ?? null;
}

function thanksScreen(level) {
  return el('section', { class: 'screen thanks', testid: 'screen-thanks' }, el('h2', { class: 'big' }, t('thanks')), el('p', { class: 'sub', testid: 'thanks-level' }, t('thanksSub') + nameOf(level)));
}

function render() {
  const v = state.view;
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  document.documentElement.classList.toggle('large', state.large);
  $('title').textContent = v?.screen === 'rating' && v.case ? t('ratePrompt') : t('title');
  $('lang').textContent = t('lang');
  $('large').textContent = state.large ? t('largeOff') : t('large');
  if (!v) return;
  $('offline').hidden = v.online;
  $('offline').textContent = t('offline');
  if (v.screen !== 'rating') {
    state.level = null;
    state.items.clear();
  }
  let screen;
  const answered = answeredLevel(v);
  if (answered) screen = thanksScreen(answered);
  else if (v.screen === 'paused') screen = el('section', { class: 'screen paused', testid: 'screen-paused' }, el('h2', { class: 'big' }, t('paused')), el('p', { class: 'sub' }, v.pausedReason || t('pausedSub')));
  else if (v.screen === 'thanks') screen = thanksScreen(v.thanks);
  else if (v.screen === 'rating' && v.case) screen = ratingScreen(v);
  else screen = staffCard(v);
  $('main').replaceChildren(screen);
}

$('lang').addEventListener('click', () => {
  state.lang = state.lang === 'zh' ? 'en' : 'zh';
  render();
});
$('large').addEventListener('click', () => {
  state.large = !state.large;
  render();
});

function applyView(view) {
  if (state.view && view.rev < state.view.rev && view.screen === state.view.screen) return;
  if (state.view?.case?.caseId !== view.case?.caseId) {
    state.level = null;
    state.items.clear();
  }
  state.view = view;
}

function connect() {
  const es = new EventSource('/api/events');
  es.addEventListener('view', (e) => {
    applyView(JSON.parse(e.data));
    render();
  });
  es.addEventListener('error', () => {
    if (es.readyState === EventSource.CLOSED) window.setTimeout(connect, 2000);
  });
}
render();
connect();
