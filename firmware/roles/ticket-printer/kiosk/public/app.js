// The ticket kiosk's touchscreen page (取号机). Plain browser JavaScript, no build step: it
// renders the KioskView the role pushes over /api/events (kiosk-types.ts) and asks for tickets
// with POST /api/take and /api/checkin. The role decides everything; this page only shows it.
//
// Screens: home (category grid + 绿色通道 + 预约签到, and with a reader the swipe hint, with
// view.sms the 短信提醒 path), priority (categories with the green channel), checkin (scan hint +
// keypad), phone (a mobile number for SMS reminders, shown masked), result (ticket or refusal).
// A swiped ID card never reaches this page: the role holds it for the next take and the view
// only says that someone identified. A blocked view replaces
// the menu with the reason. Any screen goes home after view.idleMs without a touch.

/* global document, window, EventSource, fetch, AbortController */

/** How long a result stays before the page goes home by itself. */
const RESULT_MS = 10_000;
/** After a screen changes its buttons ignore touches this long (a double tap must not carry over). */
const SETTLE_MS = 400;
/** A take or check-in that has not answered by then is reported as failed. */
const REQUEST_TIMEOUT_MS = 20_000;
/** Reconnect delay when the browser gave up on the event stream (a non-200 answer). */
const RECONNECT_MS = 3_000;
const MAX_CODE_CHARS = 32;
const PHONE_DIGITS = 11;
/** The digits a phone number shows in clear (138****5678); the rest are masked. */
const PHONE_SHOWN = (i) => i < 3 || i >= 7;
const LANGS = ['zh', 'en'];

