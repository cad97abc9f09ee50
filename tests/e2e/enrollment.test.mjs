// Enrollment of an establishment (issue 15 §3) in the browser, the whole
// path: the signatory finds the Enrollment tab of a company of a compulsory
// sector, sends a file named .pdf that is not one (the server's refusal
// shown at its field), a file over 5 MiB (refused on the page, nothing
// sent), then real PDF/PNG files with the upload's progress shown, and
// gets the reference to keep; the supervisor opens it from the queue, sees
// the documents framed beside the data (the document route alone may be
// framed, by our own pages), is refused while signing for the company
// (separation of duties), returns it with a note marked inaccurate after
// confirming; the signatory reads the note, corrects and resubmits; the
// supervisor activates; the signatory downloads the letter and pdftotext
// finds the reference, the establishment and the verification code in it.
// In English at desktop width with the form filled by keyboard only, and in
// Arabic at phone width (390 px); the reviewer's page passes the axe audit.
// Its own company (15000883), made and removed here; the accounts are
// tests/fixtures/web.json's.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { test, run, newPage, go, ready, signIn, psql, dropCompany, sh, shot, BASE, ROOT, TMP } from './lib.mjs';

const CO = '15000883';
const SIG = ['27263460001', 'web-signatory'];
const REV = ['28863460004', 'web-reviewer'];
const MAIN_USER = '28560860002';

const require = createRequire(import.meta.url);
const AXE = fs.readFileSync(path.join(path.dirname(require.resolve('axe-core')), 'axe.min.js'), 'utf8');

const cats = {
  en: JSON.parse(fs.readFileSync(path.join(ROOT, 'web/i18n/en.json'), 'utf8')),
  ar: JSON.parse(fs.readFileSync(path.join(ROOT, 'web/i18n/ar.json'), 'utf8')),
};
const plain = (s) => s.replace(/[\u200e\u200f\u2066-\u2069]/g, '').replace(/\s+/g, ' ').trim();
const fill = (s, vars) => s.replace(/\{(\w+)\}/g, (m, k) => vars[k] ?? '');

