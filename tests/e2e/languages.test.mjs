// Six languages in the browser (issue 16 §3): the language menu offers
// each in its own script; French, Urdu, Malayalam and Spanish pages read
// in their language (the texts of their catalogue, nothing left in
// English), Urdu right to left; amounts, dates and counts in each
// language's conventions; Urdu in Noto Nastaliq Urdu and Malayalam in Noto
// Sans Malayalam, served by nginx from our origin; a text missing from a
// catalogue reads in English; an error in the reader's language. Its own
// company (15000071), made and removed here; the signatory and the
// reviewer of tests/fixtures/web.json sign in. Screenshots per language
// into RB_SCREENSHOTS when set (docs/screenshots/<page>-<lang>.png).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test, run, newPage, go, ready, signIn, setLang, shot, apiGet, psql, dropCompany, ROOT, BASE } from './lib.mjs';

const CO = '15000071';
const IBAN = 'QA71QNBA000000000000150000071';
const SIG = ['27263460001', 'web-signatory'];
const E1 = '29935771001';   // permit expiring before the execution: renewed
const E2 = '29935771002';   // fines of QAR 1,234,567.89: blocked
const FINES = 123456789;
const EXEC_DATE = '2026-12-08';
const LANGS = ['fr', 'ur', 'ml', 'es'];
const cat = Object.fromEntries(['en', 'ar', ...LANGS].map((l) =>
  [l, JSON.parse(fs.readFileSync(path.join(ROOT, `web/i18n/${l}.json`), 'utf8'))]));
const fill = (s, vars) => s.replace(/\{(\w+)\}/g, (m, k) => vars[k]);

// What each language must look like: its direction, the font its text is
// drawn in (null: the system's), amounts of 1,234,567.89 and 5,000 riyals
// as it writes them (Spanish groups from five digits, Malayalam the Indian
// way), and December in its dates.
const LOOK = {
  fr: { dir: 'ltr', font: null, money: '1\u202f234\u202f567,89\u00a0QAR', cap: '5\u202f000,00\u00a0QAR', december: /déc/ },
  es: { dir: 'ltr', font: null, money: '1.234.567,89\u00a0QAR', cap: '5000,00\u00a0QAR', december: /dic/ },
  ur: { dir: 'rtl', font: 'Noto Nastaliq Urdu', money: '1,234,567.89\u00a0ریال\u00a0قطری',
    cap: '5,000.00\u00a0ریال\u00a0قطری', december: /دسمبر/ },
  ml: { dir: 'ltr', font: 'Noto Sans Malayalam', money: '12,34,567.89\u00a0QAR', cap: '5,000.00\u00a0QAR', december: /ഡിസം/ },
};

function drop() {
  dropCompany(CO, [E1, E2]);
}

// The company writes in French; its employees read Urdu and Malayalam.
function make() {
  drop();
  psql(`INSERT INTO companies (est_id, name_ar, name_en, email, language) VALUES
      ('${CO}', 'شركة اللغات', 'Languages Trading', 'hr@languages.example', 'fr');
    INSERT INTO persons (qid, name_ar, name_en, nationality, citizen, mobile, language,
      in_country, status, permit_expiry, fines_dirhams) VALUES
      ('${E1}', 'عمران خان', 'Imran Khan', 'PAK', false, '+97455577101', 'ur', true, 'active', '2026-12-20', 0),
      ('${E2}', 'أنيل مينون', 'Anil Menon', 'IND', false, '+97455577102', 'ml', true, 'active', '2026-12-25', ${FINES});
    INSERT INTO passports (qid, number, expiry) VALUES ('${E1}', 'P7710001', '2032-01-01'),
      ('${E2}', 'P7710002', '2032-01-01');
    INSERT INTO employment (qid, est_id, since) VALUES ('${E1}', '${CO}', '2024-01-01'), ('${E2}', '${CO}', '2024-01-01');
    INSERT INTO signatories (qid, est_id) VALUES ('${SIG[0]}', '${CO}');
    INSERT INTO bank_accounts (iban, est_id, balance_dirhams) VALUES ('${IBAN}', '${CO}', 10000000);`);
}

async function textOf(page, sel) {
  return (await page.locator(sel).first().innerText()).trim();
}

// English sentences (three words or more, no placeholder) showing in main:
// a text that fell back to English where the language has its own.
async function englishLeft(page, lang) {
  const text = await page.locator('main').innerText();
  return Object.entries(cat.en).filter(([k, v]) => !v.includes('{') && v.split(/\s+/).length >= 3
    && cat[lang][k] !== v && text.includes(v)).map(([k]) => k);
}

