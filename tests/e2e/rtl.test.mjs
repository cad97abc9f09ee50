// Arabic right to left done right (issue 12 §1): Latin-script values
// (reference, IBAN, QID, establishment number, email, verification code)
// are isolates of their own beside their labels, a +974 number reads left
// to right, every figure on the page follows the Arabic-Indic digit
// setting, and each amount carries its currency once. Its own company
// (15000061), made and removed here; the signatory and the reviewer of
// tests/fixtures/web.json sign in.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test, run, newPage, go, signIn, shot, apiGet, psql, dropCompany } from './lib.mjs';

const CO = '15000061';
const IBAN = 'QA50QNBA000000000000150000061';
const SIG = ['27263460001', 'web-signatory'];
const REVIEWER = ['28863460004', 'web-reviewer'];
const E1 = '29935761001';   // permit expiring before the execution: renewed
const E2 = '29935761002';   // with fines: blocked, the remedy says how much
const MOBILE = '+97455000061';
const EXEC_DATE = '2026-12-08';
// One screenshot per checked page, kept (lib.mjs removes its TMP) so that
// a person can look at them (under RB_RTL_SHOTS, else TMPDIR); also into
// RB_SCREENSHOTS when set.
const SHOTS = fs.mkdtempSync(path.join(process.env.RB_RTL_SHOTS || os.tmpdir(), 'web-rtl-shots-'));
console.log(`screenshots in ${SHOTS}`);
async function snap(page, name) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  await shot(page, name);
}

function drop() {
  dropCompany(CO, [E1, E2]);
}

function make() {
  drop();
  psql(`INSERT INTO companies (est_id, name_ar, name_en, email, language) VALUES
      ('${CO}', 'شركة الاتجاه', 'Direction Trading', 'hr@direction.example', 'ar');
    INSERT INTO persons (qid, name_ar, name_en, nationality, citizen, mobile, language,
      in_country, status, permit_expiry, fines_dirhams) VALUES
      ('${E1}', 'سالم حسن', 'Salem Hassan', 'EGY', false, '+97455576101', 'ar', true, 'active', '2026-12-20', 0),
      ('${E2}', 'كريم يوسف', 'Karim Youssef', 'JOR', false, '+97455576102', 'ar', true, 'active', '2026-12-25', 123450);
    INSERT INTO passports (qid, number, expiry) VALUES ('${E1}', 'P7610001', '2032-01-01'),
      ('${E2}', 'P7610002', '2032-01-01');
    INSERT INTO employment (qid, est_id, since) VALUES ('${E1}', '${CO}', '2024-01-01'), ('${E2}', '${CO}', '2024-01-01');
    INSERT INTO signatories (qid, est_id) VALUES ('${SIG[0]}', '${CO}');
    INSERT INTO bank_accounts (iban, est_id, balance_dirhams) VALUES ('${IBAN}', '${CO}', 10000000);`);
}

// Everything the page checks about its own text, run in the page:
//  - latin: the Latin digits left in main's text outside isolated values
//    (bdi, dir=ltr, inputs) once Latin tokens are set aside (words with a
//    Latin letter or a leading +, such as "UTF-8" or an example IBAN in a
//    hint: one word each, read as written);
//  - isolated(values): for each value, whether an element showing exactly
//    it is isolated: a <bdi> or dir=ltr, its computed unicode-bidi isolate
//    and its direction ltr.
async function scan(page, values = []) {
  return page.evaluate((vals) => {
    const main = document.querySelector('main');
    const skip = (n) => n.parentElement.closest('bdi, [dir=ltr], input, textarea, script, style');
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    const parts = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (!skip(n)) parts.push(n.nodeValue);
    const text = parts.join(' ').replace(/[+A-Za-z][\w+@.-]*|\d+[A-Za-z][\w-]*/g, ' ');
    const latin = text.match(/[^\s]*[0-9][^\s]*/g) || [];
    const isolated = {};
    for (const v of vals) {
      const els = [...main.querySelectorAll('*')].filter((e) => e.children.length === 0 && e.textContent === v);
      isolated[v] = els.length > 0 && els.every((e) => {
        const cs = getComputedStyle(e);
        return (e.tagName === 'BDI' || e.getAttribute('dir') === 'ltr') && cs.unicodeBidi === 'isolate'
          && cs.direction === 'ltr';
      });
    }
    return { latin, isolated, main: main.textContent };
  }, values);
}