// Every visible string, [中文, English]; functions take the value they show.
const T = {
  starting: ['正在启动，请稍候…', 'Starting, please wait…'],
  chooseService: ['请点击您要办理的业务', 'Touch the service you need'],
  priorityEntry: ['绿色通道', 'Priority lane'],
  priorityWho: ['老年人 · 残疾人 · 孕妇 · 军人', 'Elderly · disabled · pregnant · military'],
  priorityTitle: ['绿色通道 · 优先办理', 'Priority lane'],
  priorityHint: ['适用于老年人、残疾人、孕妇、军人。请选择业务：', 'For elderly, disabled and pregnant visitors and military personnel. Choose a service:'],
  noServices: ['目前没有可办理的业务，请到服务台咨询', 'No service is available right now; please ask at the information desk'],
  noPriority: ['目前没有可优先办理的业务，请到服务台咨询', 'No priority service right now; please ask at the information desk'],
  checkinEntry: ['预约签到', 'Appointment check-in'],
  checkinSub: ['已在网上或电话预约', 'Booked online or by phone'],
  checkinTitle: ['预约签到', 'Appointment check-in'],
  checkinScan: ['请将预约二维码对准扫码器', 'Hold your appointment QR code up to the scanner'],
  checkinOr: ['扫不出来？请在下方输入预约码', 'Cannot scan it? Type your appointment code below'],
  codePlaceholder: ['预约码', 'Appointment code'],
  checkinSubmit: ['确认签到', 'Check in'],
  keyBack: ['退格', 'Delete'],
  keyClear: ['清空', 'Clear'],
  keyLetters: ['字母 ABC', 'Letters ABC'],
  keyDigits: ['数字 123', 'Digits 123'],
  back: ['返回', 'Back'],
  done: ['完成', 'Done'],
  waiting: [(n) => `${n} 人等候`, (n) => `${n} waiting`],
  hoursLabel: ['服务时间', 'Hours'],
  paused: ['暂停服务', 'Service paused'],
  closed: ['已下班(非服务时间)', 'Closed (outside service hours)'],
  exhausted: ['今日号已取完', 'No tickets left today'],
  blockedTitle: ['暂停取号', 'No tickets at the moment'],
  'paper-out': ['打印机缺纸', 'The printer is out of paper'],
  'cover-open': ['打印机盖打开', 'The printer cover is open'],
  offline: ['打印机离线', 'The printer is offline'],
  cutter: ['切刀故障', 'The paper cutter has a fault'],
  'no-printer': ['打印机未就绪', 'The printer is not ready'],
  'storage-full': ['设备存储故障', 'The kiosk cannot record tickets (storage full)'],
  askDesk: ['请到服务台取号', 'Please ask at the information desk'],
  paperLow: ['纸张将尽', 'Paper running low'],
  offlineMode: ['离线取号', 'Offline'],
  reconnecting: ['连接中…', 'Reconnecting…'],
  printing: ['正在出号，请稍候…', 'Printing your ticket…'],
  checkingIn: ['正在签到，请稍候…', 'Checking you in…'],
  yourNumber: ['您的号码', 'Your number'],
  takeTicket: ['请取走您的号票', 'Please take your ticket'],
  ahead: [(n) => (n === 0 ? '前面没有人等候' : `前面还有 ${n} 人等候`), (n) => (n === 0 ? 'No one is ahead of you' : `${n} ${n === 1 ? 'person' : 'people'} ahead of you`)],
  window: [(w) => `办理窗口：${w}`, (w) => `Counter: ${w}`],
  offlineTicket: ['离线号', 'Offline ticket'],
  priorityTag: ['绿色通道', 'Priority'],
  appointmentTag: ['预约', 'Appointment'],
  refusedTitle: ['未能取号', 'No ticket issued'],
  requestFailed: ['暂时无法取号，请到服务台咨询', 'A ticket cannot be issued right now. Please ask at the information desk'],
  help: ['需要帮助？请到服务台咨询', 'Need help? Please ask at the information desk'],
  returnIn: [(s) => `${s} 秒后返回首页`, (s) => `Back to the start in ${s} s`],
  langToggle: ['English', '中文'],
  swipeHint: ['刷身份证取号', 'Swipe your ID card'],
  swipeSub: ['将身份证放在读卡区', 'Place your ID card on the reader'],
  identifiedCard: ['已读取身份证，请选择业务', 'ID card read. Touch the service you need'],
  identifiedEId: ['电子证照已核验，请选择业务', 'e-ID verified. Touch the service you need'],
  unreadable: ['未能读取身份证，请重新放置', 'The ID card could not be read. Please place it again'],
  'not-verified': ['电子证照未通过核验，请到服务台咨询', 'The e-ID could not be verified. Please ask at the information desk'],
  smsEntry: ['短信提醒', 'SMS reminder'],
  smsSub: ['快到您时发短信通知', 'A text message when your turn is near'],
  phoneTitle: ['短信提醒', 'SMS reminder'],
  phoneLead: ['请输入您的手机号码，快到您时我们会发短信提醒您', 'Enter your mobile number; we will text you when your turn is near'],
  phonePlaceholder: ['手机号码', 'Mobile number'],
  phoneSubmit: ['确认', 'Confirm'],
  phonePrefix: ['手机号码以 13 至 19 开头', 'A mobile number starts with 13 to 19'],
  phoneShort: [(n) => `还需输入 ${n} 位`, (n) => `${n} more ${n === 1 ? 'digit' : 'digits'}`],
  smsSet: [(p) => `短信提醒：${p}`, (p) => `SMS reminder: ${p}`],
  smsClear: ['取消', 'Remove'],
};

const STATE_TEXT = { paused: 'paused', closed: 'closed', exhausted: 'exhausted' };
const BLOCK_REASONS = ['paper-out', 'cover-open', 'offline', 'cutter', 'no-printer', 'storage-full'];

const state = {
  /** The last KioskView accepted. */
  view: null,
  /** After (re)connecting the first view is taken whatever its rev (the role may have restarted). */
  acceptAnyRev: true,
  lang: 'zh',
  /** 'home' | 'priority' | 'checkin' | 'phone' | 'result' */
  screen: 'home',
  /** A take or check-in is in flight: every button is off. */
  busy: null,
  /** { result: TakeResult | null, source: 'take' | 'checkin' | 'scan', code?: string } */
  result: null,
  resultAt: 0,
  code: '',
  keys: 'digits',
  /** The mobile number being typed on the phone screen. */
  phoneTyped: '',
  /** A confirmed mobile number, sent with the next take and then forgotten. */
  phone: '',
  streamDown: false,
  settleUntil: 0,
  /** Changes whenever main must be rebuilt (screen, language, structure of the view). */
  builtKey: '',
};

const $ = (id) => document.getElementById(id);
const els = {
  root: $('root'),
  hall: $('hall-name'),
  reconnecting: $('reconnecting'),
  offline: $('offline'),
  clock: $('clock'),
  lang: $('lang'),
  notice: $('notice'),
  main: $('main'),
  footHint: $('foot-hint'),
  paperLow: $('paper-low'),
  busy: $('busy'),
  busyText: $('busy-text'),
};

