// The shell: language and number preferences, the session (with its idle
// warning), the navigation and the routes (#/...). Pages live in pages/.
import { h, clear } from './dom.js';
import { initI18n, setLang, setDigits, setCalendar, getLang, getDigits, getCalendar, t,
  fmtTime, fmtNum, nameOf } from './i18n.js';
import { api, get, setCsrf, setSignedOutHandler, onActivity } from './api.js';
import { isReviewer } from './access.js';
import { signinPage } from './pages/signin.js';
import { homePage } from './pages/home.js';
import { companyPage } from './pages/company.js';
import { statementPage } from './pages/statement.js';
import { reviewPage } from './pages/review.js';
import { verifyPage } from './pages/verify.js';
import { residencyPage } from './pages/me_residency.js';

import { helpPage } from './pages/help.js';

import { meGrantsPage } from './pages/me_grants.js';

const ROUTES = [
  { re: /^signin$/, page: signinPage, pub: true },
  // An email's link carries the statement's code: #/verify?code=XXXX-XXXX-XXXX.
  { re: /^verify(?:\?code=([^&]*))?$/, page: verifyPage, pub: true },
  { re: /^$/, page: homePage },
  // A tab may carry its filters: #/company/15000001/employees?expiring=30.
  { re: /^company\/(\d{8})(?:\/([a-z]+))?(?:\?(.*))?$/, page: companyPage },
  { re: /^statement\/(\d+)$/, page: statementPage },
  { re: /^review\/([a-z]+)$/, page: reviewPage },
  { re: /^review\/(subscription)\/(\d{8})\/(RN-[0-9A-Z]{4}-[0-9A-Z]{4})$/, page: reviewPage },
  { re: /^review\/(enrollment)\/(ENR-[0-9A-Z]{4}-[0-9A-Z]{4})$/, page: reviewPage },
  { re: /^residency$/, page: residencyPage },
  // Help for each role: #/help picks the signed-in person's.
  { re: /^help(?:\/([a-z]+))?$/, page: helpPage, pub: true },

  { re: /^me\/grants$/, page: meGrantsPage },
];

const main = document.getElementById('main');
const state = { me: null, notice: null, checked: false, seq: 0, afterSignin: '' };