// The font the browser drew an element's text in: the first family of
// its computed font-family, loaded, and usable for that text.
async function fontOf(page, sel) {
  return page.evaluate(async (s) => {
    await document.fonts.ready;
    const e = document.querySelector(s);
    const family = getComputedStyle(e).fontFamily.split(',')[0].trim().replace(/^"|"$/g, '');
    const faces = [...document.fonts].filter((f) => f.family.replace(/^"|"$/g, '') === family);
    return { family, loaded: faces.some((f) => f.status === 'loaded'),
      check: document.fonts.check(`16px "${family}"`, e.textContent) };
  }, sel);
}

test('the language menu offers the six, each named in its own script', async () => {
  const page = await newPage();
  await go(page, 'signin');
  const opts = await page.locator('#pref-lang option').evaluateAll((os) => os.map((o) => [o.value, o.textContent, o.lang]));
  assert.deepEqual(opts, [['en', 'English', 'en'], ['ar', 'العربية', 'ar'], ['fr', 'Français', 'fr'],
    ['ur', 'اردو', 'ur'], ['ml', 'മലയാളം', 'ml'], ['es', 'Español', 'es']]);
  await page.context().close();
});

test('the database takes the six languages and no other (the loader: tests/loader_test.sh)', async () => {
  make();
  assert.equal(psql(`SELECT string_agg(language, ',' ORDER BY qid) FROM persons WHERE qid IN ('${E1}', '${E2}')`), 'ur,ml');
  assert.throws(() => psql(`UPDATE persons SET language = 'de' WHERE qid = '${E1}'`), /persons_language_six/);
  assert.throws(() => psql(`UPDATE companies SET language = 'hi' WHERE est_id = '${CO}'`), /companies_language_six/);
});

for (const lang of LANGS) {
  const c = cat[lang];
  const look = LOOK[lang];
  test(`${lang}: sign-in with an error, home, renewal, preview and verification pages in ${lang}`, async () => {
    const page = await newPage({ locale: lang });
    await go(page, 'signin');
    await setLang(page, lang);
    assert.equal(await page.getAttribute('html', 'lang'), lang);
    assert.equal(await page.getAttribute('html', 'dir'), look.dir);
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('main')).direction), look.dir);
    assert.equal(await page.title(), c['app.title']);
    assert.equal(await textOf(page, 'h1'), c['signin.title']);
    assert.equal(await textOf(page, '#pref-lang-label'), c['prefs.language']);
    // An API error in the reader's language, at its field.
    await page.fill('#signin-form input[name=username]', SIG[0]);
    await page.fill('#signin-form input[name=password]', 'wrong');
    await page.click('#signin-form button[type=submit]');
    await page.waitForFunction((t) => document.querySelector('#signin-form [data-field=password] .field-error')?.textContent === t,
      c['err.invalid_credentials']);
    await shot(page, `signin-${lang}`);
    if (look.font) {
      const f = await fontOf(page, 'h1');
      assert.deepEqual(f, { family: look.font, loaded: true, check: true }, `${lang} drawn in ${look.font}`);
    }

    await signIn(page, ...SIG);
    assert.equal(await page.getAttribute('html', 'lang'), lang, 'the language is remembered');
    assert.equal(await textOf(page, 'h1'), c['home.title']);
    assert.ok((await page.locator('#nav').innerText()).includes(c['nav.home']));
    assert.deepEqual(await englishLeft(page, lang), [], 'no English left on the home page');
    if (look.font) assert.equal((await fontOf(page, 'main h1')).family, look.font);
    await shot(page, `home-signatory-${lang}`);

    await go(page, `company/${CO}/renewal`);
    if (lang === 'fr') {
      // The first language subscribes the company, through the form.
      const f = '#subscribe-form';
      await page.fill(`${f} input[name=iban]`, IBAN);
      await page.fill(`${f} input[name=authorizing_qid]`, SIG[0]);
      await page.fill(`${f} input[name=cap_dirhams]`, '5000');
      await page.fill(`${f} input[name=email]`, 'hr@languages.example');
      await page.fill(`${f} input[name=mobile]`, '+97455000071');
      await page.fill(`${f} textarea[name=delivery_address]`, 'BP 71, Doha');
      // Statements in any of the six, named in the page's language.
      const opts = await page.$$eval(`${f} select[name=language] option`, (os) => os.map((o) => [o.value, o.textContent]));
      assert.deepEqual(opts, ['ar', 'en', 'fr', 'ur', 'ml', 'es'].map((l) => [l, c[`renewal.lang.${l}`]]));
      await page.selectOption(`${f} select[name=language]`, 'fr');
      await page.click(`${f} button[type=submit]`);
      await page.locator('#renewal-status').waitFor();
      const s = await apiGet(page, `/api/v1/companies/${CO}/renewal`);
      assert.equal(s.language, 'fr');
      assert.equal(await textOf(page, '#renewal-flash'), fill(c['renewal.subscribed_ok'], { ref: `\u2066${s.reference}\u2069` }));
    }
    await page.locator('#renewal-status').waitFor();
    assert.ok((await page.locator('main').innerText()).includes(c['renewal.status.pending']));
    assert.deepEqual(await englishLeft(page, lang), [], 'no English left on the renewal page');
    await shot(page, `renewal-${lang}`);

    await go(page, `company/${CO}/preview`);
    await page.locator('#preview-result dl').waitFor();
    await page.fill('#preview-form input[name=date]', EXEC_DATE);
    await page.click('#preview-form button[type=submit]');
    await page.locator('#preview-table tbody tr').nth(1).waitFor();
    const pv = await apiGet(page, `/api/v1/companies/${CO}/renewal/preview?date=${EXEC_DATE}`);
    assert.equal(pv.items.length, 2);
    // The blocked line's remedy names the fines as the language writes
    // amounts; the cap likewise (QAR 5,000.00).
    const blocked = pv.items.findIndex((l) => l.qid === E2);
    const remedy = await page.locator('#preview-table tbody tr').nth(blocked).locator('.remedy').innerText();
    assert.ok(remedy.includes(look.money), `${remedy} names ${look.money}`);
    assert.ok(remedy.startsWith(fill(c['line.remedy.PAY_FINES'], { amount: look.money })), remedy);
    const facts = await page.locator('#preview-result dl').innerText();
    assert.ok(facts.includes(look.cap), `${facts} names the cap ${look.cap}`);
    assert.ok(facts.includes(fill(c['renewal.years'], { n: 1 })) || facts.includes(fill(c['renewal.years'], { n: 2 })), facts);
    // The execution date and the permits' expiry: December in the language.
    assert.match(facts, look.december);
    const expiries = await page.locator('#preview-table tbody').innerText();
    assert.match(expiries, look.december);
    assert.ok(expiries.includes(c['line.reason.OUTSTANDING_FINES']), expiries);
    assert.deepEqual(await englishLeft(page, lang), [], 'no English left on the preview page');
    await shot(page, `preview-${lang}`);

    await go(page, 'verify');
    assert.equal(await textOf(page, 'h1'), c['verify.title']);
    assert.deepEqual(await englishLeft(page, lang), [], 'no English left on the verification page');
    if (look.font) assert.equal((await fontOf(page, 'main h1')).family, look.font);
    await shot(page, `verify-${lang}`);
    await page.context().close();
  });
}

