// Penalties of establishments (issue 15 §2) in the browser: a supervisor
// sees the issued ones, cannot waive without a note, waives one with a
// note and records a fine as paid after confirming, and the page shows
// the new states; the company's signatory sees its own on the company's
// Penalties tab, read only; the supervisor downloads the workbook of the
// penalties issued in a period, whose rows are those the database holds.
// Both languages, and at phone width. Its own
// company (15000881), made and removed here; the accounts are
// tests/fixtures/web.json's.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test, run, newPage, go, signIn, psql, dropCompany, shot, ROOT, TMP } from './lib.mjs';

const CO = '15000881';
const SIG = ['27263460001', 'web-signatory'];
const REV = ['28863460004', 'web-reviewer'];

const cats = {
  en: JSON.parse(fs.readFileSync(path.join(ROOT, 'web/i18n/en.json'), 'utf8')),
  ar: JSON.parse(fs.readFileSync(path.join(ROOT, 'web/i18n/ar.json'), 'utf8')),
};
const plain = (s) => s.replace(/[\u200e\u200f\u2066-\u2069]/g, '').trim();

function drop() {
  psql(`DELETE FROM outbox WHERE est_id = '${CO}'; DELETE FROM penalties WHERE est_id = '${CO}'`);
  dropCompany(CO, ['-']);
}

function make() {
  drop();
  psql(`INSERT INTO companies (est_id, name_ar, name_en, email, language, sector, licensed_on, enrolled)
      VALUES ('${CO}', 'فندق المخالفات', 'Penalty Web Hotel', 'office@penalty-web.example', 'en',
      'hotels_residences', '2026-01-01', false);
    INSERT INTO signatories (qid, est_id) VALUES ('${SIG[0]}', '${CO}');
    INSERT INTO penalties (est_id, rule_code, ladder, step, licensed_on, issued_on, amount_dirhams,
      suspends, created_at) VALUES
      ('${CO}', 'not_enrolled_warning', 'not_enrolled', 1, '2026-01-01', '2026-01-31', 0, false, now()),
      ('${CO}', 'not_enrolled_fine', 'not_enrolled', 2, '2026-01-01', '2026-03-02', 1000000, false, now());`);
}

const ids = () => psql(`SELECT string_agg(id::text, ' ' ORDER BY step) FROM penalties WHERE est_id = '${CO}'`).split(' ');

