// The accessibility audit (issue 12 §5): every page of the interface, in
// English and Arabic, at desktop and phone width (390 px), run through
// axe-core (npm, tests/e2e/package.json) with the WCAG 2.0/2.1/2.2 A and AA
// rules. A serious or critical violation fails the page, listed with the
// rule, its help text and the elements. To audit a new page, add a line to
// PAGES: who signs in (null: nobody), the route, and optionally what to
// wait for once it has rendered. The audit is run in the page through
// page.evaluate (which the page's CSP does not govern), so the interface
// needs no exception for it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { test, run, newPage, go, signIn, setLang, psql, sh, dropCompany } from './lib.mjs';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(path.join(path.dirname(require.resolve('axe-core')), 'axe.min.js'), 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const BAD = new Set(['serious', 'critical']);

const USERS = {
  signatory: ['27263460001', 'web-signatory'],
  rep: ['28560860002', 'web-rep'],
  noperm: ['28581860003', 'web-noperm'],
  reviewer: ['28863460004', 'web-reviewer'],
};
// A company of the audit's own with something on every page: a
// subscription, employees renewed, blocked and excluded, and an alert
// statement (of 2034-09-01, a date no other test uses, run for it alone).
const EST = '15000091';
const IBAN = 'QA50QNBA000000000000150000091';
const SIG = '27263460001';
const QIDS = ['29935791001', '29935791002', '29935791003'];
const ALERT = '2034-09-01';

function dropAll() {
  psql(`DELETE FROM outbox WHERE est_id = '${EST}'
      OR statement_id IN (SELECT id FROM statements WHERE est_id = '${EST}');
    DELETE FROM statement_lines WHERE statement_id IN (SELECT id FROM statements WHERE est_id = '${EST}');
    DELETE FROM statements WHERE est_id = '${EST}';
    DELETE FROM cycle_companies WHERE est_id = '${EST}';`);
  dropCompany(EST, QIDS);
}

function make() {
  dropAll();
  psql(`INSERT INTO companies (est_id, name_ar, name_en, email, language) VALUES
      ('${EST}', 'شركة التدقيق', 'Audit Trading', 'hr@audit.example', 'en');
    INSERT INTO persons (qid, name_ar, name_en, nationality, citizen, mobile, language,
      in_country, status, permit_expiry, fines_dirhams) VALUES
      ('${QIDS[0]}', 'سالم حسن', 'Salem Hassan', 'EGY', false, '+97455579101', 'ar', true, 'active', '2026-12-20', 0),
      ('${QIDS[1]}', 'كريم يوسف', 'Karim Youssef', 'JOR', false, '+97455579102', 'ar', true, 'active', '2026-12-25', 123450),
      ('${QIDS[2]}', 'جمال ناصر', 'Jamal Nasser', 'SYR', false, '+97455579103', 'ar', true, 'active', '2027-01-20', 0);
    INSERT INTO passports (qid, number, expiry) SELECT qid, 'P' || right(qid, 7), '2040-01-01'
      FROM persons WHERE qid LIKE '299357910%';
    INSERT INTO employment (qid, est_id, since) SELECT qid, '${EST}', '2024-01-01' FROM persons WHERE qid LIKE '299357910%';
    INSERT INTO signatories (qid, est_id) VALUES ('${SIG}', '${EST}');
    INSERT INTO bank_accounts (iban, est_id, balance_dirhams) VALUES ('${IBAN}', '${EST}', 100000000);
    INSERT INTO renewal_subscriptions (est_id, reference, status, iban, authorizing_qid, submitted_by,
      submitted_at, reviewed_by, reviewed_at) VALUES ('${EST}', 'RN-AX91-0091', 'active', '${IBAN}', '${SIG}',
      '${SIG}', now(), '28863460004', now());
    INSERT INTO renewal_settings (est_id, enabled, cap_dirhams, duration_years, email, mobile, language,
      delivery_address, updated_at) VALUES ('${EST}', true, 5000000, 1, 'hr@audit.example', '+97455579100', 'en',
      'PO Box 91, Doha', now());
    INSERT INTO renewal_exclusions (est_id, qid, note, added_by, added_at) VALUES
      ('${EST}', '${QIDS[2]}', 'leaving', '${SIG}', now());
    INSERT INTO cycles (kind, cycle_date, created_at) VALUES ('alert', '${ALERT}', now()) ON CONFLICT DO NOTHING;
    UPDATE cycles SET completed_at = NULL WHERE kind = 'alert' AND cycle_date = '${ALERT}';
    INSERT INTO cycle_companies (cycle_id, est_id, done_at) SELECT c.id, s.est_id, now()
      FROM cycles c, renewal_subscriptions s WHERE c.kind = 'alert' AND c.cycle_date = '${ALERT}'
      AND s.status = 'active' AND s.est_id <> '${EST}' ON CONFLICT DO NOTHING;`);
  // The alert, with the clock on its morning, then back.
  const clock = process.env.RB_CLOCK_FILE;
  const saved = clock && fs.existsSync(clock) ? fs.readFileSync(clock, 'utf8') : null;
  try {
    if (clock) fs.writeFileSync(clock, `${ALERT}T05:00:00Z\n`);
    sh(path.join(process.env.RB_BIN, 'rb-scheduler'), ['run', 'alert', ALERT]);
  } finally {
    if (clock) {
      if (saved === null) fs.rmSync(clock, { force: true });
      else fs.writeFileSync(clock, saved);
    }
  }
  psql(`DELETE FROM outbox WHERE est_id = '${EST}'`);
  const id = psql(`SELECT id FROM statements WHERE est_id = '${EST}' AND kind = 'alert' AND cycle_date = '${ALERT}'`);
  assert.ok(id, 'the audit\'s alert statement was made');
  return id;
}