test('fonts: nginx serves the four Noto files from our origin, as fonts, and no other file there', async () => {
  const page = await newPage();
  for (const f of ['NotoNastaliqUrdu-Regular', 'NotoNastaliqUrdu-Bold', 'NotoSansMalayalam-Regular', 'NotoSansMalayalam-Bold']) {
    const r = await page.request.get(`${BASE}/fonts/${f}.ttf`);
    assert.equal(r.status(), 200, f);
    assert.equal(r.headers()['content-type'], 'font/ttf', f);
    const b = await r.body();
    assert.equal(b.readUInt32BE(0), 0x00010000, `${f} is a TrueType font`);
    assert.equal(b.length, fs.statSync(`/usr/share/fonts/truetype/noto/${f}.ttf`).size);
  }
  for (const f of ['NotoSans-Regular.ttf', '../noto/NotoSansMalayalam-Regular.ttf', 'NotoNastaliqUrdu-Regular.ttf.bak']) {
    assert.equal((await page.request.get(`${BASE}/fonts/${f}`)).status(), 404, f);
  }
  await page.context().close();
});

test('a text missing from a catalogue reads in English, the rest in the language', async () => {
  const page = await newPage();
  // Spanish without its sign-in title, as after a merge that added a key.
  await page.route('**/i18n/es.json', async (route) => {
    const r = await route.fetch();
    const body = await r.json();
    delete body['signin.title'];
    await route.fulfill({ response: r, json: body });
  });
  await go(page, 'signin');
  await setLang(page, 'es');
  assert.equal(await textOf(page, 'h1'), cat.en['signin.title']);
  assert.equal(await textOf(page, '#pref-lang-label'), cat.es['prefs.language']);
  await page.context().close();
});

test('cleanup', async () => {
  psql(`DELETE FROM renewal_subscriptions WHERE est_id = '${CO}'`);
  drop();
  assert.equal(psql(`SELECT count(*) FROM companies WHERE est_id = '${CO}'`), '0');
});

process.exitCode = await run();