function tr(key, ...args) {
  const entry = T[key];
  const value = entry[LANGS.indexOf(state.lang)];
  return typeof value === 'function' ? value(...args) : value;
}

/** Builds an element: h('button', { class: 'x', testid: 'y', onclick }, child, 'text', …). */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'testid') el.dataset.testid = value;
    else if (name === 'class') el.className = value;
    else if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'enabled') el.dataset.enabled = value ? '1' : '';
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
  if (tag === 'button' && !el.hasAttribute('type')) el.type = 'button';
  return el;
}

function catName(cat) {
  return state.lang === 'zh' ? cat.name : cat.nameEn || cat.name;
}

// ---- screens -------------------------------------------------------------------------------

function buildMain() {
  const view = state.view;
  if (view === null) return screenMessage(tr('starting'));
  if (state.screen === 'result' && state.result !== null) return buildResult();
  if (view.blocked) return buildBlocked(view.blocked);
  if (state.screen === 'priority') return buildPriority();
  if (state.screen === 'checkin') return buildCheckin();
  if (state.screen === 'phone') return buildPhone();
  return buildHome();
}

function screenMessage(text) {
  return h('section', { class: 'screen screen-message' }, h('p', { class: 'message-title' }, text));
}

/** "08:30-12:00, 13:30-17:30" as label + ranges that wrap between, never inside, a range. */
function hoursText(hours) {
  const ranges = hours.split(/,\s*/).filter(Boolean);
  return [`${tr('hoursLabel')} `, ...ranges.flatMap((r, i) => [i > 0 ? ', ' : '', h('span', { class: 'nowrap' }, r)])];
}

function categoryButton(cat, priority) {
  const open = cat.state === 'open';
  const stateKey = STATE_TEXT[cat.state];
  return h(
    'button',
    {
      class: `cat cat-${cat.state}${priority ? ' cat-priority' : ''}`,
      testid: `cat-${cat.id}`,
      'data-state': cat.state,
      enabled: open,
      disabled: true, // applyEnabled() turns on what may be touched
      onclick: () => take(cat, priority),
    },
    h(
      'span',
      { class: 'cat-inner' },
      h('span', { class: 'cat-prefix', 'aria-hidden': 'true' }, cat.prefix),
      h('span', { class: 'cat-name' }, catName(cat)),
      h('span', { class: 'cat-hours' }, cat.hours ? hoursText(cat.hours) : ''),
      stateKey
        ? h('span', { class: 'cat-state', testid: `cat-state-${cat.id}` }, tr(stateKey))
        : h('span', { class: 'cat-waiting', testid: `cat-waiting-${cat.id}`, 'data-cat': cat.id }, cat.waiting === null ? '' : tr('waiting', cat.waiting)),
    ),
  );
}

function buildHome() {
  const view = state.view;
  const hasPriority = view.categories.some((c) => c.priority);
  const grid =
    view.categories.length > 0
      ? h('div', { class: 'grid', testid: 'menu' }, view.categories.map((c) => categoryButton(c, false)))
      : h('p', { class: 'message-title', testid: 'menu-empty' }, tr('noServices'));
  return h(
    'section',
    { class: 'screen screen-home', testid: 'home' },
    identityBanner() ?? h('h2', { class: 'screen-title' }, tr('chooseService')),
    state.phone
      ? h(
          'p',
          { class: 'sms-set', testid: 'sms-set' },
          tr('smsSet', maskPhone(state.phone)),
          ' ',
          h('button', { class: 'sms-clear', testid: 'sms-clear', enabled: true, disabled: true, onclick: () => setPhone('') }, tr('smsClear')),
        )
      : null,
    grid,
    h(
      'div',
      { class: 'paths' },
      hasPriority &&
        h(
          'button',
          { class: 'path path-priority', testid: 'priority-entry', enabled: true, disabled: true, onclick: () => go('priority') },
          h('span', { class: 'path-title' }, tr('priorityEntry')),
          h('span', { class: 'path-sub' }, tr('priorityWho')),
        ),
      h(
        'button',
        { class: 'path path-checkin', testid: 'checkin-entry', enabled: true, disabled: true, onclick: () => go('checkin') },
        h('span', { class: 'path-title' }, tr('checkinEntry')),
        h('span', { class: 'path-sub' }, tr('checkinSub')),
      ),
      view.sms &&
        h(
          'button',
          { class: 'path path-sms', testid: 'sms-entry', enabled: true, disabled: true, onclick: () => go('phone') },
          h('span', { class: 'path-title' }, tr('smsEntry')),
          h('span', { class: 'path-sub' }, tr('smsSub')),
        ),
      view.identity?.reader &&
        !view.identity.identified &&
        h(
          'div',
          { class: 'path path-swipe', testid: 'swipe-hint' },
          h('span', { class: 'path-title' }, tr('swipeHint')),
          h('span', { class: 'path-sub' }, tr('swipeSub')),
        ),
    ),
  );
}

