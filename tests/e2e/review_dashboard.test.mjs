// The reviewers' dashboard and the subscription detail (issue 12 §2), in
// the browser: two real executions of a company of this test's own
// (15000093, made here; statements stay, as the audit chain keeps what a
// cycle did) on dates no other test uses, then the dashboard for those
// dates in English (desktop) and Arabic (phone): the figures against the
// API and the sandbox bank, the SVG charts named and described, their data
// tables, the time axis mirrored in Arabic, digits following the digit
// setting. Then a pending subscription of a second company (15000094)
// opened from the queue: the detail view's figures, and a confirmation
// that can be cancelled (nothing sent) before the approval goes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test, run, newPage, ready, go, signIn, setLang, apiGet, psql, sh, shot, ROOT } from './lib.mjs';

const CO = '15000093';
const CO2 = '15000094';
const SIG = '29935793001';
const EMPS = ['29935793002', '29935793003', '29935793004', '29935793005'];
const SIG2 = '29935794001';
const REVIEWER = ['28863460004', 'web-reviewer'];
const EXEC1 = '2041-03-08';
const EXEC2 = '2041-03-22';
const FROM = '2041-03-01';
const TO = '2041-03-31';
const PHONE = { width: 390, height: 844 };

const cats = {
  en: JSON.parse(fs.readFileSync(path.join(ROOT, 'web/i18n/en.json'), 'utf8')),
  ar: JSON.parse(fs.readFileSync(path.join(ROOT, 'web/i18n/ar.json'), 'utf8')),
};

