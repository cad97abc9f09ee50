// The company pages of issue 12 §2 in the browser: the overview (company
// home) against the preview's own figures, the employees page (filters from
// the overview's links, search, exclude and include from the row, the CSV
// download against the table), and the help pages (every reason of the
// statements explained, the fees as the engine charges them), in English and
// Arabic, at desktop and phone width (390 px, nothing wider than the screen).
// Its own company (15000081), subscribed by SQL; the fixture's signatory
// (tests/fixtures/web.json) signs in. The clock is set to 2026-12-02 for
// each test and put back after it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test, run, newPage, go, signIn, shot, apiGet, psql, dropCompany, TMP } from './lib.mjs';

const CO = '15000081';
const IBAN = 'QA50QNBA000000000000150000081';
const SIG = ['27263460001', 'web-signatory'];
const E1 = '29935781001';   // expires 2026-12-20: renewed
const E2 = '29935781002';   // 2026-12-25, owes fines: blocked
const E3 = '29935781003';   // 2027-01-20, excluded: out of the window, within 60 days
const E4 = '29935781004';   // 2027-02-20: within 90 days
const E5 = '29935781005';   // expired 2026-11-20
const ALL = [E1, E2, E3, E4, E5];
const TODAY = '2026-12-02T06:00:00Z';
const PHONE = { width: 390, height: 844 };
const en = JSON.parse(fs.readFileSync(path.join(process.env.RB_ROOT, 'web/i18n/en.json'), 'utf8'));
const ar = JSON.parse(fs.readFileSync(path.join(process.env.RB_ROOT, 'web/i18n/ar.json'), 'utf8'));

function make() {
  dropCompany(CO, ALL);
  psql(`INSERT INTO companies (est_id, name_ar, name_en, email, language) VALUES
      ('${CO}', 'شركة الصفحات', 'Pages Trading', 'hr@pages.example', 'en');
    INSERT INTO persons (qid, name_ar, name_en, nationality, citizen, mobile, language,
      in_country, status, permit_expiry, fines_dirhams) VALUES
      ('${E1}', 'سالم حسن', 'Salem Hassan', 'EGY', false, '+97455578101', 'ar', true, 'active', '2026-12-20', 0),
      ('${E2}', 'كريم يوسف', 'Karim Youssef', 'JOR', false, '+97455578102', 'ar', true, 'active', '2026-12-25', 123450),
      ('${E3}', 'جمال ناصر', 'Jamal Nasser', 'SYR', false, '+97455578103', 'ar', true, 'active', '2027-01-20', 0),
      ('${E4}', 'دينا علي', 'Dina Ali', 'IND', false, '+97455578104', 'en', true, 'active', '2027-02-20', 0),
      ('${E5}', 'زياد فهد', 'Ziad Fahd', 'PAK', false, '+97455578105', 'en', true, 'active', '2026-11-20', 0);
    INSERT INTO passports (qid, number, expiry) SELECT qid, 'P' || right(qid, 7), '2032-01-01'
      FROM persons WHERE qid LIKE '299357810%';
    INSERT INTO employment (qid, est_id, since) SELECT qid, '${CO}', '2024-01-01' FROM persons WHERE qid LIKE '299357810%';
    INSERT INTO signatories (qid, est_id) VALUES ('${SIG[0]}', '${CO}');
    INSERT INTO bank_accounts (iban, est_id, balance_dirhams) VALUES ('${IBAN}', '${CO}', 100000000);
    INSERT INTO renewal_subscriptions (est_id, reference, status, iban, authorizing_qid, submitted_by,
      submitted_at, reviewed_by, reviewed_at) VALUES ('${CO}', 'RN-PG81-0081', 'active', '${IBAN}', '${SIG[0]}',
      '${SIG[0]}', now(), '28863460004', now());
    INSERT INTO renewal_settings (est_id, enabled, cap_dirhams, duration_years, email, mobile, language,
      delivery_address, updated_at) VALUES ('${CO}', true, 5000000, 1, 'hr@pages.example', '+97455578100', 'en',
      'PO Box 81, Doha', now());
    INSERT INTO renewal_exclusions (est_id, qid, note, added_by, added_at) VALUES
      ('${CO}', '${E3}', 'leaving', '${SIG[0]}', now());`);
}