/** Who identified for the next take, or why the last swipe did not count; null when neither. */
function identityBanner() {
  const id = state.view.identity;
  if (!id) return null;
  if (id.identified) return h('h2', { class: 'screen-title identified', testid: 'identified', 'data-kind': id.identified }, '✓ ', tr(id.identified === 'card' ? 'identifiedCard' : 'identifiedEId'));
  if (id.problem) return h('h2', { class: 'screen-title identity-problem', testid: 'identity-problem', role: 'alert' }, tr(id.problem));
  return null;
}

/** 138****5678: the middle four digits masked while typing and after. */
function maskPhone(digits) {
  return [...digits].map((d, i) => (PHONE_SHOWN(i) ? d : '*')).join('');
}

/** Why the typed number cannot be confirmed yet, or '' when it can. */
function phoneProblem(digits) {
  if (digits === '') return '';
  if (digits[0] !== '1' || (digits.length >= 2 && !/[3-9]/.test(digits[1]))) return tr('phonePrefix');
  if (digits.length < PHONE_DIGITS) return tr('phoneShort', PHONE_DIGITS - digits.length);
  return '';
}

function phoneValid(digits) {
  return /^1[3-9]\d{9}$/.test(digits);
}

function buildPhone() {
  const pad = h(
    'div',
    { class: 'keypad keypad-digits', testid: 'keypad' },
    DIGIT_KEYS.map((c) => key(c, `key-${c}`, () => typePhone(c))),
    key(tr('keyClear'), 'key-clear', () => typePhone('clear'), 'key-fn'),
    key('0', 'key-0', () => typePhone('0')),
    key(tr('keyBack'), 'key-back', () => typePhone('back'), 'key-fn'),
  );
  return h(
    'section',
    { class: 'screen screen-checkin screen-phone', testid: 'phone' },
    h('div', { class: 'screen-head' }, backButton(), h('h2', { class: 'screen-title' }, tr('phoneTitle'))),
    h(
      'div',
      { class: 'checkin-body' },
      h('div', { class: 'scan-hint' }, h('p', { class: 'scan-text' }, tr('phoneLead')), h('p', { class: 'phone-problem', id: 'phone-problem', testid: 'phone-problem', role: 'status' }, phoneProblem(state.phoneTyped))),
      h(
        'div',
        { class: 'code-entry' },
        h(
          'div',
          { class: 'code-row' },
          h('output', { class: 'code', id: 'phone-display', testid: 'phone-display', 'data-placeholder': tr('phonePlaceholder') }, maskPhone(state.phoneTyped)),
          h('button', { class: 'submit', id: 'phone-submit', testid: 'phone-submit', enabled: true, disabled: true, onclick: () => confirmPhone() }, tr('phoneSubmit')),
        ),
        pad,
      ),
    ),
  );
}

function backButton() {
  return h('button', { class: 'back', testid: 'back', enabled: true, disabled: true, onclick: () => go('home') }, '‹ ', tr('back'));
}

function buildPriority() {
  const cats = state.view.categories.filter((c) => c.priority);
  return h(
    'section',
    { class: 'screen screen-priority', testid: 'priority' },
    h('div', { class: 'screen-head' }, backButton(), h('h2', { class: 'screen-title' }, tr('priorityTitle'))),
    h('p', { class: 'lead' }, tr('priorityHint')),
    cats.length > 0
      ? h('div', { class: 'grid', testid: 'menu' }, cats.map((c) => categoryButton(c, true)))
      : h('p', { class: 'message-title' }, tr('noPriority')),
  );
}

const DIGIT_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];
const LETTER_KEYS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('');

function key(label, testid, onclick, cls = '') {
  return h('button', { class: `key ${cls}`, testid, enabled: true, disabled: true, onclick }, label);
}