// A Qatari IBAN for a 4-letter bank code and 21 characters, check digits computed.
function iban(bank, rest) {
  const bban = bank + rest;
  const digits = `${bban}QA00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let m = 0;
  for (const d of digits) m = (m * 10 + Number(d)) % 97;
  return `QA${String(98 - m).padStart(2, '0')}${bban}`;
}
const IBAN = iban('DASH', '000000000000150000093');
const IBAN2 = iban('DASH', '000000000000150000094');

// A reference of the subscription format, new for every run.
function reference() {
  const A = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const pick = () => Array.from({ length: 4 }, () => A[Math.floor(Math.random() * A.length)]).join('');
  return `RN-${pick()}-${pick()}`;
}

// The company with two employees due at the first execution, one with
// fines (rejected at both), one due at the second; subscribed and approved.
function make() {
  if (psql(`SELECT count(*) FROM companies WHERE est_id = '${CO}'`) !== '0') return;
  psql(`INSERT INTO companies (est_id, name_ar, name_en, email, language) VALUES
      ('${CO}', 'شركة لوحة المتابعة', 'Dashboard Trading', 'hr@dashboard.example', 'en'),
      ('${CO2}', 'شركة المراجعة', 'Review Detail Trading', 'hr@review-detail.example', 'en');
    INSERT INTO persons (qid, name_ar, name_en, nationality, citizen, mobile, language,
      in_country, status, permit_expiry, fines_dirhams) VALUES
      ('${SIG}', 'موقّع', 'Signatory', 'QAT', true, '+97455579301', 'en', true, 'active', NULL, 0),
      ('${SIG2}', 'موقّع ثان', 'Second Signatory', 'QAT', true, '+97455579401', 'en', true, 'active', NULL, 0),
      ('${EMPS[0]}', 'أحمد', 'Ahmed', 'EGY', false, '+97455579302', 'en', true, 'active', '2041-03-20', 0),
      ('${EMPS[1]}', 'بيتر', 'Peter', 'PHL', false, '+97455579303', 'en', true, 'active', '2041-03-25', 0),
      ('${EMPS[2]}', 'راج', 'Raj', 'IND', false, '+97455579304', 'en', true, 'active', '2041-03-28', 50000),
      ('${EMPS[3]}', 'سانتوس', 'Santos', 'PHL', false, '+97455579305', 'en', true, 'active', '2041-04-12', 0);
    INSERT INTO passports (qid, number, expiry) VALUES
      ('${EMPS[0]}', 'P9300201', '2050-01-01'), ('${EMPS[1]}', 'P9300301', '2050-01-01'),
      ('${EMPS[2]}', 'P9300401', '2050-01-01'), ('${EMPS[3]}', 'P9300501', '2050-01-01');
    INSERT INTO employment (qid, est_id, since) VALUES
      ('${EMPS[0]}', '${CO}', '2035-01-01'), ('${EMPS[1]}', '${CO}', '2035-01-01'),
      ('${EMPS[2]}', '${CO}', '2035-01-01'), ('${EMPS[3]}', '${CO}', '2035-01-01');
    INSERT INTO signatories (qid, est_id) VALUES ('${SIG}', '${CO}'), ('${SIG2}', '${CO2}');
    INSERT INTO bank_accounts (iban, est_id, balance_dirhams) VALUES
      ('${IBAN}', '${CO}', 100000000), ('${IBAN2}', '${CO2}', 100000000);
    INSERT INTO renewal_settings (est_id, enabled, cap_dirhams, duration_years, email, mobile,
      language, delivery_address, updated_at) VALUES
      ('${CO}', true, 10000000, 1, 'hr@dashboard.example', '+97455579300', 'en', 'Doha', now()),
      ('${CO2}', true, 750000, 1, 'hr@review-detail.example', '+97455579400', 'en', 'PO Box 94, Doha', now());
    INSERT INTO renewal_subscriptions (est_id, reference, status, iban, authorizing_qid,
      submitted_by, submitted_at, reviewed_by, reviewed_at) VALUES
      ('${CO}', 'RN-DA5H-0001', 'active', '${IBAN}', '${SIG}', '${SIG}', now(), 'reviewer', now());`);
}

// A one-shot execution at that date's morning (the injectable clock).
function execution(date) {
  const clock = process.env.RB_CLOCK_FILE;
  assert.ok(clock, 'RB_CLOCK_FILE is set');
  const saved = fs.existsSync(clock) ? fs.readFileSync(clock, 'utf8') : null;
  try {
    fs.writeFileSync(clock, `${date}T05:00:00Z\n`);
    sh(path.join(process.env.RB_BIN, 'rb-scheduler'), ['run', 'execution', date]);
  } finally {
    if (saved === null) fs.rmSync(clock, { force: true });
    else fs.writeFileSync(clock, saved);
  }
}

const fmt = (page, fn, ...args) => page.evaluate(async ([f, a]) => (await import('/js/i18n.js'))[f](...a), [fn, args]);
const textOf = async (page, sel) => (await page.locator(sel).innerText()).trim();

test('setup: two executions of the test\'s own company', async () => {
  make();
  execution(EXEC1);
  execution(EXEC2);
  const renewed = psql(`SELECT count(*) FROM statement_lines l JOIN statements s ON s.id = l.statement_id
    WHERE s.est_id = '${CO}' AND s.kind = 'execution' AND s.cycle_date = '${EXEC1}' AND l.result = 'RENEWED'`);
  assert.equal(renewed, '2', 'Ahmed and Peter renewed on the first execution');
});

for (const [lang, viewport] of [['en', undefined], ['ar', PHONE]]) {
  test(`dashboard (${lang}${viewport ? ', phone' : ''}): figures, charts and their tables as the API and the bank say`, async () => {
    const cat = cats[lang];
    const page = await newPage({ viewport });
    await signIn(page, ...REVIEWER, lang);
    await go(page, 'review/dashboard');
    await page.fill('#dash-range input[name=from]', FROM);
    await page.fill('#dash-range input[name=to]', TO);
    await page.click('#dash-range button[type=submit]');
    await page.locator('#dash-range-note', { hasText: await fmt(page, 'fmtDate', FROM) }).waitFor();
    const d = await apiGet(page, `/api/v1/backoffice/dashboard?from=${FROM}&to=${TO}`);
    assert.deepEqual(d.cycles.map((c) => c.date), [EXEC1, EXEC2]);
    // Other tests' companies may join these executions: each figure is
    // checked against all the lines of the date, ours among them.
    for (const c of d.cycles) {
      const count = (result) => Number(psql(`SELECT count(*) FROM statement_lines l JOIN statements s
        ON s.id = l.statement_id WHERE s.kind = 'execution' AND s.cycle_date = '${c.date}' AND l.result = '${result}'`));
      assert.equal(c.renewed, count('RENEWED'), c.date);
      assert.equal(c.rejected, count('REJECTED'), c.date);
      assert.equal(c.excluded, count('EXCLUDED'), c.date);
    }
    const [c1, c2] = d.cycles;
    // Ours: Ahmed and Peter renewed, Raj rejected for his fines.
    assert.ok(c1.renewed >= 2);
    assert.ok(c1.rejected_by_reason.OUTSTANDING_FINES >= 1);
    const debited = Number(psql(`SELECT sum(amount_dirhams) FROM bank_debits WHERE iban = '${IBAN}' AND status = 'debited'`));
    assert.equal(d.debits_by_bank.find((b) => b.bank_code === 'DASH').debited_dirhams, debited);
    // Each execution's debits as the sandbox bank honoured them.
    for (const c of d.cycles) {
      assert.equal(c.debited_dirhams, Number(psql(`SELECT coalesce(sum(b.amount_dirhams), 0) FROM bank_debits b
        WHERE b.status = 'debited' AND b.reference IN (SELECT l.debit_reference FROM statement_lines l
        JOIN statements s ON s.id = l.statement_id WHERE s.kind = 'execution' AND s.cycle_date = '${c.date}')`)), c.date);
    }

    // The figures of the last execution, in the user's digits.
    assert.equal(await textOf(page, '#dash-pending [data-value]'), await fmt(page, 'fmtNum', d.queue.pending));
    assert.equal(await textOf(page, '#dash-last-date [data-value]'), await fmt(page, 'fmtDate', EXEC2));
    assert.equal(await textOf(page, '#dash-last-renewed [data-value]'), await fmt(page, 'fmtNum', c2.renewed));
    assert.equal(await textOf(page, '#dash-last-rejected [data-value]'), await fmt(page, 'fmtNum', c2.rejected + c2.excluded));
    assert.equal(await textOf(page, '#dash-last-debited [data-value]'), await fmt(page, 'fmtMoney', c2.debited_dirhams));

    // Each chart: an SVG image named by its title and described, with a data table.
    for (const [id, key] of [['chart-cycles', 'dash.chart_cycles'], ['chart-reasons', 'dash.chart_reasons'],
      ['chart-banks', 'dash.chart_banks']]) {
      const svg = page.locator(`#${id} svg`);
      assert.equal(await svg.getAttribute('role'), 'img');
      const [tid, did] = (await svg.getAttribute('aria-labelledby')).split(' ');
      assert.equal(await page.locator(`#${id} svg > title`).getAttribute('id'), tid);
      assert.equal((await page.locator(`#${id} svg > title`).textContent()), cat[key]);
      assert.ok((await page.locator(`#${id} svg > desc`).textContent()).length > 10);
      assert.equal(await page.locator(`#${id} svg > desc`).getAttribute('id'), did);
      assert.equal(await page.locator(`#${id} table caption`).textContent(), cat[key]);
    }
    // The line chart's table: one row per execution, renewed and rejected.
    const rows = page.locator('#chart-cycles table tbody tr');
    assert.equal(await rows.count(), 2);
    await page.click('#chart-cycles summary');
    for (let i = 0; i < 2; i++) {
      const cells = await rows.nth(i).locator('td').allInnerTexts();
      assert.deepEqual(cells.map((x) => x.trim()), [await fmt(page, 'fmtDate', d.cycles[i].date),
        await fmt(page, 'fmtNum', d.cycles[i].renewed), await fmt(page, 'fmtNum', d.cycles[i].rejected),
        await fmt(page, 'fmtNum', d.cycles[i].excluded)]);
    }
    // Three lines of as many points; the first execution at the start side.
    assert.equal(await page.locator('#chart-cycles polyline').count(), 3);
    const xs = await page.locator('#chart-cycles circle.series-0').evaluateAll((els) => els.map((e) => Number(e.getAttribute('cx'))));
    assert.equal(xs.length, 2);
    if (lang === 'ar') assert.ok(xs[0] > xs[1], `right to left: ${xs}`);
    else assert.ok(xs[0] < xs[1], `left to right: ${xs}`);
    // The reasons chart names the reason in the page's language.
    const reasons = await page.locator('#chart-reasons svg text.bar-label').allTextContents();
    assert.ok(reasons.includes(cat['line.reason.OUTSTANDING_FINES']), reasons.join('|'));
    // The banks chart: the bank's bar carries its amount.
    const bank = await page.locator('#chart-banks table tbody tr', { hasText: 'DASH' }).locator('td').allTextContents();
    assert.equal(bank[1], await fmt(page, 'fmtMoney', debited));
    // The cycles table, newest first, with the reason of the rejection.
    const first = await page.locator('#dash-cycles tbody tr').nth(1).innerText();
    assert.ok(first.includes(cat['line.reason.OUTSTANDING_FINES']), first);
    // Digits: Arabic-Indic in Arabic, unless the user chose Latin ones.
    const ticks = (await page.locator('#chart-cycles svg text.tick').allTextContents()).join(' ');
    if (lang === 'ar') {
      assert.match(ticks, /[\u0660-\u0669]/);
      assert.doesNotMatch(ticks, /[0-9]/);
      assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
      await page.selectOption('#pref-digits', 'latn');
      await ready(page, 'review/dashboard');
      await page.locator('#chart-cycles').waitFor();
      const latn = (await page.locator('#chart-cycles svg text.tick').allTextContents()).join(' ');
      assert.doesNotMatch(latn, /[\u0660-\u0669]/);
      assert.match(latn, /[0-9]/);
      await page.selectOption('#pref-digits', 'arab');
      await ready(page, 'review/dashboard');
    } else {
      assert.doesNotMatch(ticks, /[\u0660-\u0669]/);
    }
    // Nothing wider than the screen on a phone.
    if (viewport) {
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(wide <= viewport.width + 1, `page width ${wide}`);
    }
    await shot(page, `review-dashboard-${lang}`);
    // The reviewer's home shows the same dashboard.
    await go(page, '');
    await page.locator('#dash-pending').waitFor();
    assert.equal(await textOf(page, '#dash-pending [data-value]'), await fmt(page, 'fmtNum', d.queue.pending));
    await page.context().close();
  });
}

