// The link in a statement's email (issue 12 §1): the system's own public
// address and the verification page with the statement's code filled in.
// A real alert cycle for its own company (15000091, made here; the audit
// chain keeps what the cycle did, so it stays) on a date no other test uses, delivered by rb-notifier --once to the
// stack's Maildir; the link found there is opened in the browser, in both
// languages and at phone width, and must show the statement verified.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test, run, newPage, ready, setLang, psql, sh, ROOT } from './lib.mjs';

const CO = '15000091';
const IBAN = 'QA61QNBA000000000000150000091';
const SIG = '29935791001';
const EMP = '29935791002';
const EMAIL = 'hr@verify-link.example';
const ALERT = '2039-04-15';
const PHONE = { width: 390, height: 844 };

const cats = {
  en: JSON.parse(fs.readFileSync(path.join(ROOT, 'web/i18n/en.json'), 'utf8')),
  ar: JSON.parse(fs.readFileSync(path.join(ROOT, 'web/i18n/ar.json'), 'utf8')),
};

// A subscribed company (Arabic statements) with one employee due at the
// execution after the alert.
function make() {
  psql(`INSERT INTO companies (est_id, name_ar, name_en, email, language) VALUES
      ('${CO}', 'شركة رابط التحقق', 'Verify Link Trading', '${EMAIL}', 'ar');
    INSERT INTO persons (qid, name_ar, name_en, nationality, citizen, mobile, language,
      in_country, status, permit_expiry) VALUES
      ('${SIG}', 'موقّع', 'Signatory', 'QAT', true, '+97455579101', 'ar', true, 'active', NULL),
      ('${EMP}', 'سالم', 'Salem', 'EGY', false, '+97455579102', 'ar', true, 'active', '2039-05-01');
    INSERT INTO employment (qid, est_id, since) VALUES ('${EMP}', '${CO}', '2030-01-01');
    INSERT INTO signatories (qid, est_id) VALUES ('${SIG}', '${CO}');
    INSERT INTO bank_accounts (iban, est_id, balance_dirhams) VALUES ('${IBAN}', '${CO}', 1000000);
    INSERT INTO renewal_settings (est_id, enabled, cap_dirhams, duration_years, email, mobile,
      language, delivery_address, updated_at) VALUES
      ('${CO}', true, 10000000, 1, '${EMAIL}', '+97455579100', 'ar', 'Doha', now());
    INSERT INTO renewal_subscriptions (est_id, reference, status, iban, authorizing_qid,
      submitted_by, submitted_at, reviewed_by, reviewed_at) VALUES
      ('${CO}', 'RN-VR91-0001', 'active', '${IBAN}', '${SIG}', '${SIG}', now(), 'reviewer', now());`);
}

// Runs the alert and one delivery round at that date's morning (the
// injectable clock), then puts the clock back.
function alertDelivered() {
  const clock = process.env.RB_CLOCK_FILE;
  assert.ok(clock, 'RB_CLOCK_FILE is set');
  const saved = fs.existsSync(clock) ? fs.readFileSync(clock, 'utf8') : null;
  try {
    fs.writeFileSync(clock, `${ALERT}T05:00:00Z\n`);
    sh(path.join(process.env.RB_BIN, 'rb-scheduler'), ['run', 'alert', ALERT]);
    sh(path.join(process.env.RB_BIN, 'rb-notifier'), ['--once']);
  } finally {
    if (saved === null) fs.rmSync(clock, { force: true });
    else fs.writeFileSync(clock, saved);
  }
}

const shared = {};

test('the alert email, as delivered, links to the verify page of this system with its code', async () => {
  make();
  alertDelivered();
  const code = psql(`SELECT verification_code FROM statements WHERE est_id = '${CO}'
    AND kind = 'alert' AND cycle_date = '${ALERT}'`);
  assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  const mails = JSON.parse(sh('/usr/bin/python3',
    [path.join(ROOT, 'tests/mail_dump.py'), process.env.RB_MAILDIR]))
    .filter((m) => m.to === EMAIL && m.body.includes(code));
  assert.equal(mails.length, 1, 'one alert email to the company');
  // Nobody set RB_PUBLIC_URL: the address is the stack's own HTTPS port.
  const want = `https://127.0.0.1:${process.env.RB_HTTPS_PORT}/#/verify?code=${code}`;
  assert.equal(`${process.env.RB_BASE_URL}/#/verify?code=${code}`, want);
  const links = mails[0].body.match(/https?:\/\/\S+/g) || [];
  assert.deepEqual(links, [want]);
  // On a line of its own, so that no mail client runs it into the Arabic text.
  assert.ok(mails[0].body.split('\n').includes(want), mails[0].body);
  shared.code = code;
  shared.link = want;
});

for (const [lang, viewport] of [['en', undefined], ['ar', PHONE]]) {
  test(`the email's link opens the statement verified (${lang}${viewport ? ', phone' : ''})`, async () => {
    assert.ok(shared.link, 'the email test ran first');
    const cat = cats[lang];
    const page = await newPage({ viewport });
    const r = `verify?code=${shared.code}`;
    // Opened as a reader would, signed out, straight from the email.
    await page.goto(shared.link);
    await ready(page, r);
    if (lang !== 'en') await setLang(page, lang);
    assert.equal(await page.inputValue('#verify-code-form input[name=code]'), shared.code);
    const box = page.locator('#verify-code-result');
    await box.locator('.verdict', { hasText: cat['verify.valid'] }).waitFor();
    assert.match(await box.getAttribute('class'), /\bgood\b/);
    assert.equal((await box.locator('.verdict').innerText()).trim(), cat['verify.valid']);
    const text = await box.innerText();
    assert.ok(text.includes(shared.code), text);
    assert.ok(text.includes(lang === 'ar' ? 'شركة رابط التحقق' : 'Verify Link Trading'), text);
    assert.ok(text.includes(cat['statement.kind.alert']), text);
    await page.context().close();
  });
}

test('a code that is no statement\'s, given in the link, says so', async () => {
  const page = await newPage();
  await page.goto(`${process.env.RB_BASE_URL}/#/verify?code=ZZZZ-ZZZZ-ZZZZ`);
  await ready(page, 'verify?code=ZZZZ-ZZZZ-ZZZZ');
  const box = page.locator('#verify-code-result');
  assert.match(await box.getAttribute('class'), /\bbad\b/);
  assert.equal((await box.locator('.verdict').innerText()).trim(), cats.en['verify.unknown']);
  await page.context().close();
});

process.exit(await run());