function buildCheckin() {
  const letters = state.keys === 'letters';
  const chars = letters ? LETTER_KEYS : DIGIT_KEYS;
  // Digits: 1-9, then 清空 0 退格; letters: A-Z, 退格 清空; a full-width row switches the set.
  const pad = h(
    'div',
    { class: `keypad ${letters ? 'keypad-letters' : 'keypad-digits'}`, testid: 'keypad' },
    chars.map((c) => key(c, `key-${c}`, () => typeKey(c))),
    letters ? null : key(tr('keyClear'), 'key-clear', () => typeKey('clear'), 'key-fn'),
    letters ? null : key('0', 'key-0', () => typeKey('0')),
    key(tr('keyBack'), 'key-back', () => typeKey('back'), 'key-fn'),
    letters ? key(tr('keyClear'), 'key-clear', () => typeKey('clear'), 'key-fn') : null,
    key(letters ? tr('keyDigits') : tr('keyLetters'), 'key-mode', () => setKeys(letters ? 'digits' : 'letters'), 'key-mode'),
  );
  return h(
    'section',
    { class: 'screen screen-checkin', testid: 'checkin' },
    h('div', { class: 'screen-head' }, backButton(), h('h2', { class: 'screen-title' }, tr('checkinTitle'))),
    h(
      'div',
      { class: 'checkin-body' },
      h(
        'div',
        { class: 'scan-hint' },
        h('div', { class: 'scan-icon', 'aria-hidden': 'true' }, h('span', { class: 'qr' }), h('span', { class: 'scan-arrow' }, '↓')),
        h('p', { class: 'scan-text' }, tr('checkinScan')),
        h('p', { class: 'lead' }, tr('checkinOr')),
      ),
      h(
        'div',
        { class: 'code-entry' },
        h(
          'div',
          { class: 'code-row' },
          h('output', { class: 'code', id: 'code', testid: 'checkin-code', 'data-placeholder': tr('codePlaceholder') }, state.code),
          h('button', { class: 'submit', id: 'checkin-submit', testid: 'checkin-submit', enabled: true, disabled: true, onclick: () => checkIn() }, tr('checkinSubmit')),
        ),
        pad,
      ),
    ),
  );
}

function buildBlocked(reason) {
  return h(
    'section',
    { class: 'screen screen-blocked', testid: 'blocked', 'data-reason': reason, role: 'alert' },
    h('div', { class: 'blocked-icon', 'aria-hidden': 'true' }, '!'),
    h('h2', { class: 'blocked-title' }, tr('blockedTitle')),
    h('p', { class: 'blocked-reason', testid: 'blocked-reason' }, tr(BLOCK_REASONS.includes(reason) ? reason : 'no-printer')),
    h('p', { class: 'blocked-desk' }, tr('askDesk')),
  );
}

function buildResult() {
  const { result, source } = state.result;
  const done = h('button', { class: 'done', testid: 'result-done', enabled: true, disabled: true, onclick: () => go('home') }, tr('done'));
  const countdown = h('p', { class: 'countdown', id: 'countdown' }, '');
  if (result !== null && result.ok) {
    const t = result.ticket;
    const tags = [
      t.offline && h('span', { class: 'tag tag-offline', testid: 'result-offline' }, tr('offlineTicket')),
      t.priority && h('span', { class: 'tag tag-priority' }, tr('priorityTag')),
      (t.appointment || source !== 'take') && h('span', { class: 'tag tag-appointment' }, tr('appointmentTag')),
    ].filter(Boolean);
    return h(
      'section',
      { class: 'screen screen-result', testid: 'result', 'data-ok': 'true', 'data-source': source, role: 'status' },
      h(
        'div',
        { class: 'ticket' },
        h('p', { class: 'ticket-label' }, tr('yourNumber')),
        h('p', { class: 'ticket-number', testid: 'ticket-number' }, t.number),
        h('p', { class: 'ticket-category', testid: 'result-category' }, state.lang === 'zh' ? t.category : t.categoryEn || t.category),
        tags.length > 0 ? h('p', { class: 'tags' }, tags) : null,
        t.waiting !== null && t.waiting !== undefined ? h('p', { class: 'ticket-ahead', testid: 'result-waiting' }, tr('ahead', t.waiting)) : null,
        t.window ? h('p', { class: 'ticket-window' }, tr('window', t.window)) : null,
      ),
      h('p', { class: 'take-ticket', testid: 'take-ticket' }, h('span', { class: 'take-arrow', 'aria-hidden': 'true' }, '↓ '), tr('takeTicket')),
      h('div', { class: 'result-foot' }, countdown, done),
    );
  }
  const message = result !== null && result.message ? (state.lang === 'zh' ? result.message.zh : result.message.en || result.message.zh) : tr('requestFailed');
  return h(
    'section',
    { class: 'screen screen-result screen-refused', testid: 'result', 'data-ok': 'false', 'data-source': source, 'data-reason': result?.reason ?? 'request-failed', role: 'alert' },
    h('div', { class: 'blocked-icon', 'aria-hidden': 'true' }, '!'),
    h('h2', { class: 'blocked-title' }, tr('refusedTitle')),
    h('p', { class: 'refusal', testid: 'result-message' }, message),
    h('div', { class: 'result-foot' }, countdown, done),
  );
}