function route() {
  return decodeURIComponent(location.hash.replace(/^#\/?/, ''));
}

export function go(r) {
  if (route() === r) render();
  else location.hash = `#/${r}`;
}

// ---- the session --------------------------------------------------------

const idle = { ms: 0, last: Date.now(), timer: null };
const dlg = document.getElementById('idle');

function sessionStart(me) {
  state.me = me;
  setCsrf(me.csrf_token);
  idle.ms = (me.idle_timeout_s || 900) * 1000;
  idle.last = Date.now();
  if (!idle.timer) idle.timer = setInterval(idleTick, 1000);
}

function sessionEnd(noticeKey) {
  state.me = null;
  setCsrf(null);
  clearInterval(idle.timer);
  idle.timer = null;
  try { sessionStorage.removeItem('rb.max_until'); } catch { /* ignore */ }
  if (dlg.open) dlg.close();
  endingTick();
  state.notice = noticeKey ? t(noticeKey) : null;
}

// The server notes activity at most every 30 s, so its idle clock may run
// up to 30 s ahead of ours: we count from 30 s before the last request.
function idleLeft() {
  return idle.last + idle.ms - 30000 - Date.now();
}

// The absolute limit cannot be pushed back: a notice a few minutes before.
const ENDING_NOTICE_MS = 5 * 60000;

function maxUntil() {
  try { return Number(sessionStorage.getItem('rb.max_until')) || null; } catch { return null; }
}

function endingTick() {
  const el = document.getElementById('session-ending');
  const until = state.me ? maxUntil() : null;
  const show = until !== null && until - Date.now() <= ENDING_NOTICE_MS;
  if (show) el.textContent = t('session.ending', { time: fmtTime(until) });
  el.hidden = !show;
}

function idleTick() {
  endingTick();
  if (!state.me) return;
  const left = idleLeft();
  if (left <= 0) {
    const r = route();
    sessionEnd('session.expired');
    state.afterSignin = r === 'signin' ? '' : r;
    go('signin');
    return;
  }
  if (left <= 60000) {
    document.getElementById('idle-text').textContent =
      t('session.warning_text', { s: Math.ceil(left / 1000) });
    if (!dlg.open) {
      dlg.showModal();
      document.getElementById('idle-stay').focus();
    }
  } else if (dlg.open) {
    dlg.close();
  }
}

onActivity((path) => {
  if (state.me && path !== '/api/v1/session') idle.last = Date.now();
});

setSignedOutHandler(() => {
  if (!state.me) return;
  const r = route();
  sessionEnd('session.expired');
  state.afterSignin = r;
  go('signin');
});

document.getElementById('idle-stay').addEventListener('click', async () => {
  try {
    await get('/api/v1/me');
    dlg.close();
  } catch { /* 401 handled above */ }
});
document.getElementById('idle-out').addEventListener('click', () => signOut());
dlg.addEventListener('cancel', (ev) => {
  ev.preventDefault();
  document.getElementById('idle-stay').click();
});

async function signOut() {
  try { await api('DELETE', '/api/v1/session'); } catch { /* already ended */ }
  sessionEnd('session.signed_out');
  go('signin');
}

// Called by the sign-in page with the answer of POST /session.
async function signedIn(session) {
  setCsrf(session.csrf_token);
  try {
    sessionStorage.setItem('rb.max_until', String(Date.now() + session.max_age_s * 1000));
  } catch { /* ignore */ }
  const me = await get('/api/v1/me');
  sessionStart(me);
  state.notice = null;
  const next = state.afterSignin;
  state.afterSignin = '';
  go(next && next !== 'signin' ? next : '');
}

// ---- the shell ----------------------------------------------------------

function shellTexts() {
  document.getElementById('brand').textContent = t('app.title');
  document.getElementById('skip').textContent = t('app.skip');
  document.getElementById('pref-lang-label').textContent = t('prefs.language');
  document.getElementById('pref-digits-label').textContent = t('prefs.digits');
  document.getElementById('pref-cal-label').textContent = t('prefs.calendar');
  document.getElementById('pref-cal-gregory').textContent = t('prefs.gregorian');
  document.getElementById('pref-cal-hijri').textContent = t('prefs.hijri');
  document.getElementById('pref-lang').value = getLang();
  document.getElementById('pref-digits').value = getDigits();
  document.getElementById('pref-cal').value = getCalendar();
  document.getElementById('idle-title').textContent = t('session.warning_title');
  document.getElementById('idle-stay').textContent = t('session.stay');
  document.getElementById('idle-out').textContent = t('session.sign_out');
  document.getElementById('foot').textContent = t('app.footer');
  document.getElementById('nav').setAttribute('aria-label', t('nav.label'));
}

function navLink(r, text) {
  const cur = route();
  const active = r === '' ? cur === '' : cur === r || cur.startsWith(`${r}/`);
  return h('a', { href: `#/${r}`, 'aria-current': active ? 'page' : null, text });
}

function shellNav() {
  const nav = clear(document.getElementById('nav'));
  const items = [];
  if (state.me) {
    items.push(navLink('', t('nav.home')));
    if (state.me.qid) items.push(navLink('residency', t('nav.residency')));

    // A registered person may be offered grants (issue 16 §1).
    if (state.me.qid) items.push(navLink('me/grants', t('nav.my_grants')));
    if (isReviewer(state.me)) {
      items.push(navLink('review/dashboard', t('nav.dashboard')));
      items.push(navLink('review/queue', t('nav.queue')));
      items.push(navLink('review/companies', t('nav.companies')));
      items.push(navLink('review/statements', t('nav.statements')));
      items.push(navLink('review/reports', t('nav.reports')));
      items.push(navLink('review/notifications', t('nav.notifications')));
      items.push(navLink('review/penalties', t('nav.penalties')));
      items.push(navLink('review/enrollments', t('nav.enrollments')));

      items.push(navLink('review/signals', t('nav.signals')));
    }
  } else {
    items.push(navLink('signin', t('nav.signin')));
  }
  items.push(navLink('verify', t('nav.verify')));
  items.push(navLink('help', t('nav.help')));
  nav.appendChild(h('ul', {}, items.map((a) => h('li', {}, a))));

  const who = clear(document.getElementById('who'));
  who.hidden = !state.me;
  if (state.me) {
    const until = maxUntil();
    who.append(
      h('span', { class: 'who-name', text: t('session.signed_in_as', { user: nameOf(state.me) || state.me.username }) }),
      h('span', { class: 'who-timeout', text: t('session.idle_info', { min: fmtNum(Math.round(idle.ms / 60000)) }) }),
      until ? h('span', { class: 'who-until', text: t('session.until', { time: fmtTime(until) }) }) : null,
      h('button', { type: 'button', id: 'signout', class: 'link', onclick: signOut, text: t('session.sign_out') }));
  }
}

async function render() {
  const seq = ++state.seq;
  const r = route();
  let match = null;
  let def = null;
  for (const d of ROUTES) {
    match = d.re.exec(r);
    if (match) { def = d; break; }
  }
  if (!state.checked) {
    state.checked = true;
    try {
      sessionStart(await get('/api/v1/me', { noSignOut: true }));
    } catch { state.me = null; }
  }
  if (seq !== state.seq) return;
  if (!def) {
    go('');
    return;
  }
  if (!def.pub && !state.me) {
    state.afterSignin = r;
    go('signin');
    return;
  }
  if (def.page === signinPage && state.me) {
    go('');
    return;
  }
  shellTexts();
  shellNav();
  const view = h('div', { class: 'view' });
  const ctx = {
    me: state.me,
    params: match.slice(1),
    view,
    go,
    rerender: render,
    signedIn,
    // The person's own permissions changed (issue 16 §1): the next page
    // shows them.
    reloadMe: async () => { state.me = await get('/api/v1/me'); },
    notice: state.notice,
    current: () => seq === state.seq,
  };
  state.notice = null;
  clear(main).appendChild(h('p', { class: 'loading', role: 'status', text: t('common.loading') }));
  try {
    await def.page(ctx);
  } catch (e) {
    view.appendChild(h('p', { class: 'form-error', role: 'alert',
      text: e && e.status === 403 ? t('err.forbidden') : t('err.unexpected') }));
  }
  if (seq !== state.seq) return;
  clear(main).appendChild(view);
  const h1 = main.querySelector('h1');
  if (h1 && document.activeElement !== document.getElementById('pref-lang') &&
      document.activeElement !== document.getElementById('pref-digits') &&
      document.activeElement !== document.getElementById('pref-cal')) h1.focus();
  main.dataset.ready = r || 'home';
}

async function boot() {
  await initI18n();
  document.getElementById('pref-lang').addEventListener('change', async (ev) => {
    await setLang(ev.target.value);
    render();
  });
  document.getElementById('pref-digits').addEventListener('change', (ev) => {
    setDigits(ev.target.value);
    render();
  });
  document.getElementById('pref-cal').addEventListener('change', (ev) => {
    setCalendar(ev.target.value);
    render();
  });
  document.getElementById('skip').addEventListener('click', () => {
    const target = main.querySelector('h1') || main;
    target.focus();
  });
  window.addEventListener('hashchange', render);
  await render();
}

boot();