test('dashboard: a bad range is said at its field', async () => {
  const page = await newPage();
  await signIn(page, ...REVIEWER, 'en');
  await go(page, 'review/dashboard');
  await page.fill('#dash-range input[name=from]', TO);
  await page.fill('#dash-range input[name=to]', FROM);
  await page.click('#dash-range button[type=submit]');
  const err = page.locator('#dash-range [data-field=to] .field-error');
  await err.filter({ hasText: /\S/ }).waitFor();
  assert.equal(await page.locator('#dash-range input[name=to]').getAttribute('aria-invalid'), 'true');
  await page.context().close();
});

for (const [lang, viewport] of [['en', undefined], ['ar', PHONE]]) {
  test(`subscription detail (${lang}): opened from the queue, figures shown, approval confirmed first`, async () => {
    const cat = cats[lang];
    const ref = reference();
    // A fresh pending request of CO2; earlier runs' ones are its history.
    psql(`UPDATE renewal_subscriptions SET status = 'replaced', reviewed_at = coalesce(reviewed_at, now()),
        reviewed_by = coalesce(reviewed_by, 'test') WHERE est_id = '${CO2}' AND status IN ('pending', 'active');
      INSERT INTO renewal_subscriptions (est_id, reference, status, iban, authorizing_qid, submitted_by, submitted_at)
        VALUES ('${CO2}', '${ref}', 'pending', '${IBAN2}', '${SIG2}', '${SIG2}', now());`);
    const page = await newPage({ viewport });
    await signIn(page, ...REVIEWER, lang);
    await go(page, 'review/queue');
    await page.fill('#queue-filter input[name=q]', CO2);
    await page.click('#queue-filter button[type=submit]');
    await page.click(`a[data-detail="${ref}"]`);
    await ready(page, `review/subscription/${CO2}/${ref}`);
    assert.equal(await textOf(page, '#detail-iban'), IBAN2);
    assert.equal(await textOf(page, '#detail-submitted-by'), await fmt(page, 'fmtDigits', SIG2));
    assert.equal(await textOf(page, '#detail-cap'), await fmt(page, 'fmtMoney', 750000));
    const p = await apiGet(page, `/api/v1/companies/${CO2}/renewal/preview`);
    assert.equal(await textOf(page, '#detail-renewed'), await fmt(page, 'fmtNum', p.renewed_count ?? 0));
    assert.equal(await textOf(page, '#detail-total'), await fmt(page, 'fmtMoney', p.total_dirhams));
    assert.ok((await page.locator('#detail-switches').innerText()).includes('PO Box 94, Doha'));
    await shot(page, `review-subscription-${lang}`);

    // Approve, then cancel in the dialog: nothing is sent.
    await page.click(`#detail-decide button[data-approve="${ref}"]`);
    const dlg = page.locator('dialog.confirm');
    await dlg.waitFor();
    const said = await dlg.locator('#confirm-msg').innerText();
    assert.ok(said.includes(ref) && said.includes(IBAN2), said);
    assert.ok(said.includes(await fmt(page, 'fmtMoney', 750000)), said);
    await dlg.locator('[data-confirm=no]').click();
    await dlg.waitFor({ state: 'detached' });
    assert.equal(psql(`SELECT status FROM renewal_subscriptions WHERE reference = '${ref}'`), 'pending');
    // Approve and confirm: approved, said on the page.
    await page.click(`#detail-decide button[data-approve="${ref}"]`);
    await page.locator('dialog.confirm [data-confirm=yes]').click();
    await page.locator('#detail-flash', { hasText: ref }).waitFor();
    const flash = await textOf(page, '#detail-flash');
    const name = lang === 'ar' ? 'شركة المراجعة' : 'Review Detail Trading';
    assert.equal(flash.replace(/[\u2066-\u2069]/g, ''), cat['review.approved_ok'].replace('{ref}', ref).replace('{name}', name));
    assert.equal(psql(`SELECT status FROM renewal_subscriptions WHERE reference = '${ref}'`), 'active');
    await page.context().close();
  });
}

process.exit(await run());
