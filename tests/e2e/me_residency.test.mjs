// A resident's own page (issue 16 §4) in the browser: what the page shows
// is what GET /api/v1/me/residency says, in the words of web/i18n. A
// resident the next execution renews (English), one it will not for fines
// (Arabic, right to left), and a new mobile number confirmed with its code
// (a wrong code first); then the reviewers' view of an SMS kept
// undeliverable (no verified number). The company 16200001 and its accounts are
// tests/fixtures/web_residency.json's; the clock is 2035-06-02 (execution
// of 2035-06-08) during the test and put back after.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { test, run, newPage, ready, go, signIn, apiGet, psql, sh, shot, ROOT } from './lib.mjs';

const CO = '16200001';
const IBAN = 'QA18QNBA000000000000016200001';
const SIG = '27263416200';
const RENEWED = '28535616201';
const FINES = '28581816202';
const NEWNUM = '28535616203';
const UNVERIFIED = '28535616204';	// mobile_verified: false in the fixture
const REVIEWER = ['28863460004', 'web-reviewer'];	// tests/fixtures/web.json
const PW = 'test-web-residency';
const CLOCK_AT = '2035-06-02T06:00:00Z';

const cats = {
  en: JSON.parse(fs.readFileSync(path.join(ROOT, 'web/i18n/en.json'), 'utf8')),
  ar: JSON.parse(fs.readFileSync(path.join(ROOT, 'web/i18n/ar.json'), 'utf8')),
};
// The text of a catalogue entry before its first placeholder.
const lead = (s) => s.split('{')[0];

const clock = process.env.RB_CLOCK_FILE;
const savedClock = clock && fs.existsSync(clock) ? fs.readFileSync(clock, 'utf8') : null;
function restoreClock() {
  if (!clock) return;
  if (savedClock === null) fs.rmSync(clock, { force: true });
  else fs.writeFileSync(clock, savedClock);
}

async function setLangOn(page, lang) {
  await page.selectOption('#pref-lang', lang);
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  await ready(page, 'review/notifications');
}

const textOf = async (page, sel) => (await page.locator(sel).innerText()).trim();

test('a renewed resident sees their permit, sponsor and the renewal that includes them (English)', async () => {
  assert.ok(clock, 'RB_CLOCK_FILE is set');
  fs.writeFileSync(clock, `${CLOCK_AT}\n`);
  sh(path.join(process.env.RB_BIN, 'rb-load'), [path.join(ROOT, 'tests/fixtures/web_residency.json')]);
  psql(`INSERT INTO renewal_settings (est_id, enabled, cap_dirhams, duration_years, email, mobile,
      language, delivery_address, updated_at) VALUES
      ('${CO}', true, 10000000, 1, 'hr@residency-web.example', '+97455162000', 'en', 'Doha', now())
      ON CONFLICT DO NOTHING;
    INSERT INTO renewal_subscriptions (est_id, reference, status, iban, authorizing_qid,
      submitted_by, submitted_at, reviewed_by, reviewed_at)
      SELECT '${CO}', 'RN-RW16-2001', 'active', '${IBAN}', '${SIG}', '${SIG}', now(), 'reviewer', now()
      WHERE NOT EXISTS (SELECT 1 FROM renewal_subscriptions WHERE est_id = '${CO}');`);
  const en = cats.en;
  const page = await newPage();
  await signIn(page, RENEWED, PW);
  await page.locator('#nav a[href="#/residency"]').waitFor();
  await page.click('#home-residency');
  await ready(page, 'residency');
  const api = await apiGet(page, '/api/v1/me/residency');
  assert.equal(api.qid, RENEWED);
  assert.equal(api.next_execution.outlook, 'RENEWED');
  assert.equal(await textOf(page, 'h1'), en['residency.title']);
  assert.equal(await textOf(page, '#residency-days-left'), `${api.permit.days_left} days`);
  assert.equal(api.permit.days_left, 18);
  assert.match(await textOf(page, '#residency-expiry'), /20 Jun 2035/);
  assert.ok((await textOf(page, '#residency-sponsor')).includes('Residency Web Trading'));
  assert.equal(await page.getAttribute('#residency-outlook', 'data-outlook'), 'RENEWED');
  assert.ok((await textOf(page, '#residency-outlook')).startsWith(lead(en['residency.included'])));
  assert.match(await textOf(page, '#residency-new-expiry'), /20 Jun 2036/);
  assert.match(await textOf(page, '#residency-fee'), /^QAR\s1,020\.00$/);
  await page.locator('text=' + en['residency.last_none']).waitFor();
  // Nothing of anyone else: not the colleague's name nor number.
  const body = await page.locator('main').innerText();
  assert.ok(!body.includes('Hani Fouad') && !body.includes('هاني'), body);
  assert.ok(!body.includes(FINES));
  await shot(page, 'residency-en');
  await page.context().close();
});