async function arabicDigits(page, s) {
  return page.evaluate(async (x) => (await import('/js/i18n.js')).fmtDigits(x), s);
}

async function money(page, d) {
  return page.evaluate(async (x) => (await import('/js/i18n.js')).fmtMoney(x), d);
}

function allIsolated(r) {
  for (const [v, ok] of Object.entries(r.isolated)) assert.ok(ok, `${v} is shown in an isolate of its own`);
}

// Each amount's currency once: no symbol twice in a row, no dot after it.
function currencyOnce(text) {
  assert.doesNotMatch(text, /ر\.ق\.?\s*ر\.ق/);
  assert.doesNotMatch(text, /ر\.ق\./);
  assert.doesNotMatch(text, /QAR/);
}

async function signInArabic(user) {
  const page = await newPage();
  await signIn(page, ...user, 'ar');
  await page.selectOption('#pref-digits', 'arab');
  return page;
}

test('rtl (ar, Arabic-Indic digits): the subscription\'s reference, IBAN and QID are isolated, no Latin digit is left', async () => {
  make();
  const page = await signInArabic(SIG);
  await go(page, `company/${CO}/renewal`);
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  const f = '#subscribe-form';
  await page.fill(`${f} input[name=iban]`, IBAN);
  await page.fill(`${f} input[name=authorizing_qid]`, SIG[0]);
  await page.fill(`${f} input[name=cap_dirhams]`, '5000');
  await page.fill(`${f} input[name=email]`, 'hr@direction.example');
  await page.fill(`${f} input[name=mobile]`, MOBILE);
  // Free text is shown as typed: the address is typed in Arabic-Indic digits.
  await page.fill(`${f} textarea[name=delivery_address]`, 'ص.ب. ٦١، الدوحة');
  await page.click(`${f} button[type=submit]`);
  await page.locator('#renewal-status').waitFor();
  const s = await apiGet(page, `/api/v1/companies/${CO}/renewal`);
  const r = await scan(page, [s.reference, IBAN, await arabicDigits(page, SIG[0])]);
  allIsolated(r);
  assert.deepEqual(r.latin, [], 'every figure outside Latin values in Arabic-Indic digits');
  // In a sentence the reference is isolated as text (LRI … PDI).
  assert.ok((await page.locator('#renewal-flash').textContent()).includes(`\u2066${s.reference}\u2069`));
  // The heading's establishment number, in the chosen digits.
  assert.match(await page.locator('h1').innerText(), new RegExp(await arabicDigits(page, CO)));
  await snap(page, 'rtl-renewal-ar');
  await page.context().close();
});

test('rtl (ar): the preview\'s figures, QIDs and amounts: one currency each, Arabic-Indic digits', async () => {
  const page = await signInArabic(SIG);
  await go(page, `company/${CO}/preview`);
  await page.locator('#preview-result dl').waitFor();
  await page.fill('#preview-form input[name=date]', EXEC_DATE);
  await page.click('#preview-form button[type=submit]');
  await page.locator('#preview-table tbody tr').nth(1).waitFor();
  const pv = await apiGet(page, `/api/v1/companies/${CO}/renewal/preview?date=${EXEC_DATE}`);
  assert.equal(pv.items.length, 2);
  const r = await scan(page, await Promise.all([E1, E2].map((q) => arabicDigits(page, q))));
  allIsolated(r);
  assert.deepEqual(r.latin, []);
  currencyOnce(r.main);
  // The total: the page's amount, its currency once, after the figure.
  const total = (await page.locator('#preview-total').innerText()).trim();
  assert.equal(total, await money(page, pv.total_dirhams));
  assert.match(total, /^[٠-٩٬٫]+\u00a0ر\.ق$/);
  // Every fee cell is an amount with one currency (zero for the blocked line).
  const fees = await page.locator('#preview-table tbody tr').evaluateAll((rows) => rows.map((x) => x.children[6].textContent.trim()));
  for (const x of fees) assert.match(x, /^[٠-٩٬٫]+\u00a0ر\.ق$/);
  assert.deepEqual(fees, await Promise.all(pv.items.map((l) => money(page, l.fee_dirhams))));
  // The blocked line's remedy names the fines in the same form.
  const blocked = pv.items.findIndex((l) => l.qid === E2);
  const remedy = await page.locator('#preview-table tbody tr').nth(blocked).locator('.remedy').innerText();
  assert.ok(remedy.includes(await money(page, 123450)), remedy);
  assert.equal((remedy.match(/ر\.ق/g) || []).length, 1);
  await snap(page, 'rtl-preview-ar');
  await page.context().close();
});

