// Where statements and renewed cards go (issue 11 §2), in the browser: a
// RENEWAL_MANAGE holder sees the statement email, the mobile and the
// delivery address but cannot change them, and is told that only a
// signatory can; the holder's own switches still save. A signatory can
// change them, is told that every change is sent to all signatories and
// the previous address, and the change queues those notices. Both
// languages. Its own company (15000777), made and removed here; the
// accounts are tests/fixtures/web.json's.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test, run, newPage, go, signIn, psql, dropCompany, ROOT } from './lib.mjs';

const CO = '15000777';
const IBAN = 'QA21QNBA000000000000150000777';
const SIG = ['27263460001', 'web-signatory'];
const REP = ['28560860002', 'web-rep'];
const EMAIL = 'statements@contact-web.example';

const cats = {
  en: JSON.parse(fs.readFileSync(path.join(ROOT, 'web/i18n/en.json'), 'utf8')),
  ar: JSON.parse(fs.readFileSync(path.join(ROOT, 'web/i18n/ar.json'), 'utf8')),
};
// What a reader sees, without the direction marks the page adds.
const plain = (s) => s.replace(/[\u200e\u200f\u2066-\u2069]/g, '').trim();

// No persons of its own: the accounts are web.json's ('-' matches none).
function drop() {
  dropCompany(CO, ['-']);
  psql(`DELETE FROM outbox WHERE est_id = '${CO}'`);
}

function make() {
  drop();
  psql(`INSERT INTO companies (est_id, name_ar, name_en, email, language) VALUES
      ('${CO}', 'شركة عنوان الكشوف', 'Contact Web Trading', '${EMAIL}', 'en');
    INSERT INTO signatories (qid, est_id) VALUES ('${SIG[0]}', '${CO}');
    INSERT INTO employment (qid, est_id, since) VALUES ('${REP[0]}', '${CO}', '2024-01-01');
    INSERT INTO grants (est_id, qid, service, granted_by, basis_employment_id, granted_at)
      SELECT '${CO}', '${REP[0]}', 'RENEWAL_MANAGE', '${SIG[0]}', id, now() FROM employment
      WHERE qid = '${REP[0]}' AND est_id = '${CO}';
    INSERT INTO bank_accounts (iban, est_id, balance_dirhams) VALUES ('${IBAN}', '${CO}', 1000000);
    INSERT INTO renewal_settings (est_id, enabled, cap_dirhams, duration_years, email, mobile,
      language, delivery_address, updated_at) VALUES
      ('${CO}', true, 10000000, 1, '${EMAIL}', '+97455077701', 'en', 'PO Box 777, Doha', now());
    INSERT INTO renewal_subscriptions (est_id, reference, status, iban, authorizing_qid,
      submitted_by, submitted_at, reviewed_by, reviewed_at) VALUES
      ('${CO}', 'RN-CW77-0001', 'active', '${IBAN}', '${SIG[0]}', '${SIG[0]}', now(), 'reviewer', now());`);
}

const f = '#switches-form';
const hintOf = async (page, field) => plain(await page.locator(`${f} [data-field=${field}] .hint`).innerText());

for (const lang of ['en', 'ar']) {
  const cat = cats[lang];

  test(`renewal contact (${lang}): a RENEWAL_MANAGE holder cannot redirect statements or cards`, async () => {
    make();
    const page = await newPage();
    await signIn(page, ...REP, lang);
    await go(page, `company/${CO}/renewal`);
    for (const sel of ['input[name=email]', 'input[name=mobile]', 'textarea[name=delivery_address]']) {
      assert.equal(await page.locator(`${f} ${sel}`).isDisabled(), true, sel);
    }
    assert.equal(await page.locator(`${f} input[name=email]`).inputValue(), EMAIL);
    assert.equal(await hintOf(page, 'email'), plain(cat['renewal.contact_signatory_only']));
    // The holder's own switches still save, and nothing is told.
    assert.equal(await page.locator(`${f} input[name=cap_dirhams]`).isDisabled(), false);
    await page.fill(`${f} input[name=cap_dirhams]`, '90000');
    await page.click(`${f} button[type=submit]`);
    await page.waitForFunction(() => document.querySelector('#renewal-flash')?.textContent.trim());
    assert.equal(psql(`SELECT cap_dirhams || ' ' || email FROM renewal_settings WHERE est_id = '${CO}'`),
      `9000000 ${EMAIL}`);
    assert.equal(psql(`SELECT count(*) FROM outbox WHERE est_id = '${CO}'`), '0');
    await page.close();
    drop();
  });

  test(`renewal contact (${lang}): a signatory changes the email and is told who hears of it`, async () => {
    make();
    const page = await newPage();
    await signIn(page, ...SIG, lang);
    await go(page, `company/${CO}/renewal`);
    assert.equal(await page.locator(`${f} input[name=email]`).isDisabled(), false);
    assert.equal(await hintOf(page, 'email'), plain(cat['renewal.contact_told']));
    await page.fill(`${f} input[name=email]`, 'finance@contact-web.example');
    await page.click(`${f} button[type=submit]`);
    await page.waitForFunction(() => document.querySelector('#renewal-flash')?.textContent.trim());
    assert.equal(psql(`SELECT email FROM renewal_settings WHERE est_id = '${CO}'`), 'finance@contact-web.example');
    // The signatory's SMS and the previous address's email, as the page said.
    const mobile = psql(`SELECT mobile FROM persons WHERE qid = '${SIG[0]}'`);
    assert.equal(psql(`SELECT string_agg(channel || ' ' || recipient, ', ' ORDER BY channel)
      FROM outbox WHERE est_id = '${CO}'`), `email ${EMAIL}, sms ${mobile}`);
    await page.close();
    drop();
  });
}

process.exitCode = await run();
