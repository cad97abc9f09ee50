// Catalogues (i18n/<lang>.json), the user's language and
// number/date preferences (remembered in localStorage), and formatting.
// Six languages (issue 16 §3); Arabic and Urdu are written right to left.
const LANGS = ['en', 'ar', 'fr', 'ur', 'ml', 'es'];
const RTL = ['ar', 'ur'];
// The locale whose conventions Intl follows for each: grouping, decimal
// mark, month names ("8 déc. 2026", "8 dic 2026", "2026 ഡിസം 8"). Malayalam
// groups the Indian way (12,34,567.00), as its SMS do (notify/).
const LOCALES = { en: 'en-GB', ar: 'ar-QA', fr: 'fr-FR', ur: 'ur-PK', ml: 'ml-IN', es: 'es-ES' };
const cats = {};
let lang = 'en';
let digits = 'latn';
let calendar = 'gregory';

function stored(key, allowed, fallback) {
  try {
    const v = localStorage.getItem(key);
    return allowed.includes(v) ? v : fallback;
  } catch {
    return fallback;
  }
}

function store(key, v) {
  try { localStorage.setItem(key, v); } catch { /* private mode: not remembered */ }
}

async function load(l) {
  if (!cats[l]) {
    const r = await fetch(`/i18n/${l}.json`, { credentials: 'same-origin' });
    cats[l] = await r.json();
  }
  // English is every other catalogue's fallback: a key not yet translated
  // reads in English rather than as its key.
  if (l !== 'en' && !cats.en) await load('en');
  return cats[l];
}

export async function initI18n() {
  const nav = (navigator.language || 'en').slice(0, 2);
  lang = stored('rb.lang', LANGS, LANGS.includes(nav) ? nav : 'en');
  digits = stored('rb.digits', ['latn', 'arab'], lang === 'ar' ? 'arab' : 'latn');
  calendar = stored('rb.calendar', ['gregory', 'islamic-umalqura'], 'gregory');
  await load(lang);
  applyDocument();
}

export async function setLang(l) {
  if (!LANGS.includes(l)) return;
  await load(l);
  // Digits follow the language until the user picks them.
  if (localStorage.getItem('rb.digits') === null) digits = l === 'ar' ? 'arab' : 'latn';
  lang = l;
  store('rb.lang', l);
  applyDocument();
}

export function setDigits(d) { digits = d; store('rb.digits', d); }
export function setCalendar(c) { calendar = c; store('rb.calendar', c); }
export function getLang() { return lang; }
export function getDigits() { return digits; }
export function getCalendar() { return calendar; }

function applyDocument() {
  document.documentElement.lang = lang;
  document.documentElement.dir = RTL.includes(lang) ? 'rtl' : 'ltr';
  document.title = t('app.title');
}

// t(key, vars): the text in the user's language; numbers in vars
// are formatted with the user's digits.
export function t(key, vars) {
  let s = cats[lang]?.[key];
  if (s === undefined) s = cats.en?.[key];
  if (s === undefined) return key;
  if (vars) {
    s = s.replace(/\{(\w+)\}/g, (m, k) => {
      const v = vars[k];
      if (v === undefined || v === null) return '';
      return typeof v === 'number' ? fmtNum(v) : String(v);
    });
  }
  return s;
}

// A Latin-script value (reference, IBAN, email, +974 number) put into a
// sentence: between LEFT-TO-RIGHT ISOLATE and POP DIRECTIONAL ISOLATE, the
// plain-text form of ui.js ltr(), so that in Arabic it neither reorders
// the words around it nor loses its own order (a trailing "." or "+974").
export function ltrText(s) {
  return `\u2066${s ?? ''}\u2069`;
}

// The keys of the catalogue starting with prefix, in the catalogue's order
// (English's, which every language shares: a test checks it): the help page
// lists the statements' own reason keys, so it cannot miss one.
export function keysWith(prefix) {
  return Object.keys(cats.en || cats[lang] || {}).filter((k) => k.startsWith(prefix));
}