function drop() {
  psql(`DELETE FROM outbox WHERE est_id = '${CO}'`);
  dropCompany(CO, ALL);
}

// Runs fn with the stack's clock at TODAY, then puts the clock back.
async function atToday(fn) {
  const clock = process.env.RB_CLOCK_FILE;
  const saved = clock && fs.existsSync(clock) ? fs.readFileSync(clock, 'utf8') : null;
  try {
    if (clock) fs.writeFileSync(clock, `${TODAY}\n`);
    await fn();
  } finally {
    if (clock) {
      if (saved === null) fs.rmSync(clock, { force: true });
      else fs.writeFileSync(clock, saved);
    }
  }
}

async function fmt(page, fn, ...args) {
  return page.evaluate(async ([f, a]) => (await import('/js/i18n.js'))[f](...a), [fn, args]);
}

function fill(s, vars) {
  return s.replace(/\{(\w+)\}/g, (m, k) => vars[k]);
}

async function noOverflow(page, what) {
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(w <= PHONE.width, `${what}: the page is ${w}px wide on a ${PHONE.width}px screen`);
}

async function overview(lang, viewport) {
  const page = await newPage({ viewport });
  await signIn(page, ...SIG, lang);
  const cat = lang === 'ar' ? ar : en;
  await go(page, `company/${CO}/overview`);
  await page.locator('#overview-figures').waitFor();
  const o = await apiGet(page, `/api/v1/companies/${CO}/overview`);
  const pv = await apiGet(page, `/api/v1/companies/${CO}/renewal/preview`);
  // The API's figures are the preview's ...
  assert.deepEqual(o.expiring, { expired: 1, within_30: 2, within_60: 3, within_90: 4 });
  assert.equal(o.next_execution.date, '2026-12-08');
  assert.equal(o.next_execution.total_dirhams, pv.total_dirhams);
  assert.equal(o.next_execution.renewed_count, pv.renewed_count);
  assert.equal(o.next_execution.not_renewed_count, pv.not_renewed_count);
  assert.ok(pv.total_dirhams > 0);
  // ... and the page shows them, in the page's language and digits.
  for (const [f, n] of [['expired', 1], ['30', 2], ['60', 3], ['90', 4]]) {
    assert.equal((await page.locator(`[data-expiring="${f}"] .stat-n`).innerText()).trim(), await fmt(page, 'fmtNum', n));
  }
  assert.equal((await page.locator('#overview-expected').innerText()).trim(), fill(cat['overview.of_cap'],
    { total: await fmt(page, 'fmtMoney', pv.total_dirhams), cap: await fmt(page, 'fmtMoney', pv.cap_dirhams) }));
  assert.equal((await page.locator('#overview-renewed').innerText()).trim(), await fmt(page, 'fmtNum', pv.renewed_count));
  assert.equal((await page.locator('#overview-blocked').innerText()).trim(), await fmt(page, 'fmtNum', pv.not_renewed_count));
  assert.equal((await page.locator('#overview-next-date').innerText()).trim(), await fmt(page, 'fmtDate', pv.date));
  // Blocked and why: one line per reason, its count the preview's.
  const reasons = await page.locator('#overview-reasons li').evaluateAll((ls) => ls.map((l) => l.dataset.reason));
  const want = [...new Set(pv.items.filter((l) => l.result !== 'RENEWED').map((l) => l.reason))];
  assert.deepEqual(reasons.sort(), want.sort());
  assert.ok(reasons.includes('OUTSTANDING_FINES'));
  const fines = page.locator('#overview-reasons li[data-reason="OUTSTANDING_FINES"]');
  assert.ok((await fines.innerText()).includes(cat['line.reason.OUTSTANDING_FINES']));
  assert.equal((await fines.locator('.badge').innerText()).trim(),
    await fmt(page, 'fmtNum', pv.items.filter((l) => l.reason === 'OUTSTANDING_FINES' && l.result !== 'RENEWED').length));
  assert.ok(await page.locator('#overview-last-box .empty').count(), 'no execution yet');
  if (viewport) await noOverflow(page, 'overview');
  await shot(page, `company-overview-${lang}${viewport ? '-phone' : ''}`);

  // A count opens the employees page with its filter.
  await page.click('[data-expiring="30"] a');
  await page.waitForFunction((c) => document.querySelector('main').dataset.ready === `company/${c}/employees?expiring=30`, CO);
  await page.locator('#employees-table').waitFor();
  assert.equal(await page.locator('#employees-filter select[name=expiring]').inputValue(), '30');
  const qids = await page.locator('#employees-table tbody tr').evaluateAll((rs) => rs.map((r) => r.querySelector('bdi').textContent));
  assert.deepEqual(qids, await Promise.all([E1, E2].map((q) => fmt(page, 'fmtDigits', q))));
  await page.context().close();
}