let statement = null;

// Every page: [who, route, selector to wait for (optional)].
export const PAGES = [
  [null, 'signin'],
  [null, 'verify'],
  ['signatory', ''],
  ['signatory', `company/${EST}/overview`, '#overview-figures'],
  ['signatory', `company/${EST}/employees`, '#employees-table'],
  ['signatory', `company/${EST}/grants`],
  ['signatory', `company/${EST}/renewal`],
  ['signatory', `company/${EST}/exclusions`],
  ['signatory', `company/${EST}/preview`, '#preview-result'],
  ['signatory', `company/${EST}/statements`],
  ['signatory', `company/${EST}/penalties`, '#penalties-list'],
  ['signatory', `company/${EST}/enrollment`, '#enroll-state'],
  ['signatory', 'me/grants'],
  ['signatory', 'residency'],
  ['signatory', 'help'],
  ['rep', ''],
  ['noperm', ''],
  ['noperm', `company/${EST}/grants`],
  ['reviewer', ''],
  ['reviewer', `company/${EST}/overview`, '#overview-figures'],
  ['reviewer', `company/${EST}/employees`, '#employees-table'],
  ['reviewer', `company/${EST}/renewal`],
  ['reviewer', 'review/queue'],
  ['reviewer', 'review/companies'],
  ['reviewer', 'review/statements'],
  ['reviewer', 'review/reports'],
  ['reviewer', 'review/notifications'],
  ['reviewer', 'review/dashboard'],
  ['reviewer', 'review/penalties', '#penalties-list'],
  ['reviewer', 'review/enrollments', '#enroll-queue'],
  ['reviewer', 'review/signals'],
  ['reviewer', 'help'],
  ['reviewer', 'statement/{statement}', '#statement-lines'],
  ['signatory', 'statement/{statement}', '#statement-lines'],
  [null, 'help'],
];

const minor = new Set();

// What axe finds on the page as it is now: the serious and critical
// violations, one line each with the elements they are on.
async function audit(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  const r = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags },
    resultTypes: ['violations'] }), TAGS);
  // The lesser ones are listed in the log, to fix when touching the page.
  for (const v of r.violations.filter((x) => !BAD.has(x.impact))) minor.add(`${v.impact} ${v.id}: ${v.help}`);
  return r.violations.filter((v) => BAD.has(v.impact)).map((v) =>
    `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(', ')}`);
}

async function auditAll(lang, viewport) {
  const found = [];
  let audited = 0;
  const byUser = new Map();
  for (const p of PAGES) {
    const list = byUser.get(p[0]) || [];
    list.push(p);
    byUser.set(p[0], list);
  }
  for (const [who, pages] of byUser) {
    const page = await newPage({ viewport });
    if (who) await signIn(page, ...USERS[who], lang);
    else {
      await go(page, 'signin');
      await setLang(page, lang);
    }
    for (const [, route0, wait] of pages) {
      const route = route0.replace('{statement}', statement);
      await go(page, route);
      if (wait) await page.locator(wait).first().waitFor();
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      const v = await audit(page);
      audited++;
      for (const x of v) found.push(`[${lang} ${viewport ? viewport.width : 1280}px ${who || 'public'} #/${route}] ${x}`);
    }
    await page.context().close();
  }
  assert.equal(audited, PAGES.length);
  assert.deepEqual(found, [], `serious or critical violations:\n${found.join('\n')}`);
}

test('a11y (en, 1280px): no serious or critical WCAG A/AA violation on any page', () => {
  statement = make();
  return auditAll('en');
});
test('a11y (ar, 1280px): no serious or critical WCAG A/AA violation on any page', () => auditAll('ar'));
test('a11y (en, phone 390px): no serious or critical violation', () => auditAll('en', { width: 390, height: 844 }));
test('a11y (ar, phone 390px): no serious or critical violation', () => auditAll('ar', { width: 390, height: 844 }));

// The audit itself works: a page with a known violation is caught.
test('a11y: the audit catches an image without alternative text and an unlabelled field', async () => {
  const page = await newPage();
  await go(page, 'signin');
  await page.evaluate(() => {
    const m = document.querySelector('main');
    const i = document.createElement('input');
    i.type = 'text';
    m.appendChild(i);
    const img = document.createElement('img');
    img.src = '/favicon.ico';
    m.appendChild(img);
  });
  const v = await audit(page);
  assert.ok(v.some((x) => x.includes(' label:')), v.join('\n'));
  assert.ok(v.some((x) => x.includes('image-alt')), v.join('\n'));
  await page.context().close();
});

// The confirmation dialog over a page, and the help for each role.
test('a11y (ar): the confirmation dialog, and the help of every role', async () => {
  const page = await newPage();
  await signIn(page, ...USERS.signatory, 'ar');
  await go(page, `company/${EST}/employees`);
  await page.locator('#employees-table').waitFor();
  await page.click(`[data-exclude="${QIDS[0]}"]`);
  await page.locator('dialog.confirm').waitFor();
  let v = await audit(page);
  await page.click('[data-confirm="no"]');
  for (const r of ['company', 'reviewer', 'resident', 'public']) {
    await go(page, `help/${r}`);
    v = v.concat((await audit(page)).map((x) => `[help/${r}] ${x}`));
  }
  assert.deepEqual(v, []);
  await page.context().close();
  dropAll();
});

process.exitCode = await run();
if (minor.size) console.log(`moderate or minor findings (not failing):\n  ${[...minor].join('\n  ')}`);