export function has(key) {
  return cats[lang]?.[key] !== undefined;
}

function locale() {
  return LOCALES[lang] || 'en-GB';
}

export function fmtNum(n) {
  return new Intl.NumberFormat(locale(), { numberingSystem: digits }).format(n);
}

// Digits of a code or number written as it is (QIDs, est_ids): only the
// digit shapes change, no grouping.
export function fmtDigits(s) {
  if (s === null || s === undefined) return '';
  if (digits !== 'arab') return String(s);
  return String(s).replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));
}

// The figures standing alone in a text of the catalogue, in Arabic-Indic digits
// when chosen ("5000.50" -> "٥٠٠٠٫٥٠", "50,000" -> "٥٠٬٠٠٠"); digits that
// belong to a Latin token (UTF-8, SHA-256, an example IBAN or code, a
// +974 number) stay as written, since they are read as one word. Used for
// the hints under fields ("e.g. 5000"); t() itself leaves the catalogue's
// figures as written (its error texts are compared as written by tests).
const STANDALONE = /(^|[^A-Za-z0-9+\-\u200e])(\d+(?:[.,]\d+)*)(?![A-Za-z0-9-])/g;

export function fmtText(s) {
  if (digits !== 'arab') return s;
  return s.replace(STANDALONE, (m, before, num) => before
    + fmtDigits(num).replace(/\./g, '\u066b').replace(/,/g, '\u066c'));
}

// Money is integer dirhams, shown with two decimals in the user's digits
// and the currency once: "QAR 1,020.00", "١٬٠٢٠٫٠٠ ر.ق". Composed here,
// not by Intl's currency style, whose Arabic symbol "ر.ق." ends in a dot
// (doubled by the full stop of any sentence it ends) and comes wrapped in
// direction marks that differ between ICU versions.
// French, Spanish, Urdu and Malayalam write the currency after the amount,
// as their SMS do: "1 020,00 QAR", "1020,00 QAR", "1,020.00 ریال قطری".
const CURRENCY = { en: 'QAR', ar: 'ر.ق', ur: 'ریال\u00a0قطری' };

export function fmtMoney(dirhams) {
  if (dirhams === null || dirhams === undefined) return '';
  const abs = Math.abs(dirhams);
  // whole + frac/100 is exact enough for display of integers below 2^53.
  const n = new Intl.NumberFormat(locale(), { numberingSystem: digits, minimumFractionDigits: 2,
    maximumFractionDigits: 2 }).format(Math.floor(abs / 100) + (abs % 100) / 100);
  const sign = dirhams < 0 ? '-' : '';
  // U+00A0: the amount and its currency never part at a line end.
  if (lang === 'en') return `${sign}${CURRENCY.en}\u00a0${n}`;
  return `${sign}${n}\u00a0${CURRENCY[lang] || CURRENCY.en}`;
}

// "YYYY-MM-DD" (a Qatar calendar date) in the user's calendar and digits.
export function fmtDate(ymd) {
  if (!ymd) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(ymd);
  if (!m) return ymd;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(locale(), { numberingSystem: digits, calendar,
    timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' }).format(d);
}

// An instant (ISO 8601) in Qatar time.
export function fmtDateTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { numberingSystem: digits, calendar,
    timeZone: 'Asia/Qatar', year: 'numeric', month: 'short', day: 'numeric',
    hour: '2-digit', minute: '2-digit' }).format(d);
}

export function fmtTime(ms) {
  return new Intl.DateTimeFormat(locale(), { numberingSystem: digits,
    timeZone: 'Asia/Qatar', hour: '2-digit', minute: '2-digit' }).format(new Date(ms));
}

// A company's or person's name in the user's language.
export function nameOf(o, prefix = 'name') {
  if (!o) return '';
  return (lang === 'ar' ? o[`${prefix}_ar`] : o[`${prefix}_en`]) || o[`${prefix}_en`] || o[`${prefix}_ar`] || '';
}