test('overview (en): expiring counts, the next execution as the preview has it, blocked by reason, a count opens the employees', () =>
  atToday(async () => { make(); await overview('en'); }));
test('overview (ar, phone 390px): the same figures in Arabic, nothing wider than the screen', () =>
  atToday(() => overview('ar', PHONE)));

async function employees(lang, viewport) {
  const page = await newPage({ viewport });
  await signIn(page, ...SIG, lang);
  const cat = lang === 'ar' ? ar : en;
  await go(page, `company/${CO}/employees`);
  await page.locator('#employees-table').waitFor();
  const rows = page.locator('#employees-table tbody tr');
  assert.equal(await rows.count(), 5);
  // What the next execution would do for each: the preview's answer.
  const pv = await apiGet(page, `/api/v1/companies/${CO}/renewal/preview`);
  const e2 = pv.items.find((l) => l.qid === E2);
  assert.equal(e2.reason, 'OUTSTANDING_FINES');
  const e2row = rows.filter({ has: page.locator(`[data-exclude="${E2}"]`) });
  assert.ok((await e2row.innerText()).includes(cat['line.reason.OUTSTANDING_FINES']));
  assert.ok((await e2row.innerText()).includes(await fmt(page, 'fmtMoney', 123450)));
  const e4row = rows.filter({ has: page.locator(`[data-exclude="${E4}"]`) });
  assert.ok((await e4row.innerText()).includes(cat['employees.not_in_scope']));
  // Search by part of the Arabic name, sorted by permit expiry descending.
  await page.fill('#employees-filter input[name=q]', 'جمال');
  await page.click('#employees-filter button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('#employees-table tbody tr').length === 1);
  assert.equal(await page.locator(`#employees-table [data-include="${E3}"]`).count(), 1);
  await page.fill('#employees-filter input[name=q]', '');
  await page.selectOption('#employees-filter select[name=sort]', 'permit_expiry');
  await page.selectOption('#employees-filter select[name=order]', 'desc');
  await page.click('#employees-filter button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('#employees-table tbody tr').length === 5);
  const order = await rows.evaluateAll((rs) => rs.map((r) => r.querySelector('bdi').textContent));
  assert.deepEqual(order, await Promise.all([E4, E3, E2, E1, E5].map((q) => fmt(page, 'fmtDigits', q))));

  // The CSV: the BOM, then the table's rows in the table's order.
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#employees-download')]);
  const file = path.join(TMP, `employees-${lang}.csv`);
  await dl.saveAs(file);
  const csv = fs.readFileSync(file, 'utf8');
  assert.ok(csv.startsWith('\ufeffqid,name_ar,name_en,'));
  assert.deepEqual(csv.trim().split(/\r?\n/).slice(1).map((l) => l.split(',')[0].replace(/"/g, '')), [E4, E3, E2, E1, E5]);

  // The workbook: a real .xlsx under the company's name (its content is it_company_pages').
  const [wb] = await Promise.all([page.waitForEvent('download'), page.click('#employees-download-xlsx')]);
  assert.equal(wb.suggestedFilename(), `employees-${CO}.xlsx`);
  const wbFile = path.join(TMP, `employees-${lang}.xlsx`);
  await wb.saveAs(wbFile);
  assert.equal(fs.readFileSync(wbFile).subarray(0, 2).toString(), 'PK');

  // Exclude from the row (confirmed), then include again.
  await page.click(`[data-exclude="${E4}"]`);
  assert.ok((await page.locator('#confirm-msg').innerText()).includes(lang === 'ar' ? 'دينا علي' : 'Dina Ali'));
  await page.click('[data-confirm="yes"]');
  await page.locator(`[data-include="${E4}"]`).waitFor();
  assert.equal(psql(`SELECT count(*) FROM renewal_exclusions WHERE est_id = '${CO}' AND qid = '${E4}'`), '1');
  assert.equal((await page.locator('#employees-status').innerText()).trim(),
    fill(cat['employees.excluded_ok'], { name: lang === 'ar' ? 'دينا علي' : 'Dina Ali' }));
  await page.click(`[data-include="${E4}"]`);
  await page.click('[data-confirm="yes"]');
  await page.locator(`[data-exclude="${E4}"]`).waitFor();
  assert.equal(psql(`SELECT count(*) FROM renewal_exclusions WHERE est_id = '${CO}' AND qid = '${E4}'`), '0');
  if (viewport) await noOverflow(page, 'employees');
  await shot(page, `company-employees-${lang}${viewport ? '-phone' : ''}`);
  await page.context().close();
}

test('employees (en): next execution per row, search, sort, CSV as the table, exclude and include from the row', () =>
  atToday(() => employees('en')));
test('employees (ar, phone 390px): the same in Arabic', () => atToday(() => employees('ar', PHONE)));

// A stopped subscription renews nobody: the page says so, and no row reads
// "will be renewed".
test('employees (en): with automatic renewal stopped, due people are not told they will be renewed', () => atToday(async () => {
  psql(`UPDATE renewal_settings SET enabled = false WHERE est_id = '${CO}'`);
  try {
    const page = await newPage();
    await signIn(page, ...SIG, 'en');
    await go(page, `company/${CO}/employees`);
    await page.locator('#employees-table').waitFor();
    assert.equal((await page.locator('#employees-notice').innerText()).trim(), en['employees.not_running.stopped']);
    const text = await page.locator('#employees-table tbody').innerText();
    assert.ok(!text.includes(en['line.outlook.will_renew']), text);
    assert.ok(text.includes(en['employees.due_not_running.stopped']));
    await page.context().close();
  } finally {
    psql(`UPDATE renewal_settings SET enabled = true WHERE est_id = '${CO}'`);
  }
}));

async function help(lang, viewport, signedIn) {
  const page = await newPage({ viewport });
  const cat = lang === 'ar' ? ar : en;
  if (signedIn) await signIn(page, ...SIG, lang);
  else {
    await go(page, 'signin');
    await page.selectOption('#pref-lang', lang);
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  }
  await go(page, 'help');
  const role = signedIn ? 'company' : 'public';
  assert.equal((await page.locator('h1').innerText()).trim(), cat[`help.title.${role}`]);
  // The fees: the engine's totals for each duration.
  const rules = await apiGet(page, '/api/v1/renewal/rules');
  const fees = await page.locator('#help-fees li').allInnerTexts();
  assert.equal(fees.length, 3);
  for (const [i, f] of rules.fees.entries()) {
    assert.ok(fees[i].includes(await fmt(page, 'fmtMoney', f.total_dirhams)), fees[i]);
  }
  const cal = await page.locator('#help-calendar').innerText();
  assert.ok(cal.includes(fill(cat['help.calendar_executions'], { window: await fmt(page, 'fmtNum', rules.window_days) })));
  if (signedIn) {
    // Every reason the statements use, with what it means and how to fix it.
    const codes = Object.keys(cat).filter((k) => k.startsWith('line.reason.')).map((k) => k.slice(12));
    assert.ok(codes.length >= 8);
    const shown = await page.locator('#help-reasons dt').evaluateAll((ds) => ds.map((d) => d.dataset.reason));
    assert.deepEqual(shown, codes);
    for (const c of codes) {
      const dd = page.locator(`#reason-${c} + dd`);
      const text = await dd.innerText();
      assert.ok(text.includes(cat[`help.reason.${c}`]) && text.includes(cat[`help.fix.${c}`]), c);
    }
    // The other roles' help is a tab away.
    await page.click('a[href="#/help/reviewer"]');
    await page.waitForFunction(() => document.querySelector('main').dataset.ready === 'help/reviewer');
    assert.equal((await page.locator('h1').innerText()).trim(), cat['help.title.reviewer']);
  } else {
    assert.equal(await page.locator('#help-reasons').count(), 0);
  }
  if (viewport) await noOverflow(page, 'help');
  await shot(page, `help-${role}-${lang}${viewport ? '-phone' : ''}`);
  await page.context().close();
}

async function grants(lang) {
  const page = await newPage();
  await signIn(page, ...SIG, lang);
  const cat = lang === 'ar' ? ar : en;
  psql(`DELETE FROM grants WHERE est_id = '${CO}';
    INSERT INTO grants (est_id, qid, service, granted_by, basis_employment_id, granted_at, revoked_at, revoked_by,
      revoke_reason) SELECT '${CO}', e.qid, x.svc, '${SIG[0]}', e.id, '2026-11-01 09:00+03',
      CASE WHEN x.rev THEN '2026-11-20 10:00+03'::timestamptz END, CASE WHEN x.rev THEN '${SIG[0]}' END,
      CASE WHEN x.rev THEN 'revoked_by_signatory' END FROM employment e,
      (VALUES ('${E1}', 'TRAVEL_NOTICE', false), ('${E2}', 'EXIT_PERMIT', true), ('${E2}', 'TRAVEL_NOTICE', false)) AS x(qid, svc, rev)
      WHERE e.est_id = '${CO}' AND e.qid = x.qid AND e.ended_on IS NULL;`);
  await go(page, `company/${CO}/grants`);
  await page.locator('#grants-table').waitFor();
  assert.equal(await page.locator('#grants-table tbody tr').count(), 2);
  // Who granted, by name, in every row.
  const signer = lang === 'ar' ? 'سالم المري' : 'Salem Al-Marri';
  for (const txt of await page.locator('#grants-table tbody tr').allInnerTexts()) assert.ok(txt.includes(signer), txt);
  // The revoked one: by state, with who revoked it and when.
  await page.selectOption('#grants-filter select[name=state]', 'revoked');
  await page.click('#grants-filter button[type=submit]');
  await page.waitForFunction(() => document.querySelectorAll('#grants-table tbody tr').length === 1);
  const row = page.locator('#grants-table tbody tr');
  const cells = await row.locator('td').allInnerTexts();
  assert.ok(cells[7].includes(signer), cells[7]);
  assert.ok(cells[7].includes(await fmt(page, 'fmtDateTime', '2026-11-20T07:00:00Z')), cells[7]);
  assert.ok(cells[4].includes(cat['grants.state.revoked']));
  // Search by name, and by service.
  await page.selectOption('#grants-filter select[name=state]', '');
  await page.fill('#grants-filter input[name=q]', lang === 'ar' ? 'سالم' : 'salem');
  await page.click('#grants-filter button[type=submit]');
  // The previous filter also showed one row: wait for the search's own.
  await page.waitForFunction((name) => {
    const rows = document.querySelectorAll('#grants-table tbody tr');
    return rows.length === 1 && rows[0].innerText.includes(name);
  }, lang === 'ar' ? 'سالم حسن' : 'Salem Hassan');
  assert.ok((await row.innerText()).includes(lang === 'ar' ? 'سالم حسن' : 'Salem Hassan'));
  await page.fill('#grants-filter input[name=q]', '');
  await page.selectOption('#grants-filter select[name=service]', 'EXIT_PERMIT');
  await page.click('#grants-filter button[type=submit]');
  await page.locator('#grants-list .empty').waitFor();
  await page.check('#grants-show-revoked');
  await page.waitForFunction(() => document.querySelectorAll('#grants-table tbody tr').length === 1);
  await shot(page, `company-grants-${lang}`);
  await page.context().close();
}

test('permissions (en): who granted and revoked each grant and when; search, service and state filters', () => grants('en'));
test('permissions (ar): the same in Arabic', () => grants('ar'));

test('help (en, signed in): the company\'s help, every reason explained, the fees as charged', () => help('en', null, true));
test('help (ar, phone 390px, signed in): the same in Arabic', () => help('ar', PHONE, true));
test('help (ar, signed out): the public help, the fees, no reasons', () => help('ar', null, false));
test('help (en, phone, signed out)', async () => { await help('en', PHONE, false); drop(); });

process.exitCode = await run();
