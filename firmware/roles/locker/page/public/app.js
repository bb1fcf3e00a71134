/* global document, window, EventSource, fetch */
// The cabinet's touch page: a code pad for pickups and size buttons for drop-offs. It renders
// the LockerView the role pushes over /api/events and posts the code (POST /api/code) or the
// size (POST /api/drop-off); the role checks the code, opens the door and says what happened.
// A code typed on the cabinet's physical keypad arrives in the view masked; the result of a
// pickup tried at the cabinet (keypad, QR scanner, ID card) arrives in the view as well. The
// door that opened shows large; a refusal says why.
// A lockout stays on screen with the time left until it ends, counted down from the view's
// lockoutLeftMs on the page's own clock (a reload gets a fresh view and goes on counting).

const SIZE_NAMES = { S: '小门 S', M: '中门 M', L: '大门 L', XL: '特大门 XL' };
const REASONS = {
  'wrong-code': (r) => `取件码错误，还可尝试 ${r.remaining} 次 · Wrong code, ${r.remaining} tries left`,
  'locked-out': () => '错误次数过多，请稍后再试 · Locked out',
  'not-opened': (r) => `柜门 ${r.door ?? ''} 未能打开，请联系工作人员 · Door did not open`,
  unavailable: () => '柜门暂不可用，请联系工作人员 · Unavailable',
  'no-free-door': () => '该尺寸暂无空闲柜门 · No free door of this size',
  'card-unreadable': () => '身份证未能读取，请重新放置 · The ID card could not be read, place it again',
};
// An ID card is not a code: "wrong code" would send the citizen looking for an SMS.
const CARD_REASONS = {
  'wrong-code': (r) => `此身份证没有待取的材料，还可尝试 ${r.remaining} 次 · Nothing to pick up for this ID card, ${r.remaining} tries left`,
};
const state = { view: null, viewAt: 0, busy: false, shownReceipt: undefined, shownPickup: undefined };
const $ = (id) => document.getElementById(id);

const OPENED_MS = 20_000;

/** The door that opened, large, until the next result or OPENED_MS. */
function showOpened(door) {
  $('message').hidden = true;
  $('door-number').textContent = String(door);
  $('opened').hidden = false;
  window.clearTimeout(showOpened.timer);
  showOpened.timer = window.setTimeout(() => ($('opened').hidden = true), OPENED_MS);
}

function say(text, ok = false) {
  $('opened').hidden = true;
  const box = $('message');
  box.textContent = text;
  box.className = ok ? 'toast ok' : 'toast';
  box.hidden = false;
  window.clearTimeout(say.timer);
  say.timer = window.setTimeout(() => (box.hidden = true), 8000);
}

async function post(action, body) {
  state.busy = true;
  render();
  try {
    const res = await fetch(`/api/${action}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return await res.json();
  } catch {
    return { ok: false, reason: 'unavailable' };
  } finally {
    state.busy = false;
    render();
  }
}

async function submitCode(event) {
  event.preventDefault();
  const input = $('code');
  const code = input.value.trim();
  if (!code) return;
  input.value = '';
  showResult(await post('code', { code }));
}

async function dropOff(size) {
  const r = await post('drop-off', { size });
  if (r.ok) say(`${r.door} 号柜门已打开，放入后请关门 · Door ${r.door} is open, close it when done`, true);
  else say((REASONS[r.reason] ?? (() => r.error ?? '出错了'))(r));
}

/** Milliseconds of the lockout left now (0: none). */
function lockoutLeft() {
  const left = state.view?.lockoutLeftMs ?? null;
  return left === null ? 0 : Math.max(0, left - (performance.now() - state.viewAt));
}

/** "4分59秒 · 4:59" */
function timeLeft(ms) {
  const total = Math.ceil(ms / 1000);
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `请 ${m}分${String(s).padStart(2, '0')}秒 后再试 · Try again in ${m}:${String(s).padStart(2, '0')}`;
}

function renderLockout(left) {
  $('lockout').hidden = left <= 0;
  if (left > 0) $('lockout-left').textContent = timeLeft(left);
}

function render() {
  const v = state.view;
  if (!v) return;
  $('offline').hidden = !v.offline;
  const left = lockoutLeft();
  const locked = left > 0;
  renderLockout(left);
  for (const b of document.querySelectorAll('#code-form button, .keys button')) b.disabled = locked || state.busy;
  keypadEntry(v, locked);
  cabinetPickup(v);
  const sizes = $('sizes');
  sizes.replaceChildren(
    ...Object.entries(v.free).map(([size, n]) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.dataset.testid = `size-${size}`;
      b.textContent = `${SIZE_NAMES[size]}（空闲 ${n}）`;
      b.disabled = n === 0 || state.busy;
      b.addEventListener('click', () => void dropOff(size));
      return b;
    }),
  );
  // A drop-off closed since this page loaded: show its receipt until the next one.
  const code = v.lastDropOff?.receiptCode ?? null;
  if (state.shownReceipt === undefined) state.shownReceipt = code;
  else if (code !== null && code !== state.shownReceipt) {
    state.shownReceipt = code;
    const receipt = $('receipt');
    receipt.textContent = `投递成功（${v.lastDropOff.door} 号柜），回执码 ${code} · Receipt code`;
    receipt.dataset.code = code;
    receipt.hidden = false;
    $('message').hidden = true;
  }
}

function showResult(r, via = 'code') {
  if (r.ok) showOpened(r.door);
  // The lockout has its own box with the time left; a short message would only repeat it.
  else if (r.reason === 'locked-out') {
    $('message').hidden = true;
    $('opened').hidden = true;
  } else say(((via === 'id-card' ? CARD_REASONS[r.reason] : undefined) ?? REASONS[r.reason] ?? (() => r.error ?? '出错了'))(r));
}

// The physical keypad's entry (already masked by the role).
function keypadEntry(v, locked) {
  const entry = $('keypad-entry');
  const k = v.keypad;
  entry.hidden = !k || locked || k.typed === '';
  if (k) entry.textContent = `按键输入 · Keypad: ${k.typed}`;
}

// Each new result of a pickup tried at the cabinet (keypad, scanner, ID card), once; not one
// that was there before this page loaded.
function cabinetPickup(v) {
  const seq = v.pickup?.seq ?? null;
  if (state.shownPickup === undefined) state.shownPickup = seq;
  else if (seq !== null && seq !== state.shownPickup) {
    state.shownPickup = seq;
    showResult(v.pickup.result, v.pickup.via);
  }
}

function keypad() {
  const keys = $('keys');
  for (const k of ['1', '2', '3', '4', '5', '6', '7', '8', '9', '⌫', '0', '清除']) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = k;
    b.addEventListener('click', () => {
      const input = $('code');
      if (k === '⌫') input.value = input.value.slice(0, -1);
      else if (k === '清除') input.value = '';
      else input.value += k;
    });
    keys.append(b);
  }
}

keypad();
$('code-form').addEventListener('submit', (e) => void submitCode(e));
const events = new EventSource('/api/events');
events.addEventListener('view', (e) => {
  state.view = JSON.parse(e.data);
  state.viewAt = performance.now();
  render();
});
// The countdown, and the keys back on when it ends.
window.setInterval(() => {
  if (state.view?.lockoutLeftMs) render();
}, 1000);