// A one-page PDF with a valid cross-reference table, as the integration
// test makes it; the PNG is pdftoppm's rendering of it.
function makePdf(text) {
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R'
      + ' /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>',
  ];
  const content = `BT /F1 12 Tf 20 50 Td (${text}) Tj ET`;
  let b = '%PDF-1.4\n';
  const off = [];
  objs.forEach((o, i) => { off.push(b.length); b += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  off.push(b.length);
  b += `4 0 obj\n<< /Length ${content.length} >>\nstream\n${content}\nendstream\nendobj\n`;
  const xref = b.length;
  b += 'xref\n0 5\n0000000000 65535 f \n';
  for (const o of off) b += `${String(o).padStart(10, '0')} 00000 n \n`;
  b += `trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(b, 'latin1');
}

const PDF = makePdf('Commercial licence');
const LETTER = makePdf('Authority letter');
fs.writeFileSync(path.join(TMP, 'id.pdf'), makePdf('Owner ID'));
sh('pdftoppm', ['-r', '30', '-png', '-singlefile', path.join(TMP, 'id.pdf'), path.join(TMP, 'id')]);
const PNG = fs.readFileSync(path.join(TMP, 'id.png'));
assert.equal(PNG.subarray(1, 4).toString(), 'PNG');
const files = {
  fake: { name: 'licence.pdf', mimeType: 'application/pdf', buffer: Buffer.from('This is a text file, not a PDF.\n') },
  big: { name: 'big.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(5 * 1024 * 1024 + 1, 0x25) },
  license: { name: 'licence.pdf', mimeType: 'application/pdf', buffer: PDF },
  owner_id: { name: 'owner.png', mimeType: 'image/png', buffer: PNG },
  authority_letter: { name: 'letter.pdf', mimeType: 'application/pdf', buffer: LETTER },
};

function drop() {
  psql(`DELETE FROM outbox WHERE est_id = '${CO}' OR enrollment_reference IN
      (SELECT reference FROM enrollments WHERE est_id = '${CO}');
    DELETE FROM penalties WHERE est_id = '${CO}';
    DELETE FROM enrollment_returns WHERE est_id = '${CO}';
    DELETE FROM enrollments WHERE est_id = '${CO}';`);
  dropCompany(CO, ['-']);
}

function make(lang) {
  drop();
  psql(`INSERT INTO companies (est_id, name_ar, name_en, email, language, sector, enrolled)
      VALUES ('${CO}', 'فندق التسجيل', 'Enrollment Web Hotel', 'office@enroll-web.example', '${lang}',
      'hotels_residences', false);
    INSERT INTO signatories (qid, est_id) VALUES ('${SIG[0]}', '${CO}');
    INSERT INTO employment (qid, est_id, since) VALUES ('${MAIN_USER}', '${CO}', '2024-01-01');`);
}

const enrollment = () => psql(`SELECT coalesce(string_agg(status || ' ' || license_number, ','), '')
  FROM enrollments WHERE est_id = '${CO}'`);

// The page open again, afresh (going to the route it shows changes nothing).
async function reopen(page, r) {
  await page.reload();
  await ready(page, r);
}

async function errAt(page, name) {
  return plain(await page.locator(`#enroll-form [data-field="${name}"] .field-error`).innerText());
}

// The form by keyboard alone: Tab to each control (in the page's order),
// a select moved with the arrow keys, text typed, a file input opened with
// Space (the chooser the browser would show) and the form sent with Enter.
async function tabTo(page, name) {
  for (let i = 0; i < 40; i++) {
    if (await page.evaluate((n) => document.activeElement?.name === n, name)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${name}`);
}

async function keyboardFill(page, values, docs) {
  await page.focus('#enroll-form select[name=sector]');
  for (const [name, v] of Object.entries(values)) {
    await tabTo(page, name);
    const tag = await page.evaluate(() => document.activeElement.tagName);
    if (tag === 'SELECT') {
      for (let i = 0; i < 40 && await page.evaluate(() => document.activeElement.value) !== v; i++) {
        await page.keyboard.press('ArrowDown');
      }
      assert.equal(await page.evaluate(() => document.activeElement.value), v, name);
    } else if (name === 'license_expiry') {
      // A date field takes its digits in the browser's order of the
      // parts, each part a stop of its own: month, day, year, else day first.
      const [y, m, d] = v.split('-');
      await page.keyboard.type(`${m}${d}${y}`);
      if (await page.evaluate(() => document.activeElement.value) !== v) {
        await page.keyboard.press('Shift+Tab');
        await page.keyboard.press('Shift+Tab');
        await page.keyboard.type(`${d}${m}${y}`);
      }
      assert.equal(await page.evaluate(() => document.activeElement.value), v);
    } else {
      await page.keyboard.type(v);
    }
  }
  for (const [name, file] of Object.entries(docs)) {
    await tabTo(page, name);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Space')]);
    await chooser.setFiles(file);
  }
  await tabTo(page, '');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'enroll-submit');
}

async function mouseFill(page, values, docs) {
  for (const [name, v] of Object.entries(values)) {
    const sel = `#enroll-form [name="${name}"]`;
    if (await page.locator(sel).evaluate((e) => e.tagName) === 'SELECT') await page.selectOption(sel, v);
    else await page.fill(sel, v);
  }
  for (const [name, file] of Object.entries(docs)) await page.setInputFiles(`#enroll-form input[name="${name}"]`, file);
}

// What axe finds serious or critical on the page as it is now.
async function audit(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  const r = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag',
    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'], iframes: false }));
  return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

for (const [lang, width, keyboard] of [['en', 1280, true], ['ar', 390, false]]) {
  const cat = cats[lang];
  const T = (k, vars) => plain(fill(cat[k], vars || {}));

  test(`enrollment (${lang}, ${width}px${keyboard ? ', keyboard' : ''}): submit, return, correct, activate, letter`, async () => {
    make(lang);
    const viewport = { width, height: width < 500 ? 844 : 900 };
    const sig = await newPage({ viewport });
    await signIn(sig, ...SIG, lang);
    // The company's pages offer the tab: its sector compels enrollment.
    await go(sig, `company/${CO}/overview`);
    await sig.click(`nav.tabs a[href="#/company/${CO}/enrollment"]`);
    await ready(sig, `company/${CO}/enrollment`);
    assert.equal(plain(await sig.locator('#enroll-none').innerText()), T('enroll.required_notice'));
    // The sector comes from the catalogue, in the page's language.
    const sectorText = plain(await sig.locator('#enroll-form select[name=sector] option[value=hotels_residences]').innerText());
    assert.equal(sectorText, T('enroll.sector_compulsory', { name: lang === 'ar' ? 'الفنادق والشقق المفروشة' : 'Hotels and furnished residences' }));

    const values = { sector: 'hotels_residences', licensing_authority: 'Ministry of Commerce and Industry',
      license_number: 'CR-88301', license_expiry: '2099-12-31', region: 'Doha', main_user_qid: MAIN_USER,
      main_user_mobile: '5501 6002' };
    // A text file named .pdf: the page lets it go (its name and type say
    // PDF); the server reads its content and refuses it, shown at its field.
    const first = { license: files.fake, owner_id: files.owner_id, authority_letter: files.authority_letter };
    if (keyboard) await keyboardFill(sig, values, first);
    else await mouseFill(sig, values, first);
    if (keyboard) await sig.keyboard.press('Enter');
    else await sig.click('#enroll-submit');
    await sig.waitForFunction(() => document.querySelector('#enroll-form [data-field=license] .field-error')?.textContent.trim());
    assert.equal(await errAt(sig, 'license'), T('err.unsupported_document'));
    assert.equal(await sig.evaluate(() => document.activeElement.name), 'license');
    assert.equal(enrollment(), '');

    // Over 5 MiB: refused on the page, nothing sent.
    let posts = 0;
    sig.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith(`/companies/${CO}/enrollment`)) posts++; });
    await sig.setInputFiles('#enroll-form input[name=license]', files.big);
    await sig.click('#enroll-submit');
    await sig.waitForFunction(() => document.querySelector('#enroll-form [data-field=license] .field-error')?.textContent.trim());
    assert.equal(await errAt(sig, 'license'), T('enroll.file_too_large', { mib: lang === 'ar' ? '٥' : '5' }));
    assert.equal(posts, 0);

    // The real licence: by keyboard, focus is already on its field.
    await sig.evaluate(() => {
      window.progressSeen = [];
      new MutationObserver((ms) => ms.forEach((m) => window.progressSeen.push(Number(m.target.getAttribute('value')))))
        .observe(document.getElementById('enroll-progress'), { attributes: true, attributeFilter: ['value'] });
    });
    if (keyboard) {
      await sig.focus('#enroll-form input[name=license]');
      const [chooser] = await Promise.all([sig.waitForEvent('filechooser'), sig.keyboard.press('Space')]);
      await chooser.setFiles(files.license);
      await tabTo(sig, '');
      await sig.keyboard.press('Enter');
    } else {
      await sig.setInputFiles('#enroll-form input[name=license]', files.license);
      await sig.click('#enroll-submit');
    }
    await sig.waitForSelector('#enroll-reference');
    assert.equal(posts, 1);
    const ref = plain(await sig.locator('#enroll-reference').innerText());
    assert.match(ref, /^ENR-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    assert.equal(enrollment(), 'submitted CR-88301');
    assert.ok((await sig.evaluate(() => window.progressSeen)).includes(100), 'the progress bar reached 100%');
    assert.equal(plain(await sig.locator('#enroll-flash').innerText()), T('enroll.submitted_ok', { ref }));
    assert.equal(await sig.evaluate(() => document.activeElement.id), 'enroll-flash');
    assert.equal(plain(await sig.locator('#enroll-keep').innerText()), T('enroll.keep_reference', { ref }));
    assert.equal(plain(await sig.locator('#enroll-status').innerText()), T('enroll.status.submitted'));
    assert.equal(await sig.locator('#enroll-form').count(), 0);
    assert.deepEqual(await sig.locator('#enroll-docs li').evaluateAll((l) => l.map((x) => x.dataset.doc)),
      ['license', 'owner_id', 'authority_letter']);
    await shot(sig, `enrollment-submitted-${lang}-${width}`);

    // The supervisor: the queue, then the enrollment with its documents.
    const rev = await newPage({ viewport });
    await signIn(rev, ...REV, lang);
    await go(rev, 'review/enrollments');
    await rev.fill('#enroll-filter input[name=q]', CO);
    await rev.click('#enroll-filter button[type=submit]');
    await rev.click(`[data-open="${ref}"]`);
    await ready(rev, `review/enrollment/${ref}`);
    assert.match(plain(await rev.locator('#enroll-detail').innerText()), /CR-88301/);
    const src = await rev.locator('#doc-frame iframe[data-viewing=license]').getAttribute('src');
    assert.equal(src, `/api/v1/backoffice/enrollments/${ref}/documents/license`);
    // Framed by our own page only: the document's route says so, others DENY.
    const doc = await rev.request.get(`${BASE}${src}`);
    assert.equal(doc.status(), 200);
    assert.equal(doc.headers()['content-type'], 'application/pdf');
    assert.equal(doc.headers()['x-frame-options'], 'SAMEORIGIN');
    assert.match(doc.headers()['content-security-policy'], /frame-ancestors 'self'/);
    assert.deepEqual(Buffer.from(await doc.body()), PDF);
    const other = await rev.request.get(`${BASE}/api/v1/backoffice/enrollments/${ref}`);
    assert.equal(other.headers()['x-frame-options'], 'DENY');
    assert.match(other.headers()['content-security-policy'], /frame-ancestors 'none'/);
    const page = await rev.request.get(`${BASE}/`);
    assert.equal(page.headers()['x-frame-options'], 'DENY');
    // The owner's ID is an image, shown as one.
    await rev.click('button[data-doc=owner_id]');
    await rev.waitForFunction(() => document.querySelector('#doc-frame img[data-viewing=owner_id]')?.naturalWidth > 0);
    assert.equal(await rev.getAttribute('button[data-doc=owner_id]', 'aria-pressed'), 'true');
    if (width < 500) {
      // At phone width the viewer stands under the data, within the screen.
      const box = await rev.locator('.enroll-viewer').boundingBox();
      assert.ok(box.width <= width, `viewer ${box.width}px wide`);
      assert.equal(await rev.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true);
    } else {
      const [a, b] = [await rev.locator('.enroll-data').boundingBox(), await rev.locator('.enroll-viewer').boundingBox()];
      assert.ok(Math.abs(a.y - b.y) < 5 && b.x > a.x + a.width - 1, 'the documents beside the data');
    }
    assert.deepEqual(await audit(rev), []);
    await shot(rev, `enrollment-review-${lang}-${width}`);

    if (lang === 'en') {
      // Separation of duties: while the supervisor signs for the company.
      psql(`INSERT INTO signatories (qid, est_id) VALUES ('${REV[0]}', '${CO}')`);
      await rev.click('#enroll-activate');
      await rev.click('dialog.confirm [data-confirm=yes]');
      await rev.waitForFunction(() => document.querySelector('#enroll-decide-error')?.textContent.trim());
      assert.equal(plain(await rev.locator('#enroll-decide-error').innerText()), T('err.own_company'));
      assert.equal(enrollment(), 'submitted CR-88301');
      psql(`DELETE FROM signatories WHERE qid = '${REV[0]}' AND est_id = '${CO}'`);
    }

    // Return: a note is required; marked inaccurate; confirmed first.
    await rev.click('#enroll-return-btn');
    await rev.waitForFunction(() => document.querySelector('#enroll-return [data-field=note] .field-error')?.textContent.trim());
    assert.equal(plain(await rev.locator('#enroll-return [data-field=note] .field-error').innerText()), T('enroll.note_required'));
    const note = 'The licence number does not match the licence copy';
    await rev.fill('#enroll-return textarea[name=note]', note);
    await rev.check('#enroll-return input[name=inaccurate]');
    await rev.click('#enroll-return-btn');
    const name = lang === 'ar' ? 'فندق التسجيل' : 'Enrollment Web Hotel';
    assert.equal(plain(await rev.locator('dialog.confirm #confirm-msg').innerText()),
      T('enroll.return_confirm_inaccurate', { ref, name }));
    await rev.click('dialog.confirm [data-confirm=no]');
    assert.equal(enrollment(), 'submitted CR-88301');
    await rev.click('#enroll-return-btn');
    await rev.click('dialog.confirm [data-confirm=yes]');
    await rev.waitForFunction(() => document.querySelector('#enroll-flash')?.textContent.trim());
    assert.equal(plain(await rev.locator('#enroll-flash').innerText()), T('enroll.returned_ok', { ref, name }));
    assert.equal(enrollment(), 'returned CR-88301');
    assert.equal(psql(`SELECT note || ' ' || inaccurate FROM enrollment_returns WHERE reference = '${ref}'`), `${note} true`);

    // The signatory reads the note, corrects and resubmits (the documents kept).
    await reopen(sig, `company/${CO}/enrollment`);
    assert.equal(plain(await sig.locator('#enroll-status').innerText()), T('enroll.status.returned'));
    assert.equal(plain(await sig.locator('#enroll-note').innerText()), note);
    assert.equal(plain(await sig.locator('#enroll-inaccurate').innerText()), T('enroll.inaccurate_notice'));
    await sig.click('#enroll-correct');
    assert.equal(await sig.evaluate(() => document.activeElement.name), 'sector');
    assert.equal(await sig.inputValue('#enroll-form input[name=license_number]'), 'CR-88301');
    assert.equal(await sig.inputValue('#enroll-form select[name=main_user_qid]'), MAIN_USER);
    await sig.fill('#enroll-form input[name=license_number]', 'CR-88310');
    await sig.click('#enroll-submit');
    await sig.waitForFunction(() => document.querySelector('#enroll-flash')?.textContent.trim());
    assert.equal(plain(await sig.locator('#enroll-flash').innerText()), T('enroll.resubmitted_ok', { ref }));
    assert.equal(enrollment(), 'submitted CR-88310');
    assert.equal(psql(`SELECT count(*) FROM enrollment_documents WHERE reference = '${ref}'`), '3');

    // Activation, confirmed.
    await reopen(rev, `review/enrollment/${ref}`);
    assert.match(plain(await rev.locator('#enroll-returns').innerText()), new RegExp(note));
    await rev.click('#enroll-activate');
    assert.equal(plain(await rev.locator('dialog.confirm #confirm-msg').innerText()), T('enroll.activate_confirm', { ref, name }));
    await rev.click('dialog.confirm [data-confirm=yes]');
    await rev.waitForFunction(() => document.querySelector('#enroll-flash')?.textContent.trim());
    assert.equal(plain(await rev.locator('#enroll-flash').innerText()), T('enroll.activated_ok', { ref, name }));
    assert.equal(enrollment(), 'active CR-88310');
    assert.equal(psql(`SELECT enrolled FROM companies WHERE est_id = '${CO}'`), 't');
    assert.equal(plain(await rev.locator('#enroll-status').innerText()), T('enroll.status.active'));

    // The letter, downloaded and read.
    await reopen(sig, `company/${CO}/enrollment`);
    assert.equal(plain(await sig.locator('#enroll-active').innerText()), T('enroll.active_lead'));
    const [dl] = await Promise.all([sig.waitForEvent('download'), sig.click('#enroll-letter')]);
    assert.equal(dl.suggestedFilename(), `activation-letter-${ref}.pdf`);
    const file = path.join(TMP, `letter-${lang}.pdf`);
    await dl.saveAs(file);
    const text = sh('pdftotext', ['-enc', 'UTF-8', file, '-']).replace(/[\s\u200e\u200f\u2066-\u2069\u202a-\u202e]/g, '');
    const code = psql(`SELECT letter_code FROM enrollments WHERE reference = '${ref}'`);
    assert.ok(text.includes(ref), `reference in the letter:\n${text}`);
    assert.ok(text.includes(code), `verification code ${code} in the letter`);
    assert.ok(text.includes(lang === 'ar' ? 'فندقالتسجيل' : 'EnrollmentWebHotel'), 'the company in the letter');
    await shot(sig, `enrollment-active-${lang}-${width}`);
    await sig.context().close();
    await rev.context().close();
    drop();
  });
}

// Suspension of its own use, with a reason, and resumption.
test('enrollment: a signatory suspends the establishment\'s own use with a reason and resumes it', async () => {
  make('en');
  const cat = cats.en;
  const sig = await newPage();
  await signIn(sig, ...SIG, 'en');
  await go(sig, `company/${CO}/enrollment`);
  await sig.click('#suspend');
  await sig.waitForFunction(() => document.querySelector('#suspend-form .field-error')?.textContent.trim());
  assert.equal(plain(await sig.locator('#suspend-form .field-error').innerText()), cat['err.required']);
  await sig.fill('#suspend-form textarea[name=reason]', 'Premises closed for renovation');
  await sig.click('#suspend');
  await sig.click('dialog.confirm [data-confirm=yes]');
  await sig.waitForSelector('#suspend-state');
  assert.equal(plain(await sig.locator('#enroll-flash').innerText()), cat['enroll.suspended_ok']);
  assert.equal(psql(`SELECT self_suspended_reason FROM companies WHERE est_id = '${CO}'`), 'Premises closed for renovation');
  assert.match(plain(await sig.locator('#suspend-state').innerText()), /Premises closed for renovation$/);
  await sig.click('#resume');
  await sig.click('dialog.confirm [data-confirm=yes]');
  await sig.waitForSelector('#suspend');
  assert.equal(plain(await sig.locator('#enroll-flash').innerText()), cat['enroll.resumed_ok']);
  assert.equal(psql(`SELECT self_suspended_at IS NULL FROM companies WHERE est_id = '${CO}'`), 't');
  await sig.context().close();
  drop();
});

process.exitCode = await run();