// ---- rendering -----------------------------------------------------------------------------

/** What main's DOM depends on; waiting counts and the typed code are patched in place. */
function structureKey() {
  const v = state.view;
  const cats = v ? v.categories.map((c) => [c.id, c.name, c.nameEn, c.prefix, c.state, c.hours, c.priority, c.waiting === null]) : null;
  const who = v ? [v.identity?.reader ?? false, v.identity?.identified ?? null, v.identity?.problem ?? null, v.sms ?? false] : null;
  return JSON.stringify([state.lang, state.screen, state.keys, v === null, v?.blocked ?? null, cats, who, state.phone, state.screen === 'result' ? state.resultAt : 0]);
}

function render() {
  const view = state.view;
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  els.root.dataset.rev = view ? String(view.rev) : '';
  els.root.dataset.lang = state.lang;
  els.hall.textContent = view ? (state.lang === 'zh' ? view.hallName : view.hallNameEn || view.hallName) : '';
  els.lang.textContent = tr('langToggle');
  els.lang.lang = state.lang === 'zh' ? 'en' : 'zh-CN';
  els.reconnecting.hidden = !state.streamDown;
  els.reconnecting.textContent = tr('reconnecting');
  els.offline.hidden = !view || view.online;
  els.offline.textContent = tr('offlineMode');
  els.paperLow.hidden = !view || !view.paperLow || Boolean(view.blocked);
  els.paperLow.textContent = tr('paperLow');
  const notice = view?.notice ? (state.lang === 'zh' ? view.notice.zh : view.notice.en || view.notice.zh) : '';
  els.notice.hidden = !notice;
  els.notice.textContent = notice;
  els.footHint.textContent = view && !view.blocked ? tr('help') : '';
  els.busy.hidden = state.busy === null;
  els.busyText.textContent = state.busy === 'checkin' ? tr('checkingIn') : tr('printing');
  renderClock();

  const key = structureKey();
  if (key !== state.builtKey) {
    state.builtKey = key;
    els.main.replaceChildren(buildMain());
    els.main.dataset.screen = els.main.firstElementChild?.dataset.testid ?? '';
  } else {
    patchMain();
  }
  layoutGrid(); // a notice or hint that came or went changes the room the grid has
  applyEnabled();
  updateCountdown();
}

/** In-place updates that must not replace a button a finger may be on. */
function patchMain() {
  const view = state.view;
  if (view) {
    for (const el of els.main.querySelectorAll('.cat-waiting')) {
      const cat = view.categories.find((c) => c.id === el.dataset.cat);
      el.textContent = cat && cat.waiting !== null ? tr('waiting', cat.waiting) : '';
    }
  }
  const code = document.getElementById('code');
  if (code) code.textContent = state.code;
  const phone = document.getElementById('phone-display');
  if (phone) phone.textContent = maskPhone(state.phoneTyped);
  const problem = document.getElementById('phone-problem');
  if (problem) problem.textContent = phoneProblem(state.phoneTyped);
}

/** A button is on when it says so (data-enabled), nothing is in flight and the screen has settled. */
function applyEnabled() {
  const off = state.busy !== null || Date.now() < state.settleUntil;
  els.main.inert = state.busy !== null;
  for (const b of els.main.querySelectorAll('button')) {
    let on = b.dataset.enabled === '1' && !off;
    if (b.id === 'checkin-submit') on = on && state.code.length > 0;
    if (b.id === 'phone-submit') on = on && phoneValid(state.phoneTyped);
    b.disabled = !on;
  }
}