for (const [lang, width] of [['en', 1280], ['ar', 1280], ['ar', 390]]) {
  const cat = cats[lang];

  test(`penalties (${lang}, ${width}px): a supervisor waives with a note and records a fine as paid`, async () => {
    make();
    const [warning, fine] = ids();
    const page = await newPage({ viewport: { width, height: 900 } });
    await signIn(page, ...REV, lang);
    await go(page, 'review/penalties');
    await page.fill('#penalties-filter input[name=est_id]', CO);
    await page.click('#penalties-filter button[type=submit]');
    // The unfiltered first page (other tests' penalties too) may show the
    // company's rows before the filtered one replaces it: wait for that.
    await page.waitForFunction(() => document.querySelectorAll('#penalties-table tbody tr').length === 2);
    await page.waitForSelector(`[data-penalty-state="${fine}"]`);
    const rows = await page.locator('#penalties-table tbody tr').count();
    assert.equal(rows, 2);
    assert.equal(plain(await page.locator(`[data-penalty-state="${warning}"]`).innerText()),
      cat['penalty.state.issued']);
    assert.match(plain(await page.locator('#penalties-table').innerText()),
      new RegExp(cat['penalty.rule.not_enrolled_fine'].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    // No note: refused on the page, nothing sent.
    await page.click(`[data-waive="${warning}"]`);
    await page.waitForFunction(() => [...document.querySelectorAll('.row-actions [role=alert], .row-actions .field-error, .row-actions .action-error')]
      .some((e) => e.textContent.trim()));
    assert.equal(psql(`SELECT state FROM penalties WHERE id = ${warning}`), 'issued');
    await page.fill(`[data-penalty-note="${warning}"]`, 'First licence; the owner was abroad');
    await page.click(`[data-waive="${warning}"]`);
    await page.click('dialog.confirm [data-confirm=yes]');
    await page.waitForFunction((id) => document.querySelector(`[data-penalty-state="${id}"]`)?.textContent.includes(
      document.documentElement.lang === 'ar' ? 'معفى' : 'Waived'), warning);
    assert.equal(psql(`SELECT state || ' ' || note FROM penalties WHERE id = ${warning}`),
      'waived First licence; the owner was abroad');
    // A warning has nothing to pay: no such button.
    assert.equal(await page.locator(`[data-paid="${warning}"]`).count(), 0);
    await page.click(`[data-paid="${fine}"]`);
    await page.click('dialog.confirm [data-confirm=yes]');
    await page.waitForFunction(() => document.querySelector('#penalties-flash')?.textContent.trim());
    assert.equal(psql(`SELECT state FROM penalties WHERE id = ${fine}`), 'paid');
    assert.equal(plain(await page.locator('#penalties-flash').innerText()),
      plain(cat['penalty.paid_ok'].replace('{what}', cat['penalty.rule.not_enrolled_fine'])));
    await shot(page, `penalties-review-${lang}-${width}`);
    await page.close();
    drop();
  });

  test(`penalties (${lang}, ${width}px): the company sees its own, read only`, async () => {
    make();
    const page = await newPage({ viewport: { width, height: 900 } });
    await signIn(page, ...SIG, lang);
    await go(page, `company/${CO}/penalties`);
    await page.waitForSelector('#penalties-table');
    assert.equal(await page.locator('#penalties-table tbody tr').count(), 2);
    assert.equal(await page.locator('[data-waive], [data-paid]').count(), 0);
    assert.match(plain(await page.locator('#penalties-table').innerText()),
      new RegExp(cat['penalty.warning_no_amount'].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    await page.close();
    drop();
  });
}

for (const lang of ['en', 'ar']) {
  const cat = cats[lang];

  test(`penalties (${lang}): the supervisor downloads the workbook of a period`, async () => {
    make();
    const page = await newPage();
    await signIn(page, ...REV, lang);
    await go(page, 'review/penalties');
    // More than 366 days: said at the field, nothing downloaded.
    await page.fill('#penalties-workbook-from', '2026-01-01');
    await page.fill('#penalties-workbook-to', '2027-01-02');
    await page.click('#penalties-workbook-download');
    const toErr = page.locator('#penalties-workbook [data-field=to] .field-error');
    await page.waitForFunction(() => document.querySelector('#penalties-workbook [data-field=to] .field-error')
      ?.textContent.trim());
    assert.equal(plain(await toErr.innerText()), plain(cat['penalty.workbook_too_long']));
    await page.fill('#penalties-workbook-to', '2026-03-31');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#penalties-workbook-download')]);
    assert.equal(dl.suggestedFilename(), 'penalties-2026-01-01-2026-03-31.xlsx');
    const file = path.join(TMP, `penalties-${lang}.xlsx`);
    await dl.saveAs(file);
    await page.waitForFunction(() => document.querySelector('#penalties-workbook .form-ok')?.textContent.trim());
    assert.equal(plain(await page.locator('#penalties-workbook .form-ok').innerText()), plain(cat['penalty.workbook_ok']));
    // In the page's language (right to left in Arabic); every penalty
    // issued in the period, in issue order, and the total of their amounts.
    const wb = JSON.parse(execFileSync('/usr/bin/python3', [path.join(ROOT, 'tests/ministry_xlsx_check.py'), file],
      { encoding: 'utf8' }));
    const sheet = wb.sheets[0];
    const [idCol, , estCol, , , , , amountCol] = sheet.columns;
    assert.equal(sheet.rtl, lang === 'ar');
    assert.equal(sheet.rows.map((r) => String(r[idCol])).join(' '),
      psql("SELECT string_agg(id::text, ' ' ORDER BY issued_on, id) FROM penalties WHERE issued_on BETWEEN '2026-01-01' AND '2026-03-31'"));
    const mine = sheet.rows.filter((r) => r[estCol] === CO);
    assert.deepEqual(mine.map((r) => r[amountCol]), [0, 10000]);
    assert.equal(Math.round(sheet.total[amountCol] * 100), Number(psql(
      "SELECT coalesce(sum(amount_dirhams), 0) FROM penalties WHERE issued_on BETWEEN '2026-01-01' AND '2026-03-31'")));
    await shot(page, `penalties-workbook-${lang}`);
    await page.close();
    drop();
  });
}

process.exitCode = await run();