test('a resident with fines sees why and what to do, in Arabic, right to left', async () => {
  const ar = cats.ar;
  const page = await newPage();
  await signIn(page, FINES, PW, 'ar');
  await page.goto(`${process.env.RB_BASE_URL}/#/residency`);
  await ready(page, 'residency');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  const api = await apiGet(page, '/api/v1/me/residency');
  assert.equal(api.next_execution.reason, 'OUTSTANDING_FINES');
  assert.equal(api.next_execution.action, 'PAY_FINES');
  assert.equal(await textOf(page, 'h1'), ar['residency.title']);
  assert.equal(await page.getAttribute('#residency-outlook', 'data-outlook'), 'NOT_RENEWED');
  assert.ok((await textOf(page, '#residency-outlook')).startsWith(lead(ar['residency.not_included'])));
  assert.equal(await page.getAttribute('#residency-reason', 'data-reason'), 'OUTSTANDING_FINES');
  const reason = await textOf(page, '#residency-reason');
  assert.ok(reason.startsWith(lead(ar['residency.reason.OUTSTANDING_FINES'])), reason);
  assert.ok(reason.includes('ر.ق'), reason);
  const action = await textOf(page, '#residency-action');
  assert.ok(action.startsWith(lead(ar['residency.action.PAY_FINES'])), action);
  // The API's own sentence is the SMS's, in the person's language.
  assert.ok(api.next_execution.message.startsWith('عليك مخالفات مستحقة بقيمة 300.00 ر.ق.'),
    api.next_execution.message);
  await shot(page, 'residency-ar');
  await page.context().close();
});

test('a new mobile number is confirmed on the page with the code it received', async () => {
  const en = cats.en;
  // A pending number as a service centre leaves it, with a code we know.
  const salt = Buffer.alloc(16, 7);
  const hash = crypto.createHash('sha256').update(Buffer.concat([salt, Buffer.from('246810')])).digest('hex');
  psql(`UPDATE mobile_verifications SET status = 'superseded', closed_at = now()
      WHERE qid = '${NEWNUM}' AND status = 'pending';
    INSERT INTO mobile_verifications (qid, mobile, channel, requested_by, code_salt, code_hash,
      expires_at, created_at) VALUES ('${NEWNUM}', '+97455169203', 'service_centre', 'reviewer',
      '\\x${salt.toString('hex')}', '\\x${hash}', '2035-06-02 06:10:00+00', '2035-06-02 06:00:00+00');`);
  const page = await newPage();
  await signIn(page, NEWNUM, PW);
  await page.goto(`${process.env.RB_BASE_URL}/#/residency`);
  await ready(page, 'residency');
  assert.ok((await textOf(page, '#residency-pending')).includes('+974\u2022\u2022\u20229203'));
  await page.fill('#mobile-confirm input[name=code]', '111111');
  await page.click('#mobile-confirm button[type=submit]');
  await page.locator('#mobile-confirm [data-field=code] .field-error').filter({ hasText: en['err.wrong_code'] }).waitFor();
  assert.equal(psql(`SELECT wrong_tries FROM mobile_verifications WHERE qid = '${NEWNUM}' AND status = 'pending'`), '1');
  await page.fill('#mobile-confirm input[name=code]', '246810');
  await page.click('#mobile-confirm button[type=submit]');
  await page.locator('#residency-flash').filter({ hasText: en['residency.mobile_confirmed'] }).waitFor();
  assert.equal(await page.locator('#mobile-confirm').count(), 0);
  assert.ok((await textOf(page, '#residency-mobile')).includes(en['residency.mobile_verified']));
  assert.equal(psql(`SELECT mobile || ' ' || mobile_verified FROM persons WHERE qid = '${NEWNUM}'`), '+97455169203 true');
  await page.context().close();
});

test('reviewers see an SMS kept undeliverable, with the count for its company (English, Arabic)', async () => {
  const en = cats.en;
  const ar = cats.ar;
  const id = psql(`INSERT INTO outbox (channel, recipient, language, template, params, est_id, qid,
      next_attempt_at, created_at) VALUES ('sms', '+97455166204', 'en', 'sms.grant.created',
      '{"company_en": "Residency Web Trading", "company_ar": "x", "service": "EXIT_PERMIT"}',
      '${CO}', '${UNVERIFIED}', '${CLOCK_AT}', '${CLOCK_AT}') RETURNING id`);
  sh(path.join(process.env.RB_BIN, 'rb-notifier'), ['--once']);
  assert.equal(psql(`SELECT status || ': ' || last_error FROM outbox WHERE id = ${id}`),
    'undeliverable: no verified mobile number');
  const n = psql(`SELECT count(*) FROM outbox WHERE est_id = '${CO}' AND status = 'undeliverable'`);
  const page = await newPage();
  await signIn(page, ...REVIEWER);
  await go(page, 'review/notifications');
  await page.selectOption('#outbox-filter select[name=status]', 'undeliverable');
  await page.fill('#outbox-filter input[name=est_id]', CO);
  await page.click('#outbox-filter button[type=submit]');
  const row = page.locator(`#outbox-table tbody tr:has([data-state="${id}"])`);
  await row.waitFor();
  const text = await row.innerText();
  for (const x of [en['outbox.status.undeliverable'], 'no verified mobile number', '+97455166204',
    en['outbox.template.sms.grant.created']]) assert.ok(text.includes(x), `${x} in: ${text}`);
  await row.locator(`button[data-retry="${id}"]`).waitFor();
  const counts = await page.locator('#outbox-by-company').innerText();
  assert.ok(counts.includes('Residency Web Trading') && counts.includes(n), counts);
  await shot(page, 'notifications-undeliverable-en');
  await setLangOn(page, 'ar');
  await page.selectOption('#outbox-filter select[name=status]', 'undeliverable');
  await page.fill('#outbox-filter input[name=est_id]', CO);
  await page.click('#outbox-filter button[type=submit]');
  await page.locator(`#outbox-table [data-state="${id}"]`).filter({ hasText: ar['outbox.status.undeliverable'] }).waitFor();
  assert.ok((await page.locator('#outbox-by-company').innerText()).includes('شركة الإقامة على الويب'));
  await page.context().close();
  restoreClock();
});

process.on('exit', restoreClock);
process.exit(await run());