test('rtl (ar): an exclusion\'s QID isolated, its count and date in Arabic-Indic digits', async () => {
  const page = await signInArabic(SIG);
  await go(page, `company/${CO}/exclusions`);
  await page.fill('#exclusion-form input[name=qid]', E2);
  await page.click('#exclusion-form button[type=submit]');
  await page.locator('#exclusions-table tbody tr').first().waitFor();
  const r = await scan(page, [await arabicDigits(page, E2)]);
  allIsolated(r);
  assert.deepEqual(r.latin, []);
  await snap(page, 'rtl-exclusions-ar');
  await page.context().close();
});

test('rtl (ar): the reviewer sees +974… left to right and the queue\'s values isolated', async () => {
  const page = await signInArabic(REVIEWER);
  await go(page, 'review/queue');
  await page.fill('#queue-filter input[name=q]', CO);
  await page.click('#queue-filter button[type=submit]');
  const s = (await apiGet(page, `/api/v1/backoffice/subscriptions?status=pending&q=${CO}`)).items[0];
  await page.locator(`[data-approve="${s.reference}"]`).waitFor();
  let r = await scan(page, [s.reference, IBAN, await arabicDigits(page, CO)]);
  allIsolated(r);
  assert.deepEqual(r.latin, []);
  currencyOnce(r.main);
  assert.ok(r.main.includes(await money(page, 500000)), 'the cap in the mandate');
  await snap(page, 'rtl-queue-ar');

  await go(page, `company/${CO}/renewal`);
  const phone = page.locator('#switches-view .phone');
  const seen = await phone.evaluate((e) => {
    const cs = getComputedStyle(e);
    // Where the first and the last character are drawn: "+" on the left.
    const at = (i) => {
      const range = document.createRange();
      range.setStart(e.firstChild, i);
      range.setEnd(e.firstChild, i + 1);
      return range.getBoundingClientRect().left;
    };
    return { tag: e.tagName, text: e.textContent, dir: cs.direction, bidi: cs.unicodeBidi,
      plusLeft: at(0) < at(e.textContent.length - 1) };
  });
  assert.deepEqual(seen, { tag: 'BDI', text: MOBILE, dir: 'ltr', bidi: 'isolate', plusLeft: true });
  r = await scan(page, ['hr@direction.example', MOBILE]);
  allIsolated(r);
  assert.deepEqual(r.latin, []);
  await snap(page, 'rtl-switches-ar');
  await page.context().close();
});

test('money (en, ar with Latin digits): the currency once, beside a plain figure', async () => {
  const page = await newPage();
  await signIn(page, ...SIG, 'en');
  await go(page, `company/${CO}/preview`);
  await page.locator('#preview-result dl').waitFor();
  assert.equal(await money(page, 123450), 'QAR\u00a01,234.50');
  assert.equal(await money(page, 0), 'QAR\u00a00.00');
  const cap = await page.locator('#preview-result dl dd').nth(2).innerText();
  assert.equal(cap.trim(), 'QAR\u00a05,000.00');
  await page.selectOption('#pref-lang', 'ar');
  await page.waitForFunction(() => document.documentElement.lang === 'ar');
  await page.selectOption('#pref-digits', 'latn');
  assert.equal(await money(page, 123450), '1,234.50\u00a0ر.ق');
  await page.selectOption('#pref-digits', 'arab');
  assert.equal(await money(page, 123450), '١٬٢٣٤٫٥٠\u00a0ر.ق');
  await page.context().close();
  drop();
});

process.exitCode = await run();