/** Picks columns so ~15 categories fill the grid without scrolling in portrait and landscape. */
function layoutGrid() {
  const grid = els.main.querySelector('.grid');
  if (!grid) return;
  const n = grid.children.length;
  const style = window.getComputedStyle(grid);
  const gap = parseFloat(style.columnGap) || 16;
  const w = grid.clientWidth;
  const hgt = grid.clientHeight;
  if (n === 0 || w === 0 || hgt === 0) return;
  let best = { cols: 1, rows: n, score: -1 };
  for (let cols = 1; cols <= Math.min(n, 6); cols++) {
    const rows = Math.ceil(n / cols);
    const cw = (w - gap * (cols - 1)) / cols;
    const ch = (hgt - gap * (rows - 1)) / rows;
    // A touch target reads best about 1.4 times as wide as high; score the short side of that.
    const score = Math.min(cw / 1.4, ch);
    if (score > best.score + 1) best = { cols, rows, score };
  }
  grid.style.gridTemplateColumns = `repeat(${best.cols}, minmax(0, 1fr))`;
  // Too many to fit at a readable size: rows keep their minimum height and the grid scrolls.
  grid.style.gridTemplateRows = best.score >= 120 ? `repeat(${best.rows}, minmax(0, 1fr))` : 'repeat(auto-fill, 170px)';
  grid.dataset.cols = String(best.cols);
}

/** The hall's time (view.timeZone), not the browser's: the ticket printed a moment ago says the same. */
function renderClock() {
  const now = new Date();
  const zone = state.view?.timeZone ? { timeZone: state.view.timeZone } : {};
  const fmt =
    state.lang === 'zh'
      ? new Intl.DateTimeFormat('zh-CN', { month: 'long', day: 'numeric', weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...zone })
      : new Intl.DateTimeFormat('en-GB', { month: 'short', day: 'numeric', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...zone });
  els.clock.textContent = fmt.format(now);
}

// ---- navigation and timers -----------------------------------------------------------------

let idleTimer = null;
let resultTimer = null;
let settleTimer = null;

function go(screen) {
  if (state.busy !== null) return;
  if (screen !== 'result') state.result = null;
  if (screen === 'checkin' || screen === 'home') {
    state.code = '';
    state.keys = 'digits';
  }
  if (screen === 'phone') state.phoneTyped = state.phone;
  state.screen = screen;
  settle();
  render();
  armIdle();
  armResult();
}

function goHome(resetLanguage) {
  // The next visitor: nothing of this one stays on the screen.
  if (resetLanguage) {
    state.lang = 'zh';
    state.phone = '';
  }
  state.busy = null;
  go('home');
}

function settle() {
  state.settleUntil = Date.now() + SETTLE_MS;
  clearTimeout(settleTimer);
  settleTimer = setTimeout(applyEnabled, SETTLE_MS + 10);
}

/** After view.idleMs without a touch, home in Chinese for the next visitor. */
function armIdle() {
  clearTimeout(idleTimer);
  const idleMs = state.view?.idleMs ?? 60_000;
  idleTimer = setTimeout(() => {
    if (state.busy !== null) return armIdle();
    if (state.screen !== 'home' || state.lang !== 'zh') goHome(true);
  }, Math.max(idleMs, 500));
}

function armResult() {
  clearInterval(resultTimer);
  resultTimer = null;
  if (state.screen !== 'result') return;
  resultTimer = setInterval(() => {
    if (Date.now() - state.resultAt >= RESULT_MS) goHome(false);
    else updateCountdown();
  }, 250);
}

function updateCountdown() {
  const el = document.getElementById('countdown');
  if (!el) return;
  el.textContent = tr('returnIn', Math.max(1, Math.ceil((RESULT_MS - (Date.now() - state.resultAt)) / 1000)));
}

function showResult(result, source) {
  state.busy = null;
  // The number went with the take (or the take failed and the visitor starts again).
  state.phone = '';
  state.result = { result, source };
  state.resultAt = Date.now();
  go('result');
}

function typePhone(k) {
  if (k === 'back') state.phoneTyped = state.phoneTyped.slice(0, -1);
  else if (k === 'clear') state.phoneTyped = '';
  else if (state.phoneTyped.length < PHONE_DIGITS) state.phoneTyped += k;
  render();
}

function confirmPhone() {
  if (!phoneValid(state.phoneTyped) || Date.now() < state.settleUntil) return;
  setPhone(state.phoneTyped);
  go('home');
}

function setPhone(digits) {
  state.phone = digits;
  state.phoneTyped = '';
  render();
}

function setKeys(mode) {
  state.keys = mode;
  render();
}

function typeKey(k) {
  if (k === 'back') state.code = state.code.slice(0, -1);
  else if (k === 'clear') state.code = '';
  else if (state.code.length < MAX_CODE_CHARS) state.code += k;
  render();
}

// ---- requests ------------------------------------------------------------------------------

/** POSTs JSON; the TakeResult, or null when the answer is not one (the page then says so). */
async function post(path, body) {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), REQUEST_TIMEOUT_MS);
  try {
    const res = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      cache: 'no-store',
      signal: ctrl.signal,
    });
    const data = await res.json();
    if (!res.ok || typeof data !== 'object' || data === null || typeof data.ok !== 'boolean') {
      console.warn(`${path}: ${res.status} ${data?.error ?? ''}`);
      return null;
    }
    return data;
  } catch (err) {
    console.warn(`${path}: ${err}`);
    return null;
  } finally {
    clearTimeout(timer);
  }
}

async function take(cat, priority) {
  // The busy flag is set before anything awaits: a second tap finds it and does nothing.
  if (state.busy !== null || !state.view || state.view.blocked || cat.state !== 'open' || Date.now() < state.settleUntil) return;
  state.busy = 'take';
  render();
  const result = await post('/api/take', { category: cat.id, priority, ...(state.phone ? { phone: state.phone } : {}) });
  showResult(result, 'take');
}

async function checkIn() {
  const code = state.code.trim();
  if (state.busy !== null || code === '' || Date.now() < state.settleUntil) return;
  state.busy = 'checkin';
  render();
  const result = await post('/api/checkin', { code });
  showResult(result, 'checkin');
}

// ---- the event stream ----------------------------------------------------------------------

function onView(view) {
  if (!state.acceptAnyRev && state.view && view.rev < state.view.rev) return;
  state.acceptAnyRev = false;
  const idleChanged = state.view?.idleMs !== view.idleMs;
  const newlyIdentified = Boolean(view.identity?.identified) && !state.view?.identity?.identified;
  state.view = view;
  // A card laid on the reader while another screen (or the last visitor's result) shows: the menu for this visitor.
  if (newlyIdentified && state.busy === null && state.screen !== 'home' && state.screen !== 'phone') {
    state.result = null;
    state.screen = 'home';
    state.code = '';
    settle();
  }
  // Blocked: the menu (and a half-typed code) gives way to the reason; a result stays.
  if (view.blocked && state.screen !== 'home' && state.screen !== 'result') {
    state.screen = 'home';
    state.code = '';
  }
  render();
  if (idleChanged) armIdle();
}

function onScan(outcome) {
  if (!outcome || typeof outcome.result !== 'object') return;
  showResult(outcome.result, 'scan');
}

function connect() {
  const es = new EventSource('/api/events');
  es.addEventListener('open', () => {
    state.streamDown = false;
    state.acceptAnyRev = true;
    render();
  });
  es.addEventListener('error', () => {
    state.streamDown = true;
    render();
    // EventSource retries by itself unless the server answered with an error; then we do.
    if (es.readyState === EventSource.CLOSED) {
      es.close();
      setTimeout(connect, RECONNECT_MS);
    }
  });
  es.addEventListener('view', (e) => onView(JSON.parse(e.data)));
  es.addEventListener('scan', (e) => onScan(JSON.parse(e.data)));
}

// ---- start ---------------------------------------------------------------------------------

els.lang.addEventListener('click', () => {
  state.lang = state.lang === 'zh' ? 'en' : 'zh';
  render();
});
// Any touch keeps the current screen; capture so it counts even on disabled buttons.
for (const type of ['pointerdown', 'keydown']) document.addEventListener(type, armIdle, { capture: true, passive: true });
// A long press must not open a menu on the kiosk.
document.addEventListener('contextmenu', (e) => e.preventDefault());
window.addEventListener('resize', layoutGrid);
setInterval(renderClock, 10_000);
render();
armIdle();
connect();
