// The establishment's enrollment (issue 15 §3), for its signatories (and,
// read only, reviewers): its state with the reference number to keep, the
// supervisor's note when returned, the form with the three documents
// (uploaded with a progress bar) to submit or to correct and resubmit, the
// activation letter once active, and the establishment's suspension of its
// own use. GET/POST /companies/{est}/enrollment, GET /sectors, GET
// /companies/{est}/employees, POST/DELETE /companies/{est}/suspension.
import { h, clear, asciiDigits } from '../dom.js';
import { t, nameOf, fmtDate, fmtDateTime, fmtNum, ltrText } from '../i18n.js';
import { api, get, upload, download } from '../api.js';
import { Form, input, select, button, section, badge, ltr, errText, confirmDialog,
  actionError } from '../ui.js';

export const DOC_KINDS = ['license', 'owner_id', 'authority_letter'];
// What the server accepts (fcgi/enrollment_api.c): it decides by content;
// the page only spares sending a file that is plainly not one of these.
const DOC_MAX = 5 * 1024 * 1024;
const DOC_TYPES = ['application/pdf', 'image/jpeg', 'image/png'];
const DOC_EXT = /\.(pdf|jpe?g|png)$/i;
// The kind the server found in the file, as people name it.
const KIND_NAMES = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' };

export function facts(id, pairs) {
  return h('dl', { class: 'facts', id }, pairs.filter(Boolean).flatMap(([k, v]) => [h('dt', { text: k }),
    h('dd', {}, v === null || v === undefined || v === '' ? '—' : v)]));
}

export function statusBadge(status) {
  return badge(status === 'submitted' ? 'pending' : status === 'returned' ? 'rejected' : status,
    t(`enroll.status.${status}`));
}

export function sectorName(e) {
  return nameOf(e, 'sector_name') || e.sector;
}

// Why a chosen file will not do, or null: too big, or not a PDF, JPEG or PNG.
function fileProblem(file) {
  if (file.size > DOC_MAX) return t('enroll.file_too_large', { mib: fmtNum(5) });
  if (!(DOC_TYPES.includes(file.type) || (!file.type && DOC_EXT.test(file.name))) || !DOC_EXT.test(file.name)) {
    return t('enroll.file_type');
  }
  return null;
}

async function people(est) {
  // The main user is one of the company's people (main_user_not_employed
  // otherwise): the employees list, its first 500 (the most a page holds).
  try {
    const r = await get(`/api/v1/companies/${est}/employees?limit=500`);
    return r.items;
  } catch { return []; }
}

function enrollmentForm(ctx, cur, sectors, staff, after) {
  const { est } = ctx;
  const prev = cur.enrollment && cur.enrollment.status === 'returned' ? cur.enrollment : null;
  const f = new Form({ id: 'enroll-form', class: 'narrow' });
  const sector = f.field('sector', t('enroll.sector'), select([['', t('enroll.choose')],
    ...sectors.map((s) => [s.code, s.compulsory ? t('enroll.sector_compulsory', { name: nameOf(s) }) : nameOf(s)])],
  prev ? prev.sector : (cur.sector || '')), null, { required: true });
  const auth = f.field('licensing_authority', t('enroll.authority'),
    input({ maxlength: 200, autocomplete: 'organization', value: prev ? prev.licensing_authority : '' }),
    t('enroll.authority_hint'), { required: true });
  const num = f.field('license_number', t('enroll.license_number'),
    input({ maxlength: 40, dir: 'ltr', value: prev ? prev.license_number : '' }), t('enroll.license_number_hint'),
    { required: true });
  const exp = f.field('license_expiry', t('enroll.license_expiry'),
    input({ type: 'date', value: prev ? prev.license_expiry : '' }), null, { required: true });
  const region = f.field('region', t('enroll.region'),
    input({ maxlength: 100, value: prev ? prev.region : '' }), null, { required: true });
  const user = f.field('main_user_qid', t('enroll.main_user'), select([['', t('enroll.choose')],
    ...staff.map((p) => [p.qid, `${nameOf(p)} — ${p.qid}`])], prev ? prev.main_user_qid : ''),
  t('enroll.main_user_hint'), { required: true });
  const mobile = f.field('main_user_mobile', t('enroll.mobile'),
    input({ type: 'tel', dir: 'ltr', autocomplete: 'tel', maxlength: 24, value: prev ? prev.main_user_mobile : '' }),
    t('enroll.mobile_hint'), { required: true });
  const files = {};
  for (const k of DOC_KINDS) {
    files[k] = f.field(k, t(`enroll.doc.${k}`), h('input', { type: 'file',
      accept: 'application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png' }),
    prev ? t('enroll.doc_keep_hint') : t('enroll.doc_hint'), { required: !prev });
  }
  const bar = h('progress', { id: 'enroll-progress', max: 100, value: 0, 'aria-labelledby': 'enroll-progress-label' });
  const barText = h('span', { id: 'enroll-progress-label', text: t('enroll.uploading', { pct: fmtNum(0) }) });
  const barBox = h('div', { class: 'upload-progress', hidden: true }, barText, bar);
  f.add(barBox);
  f.actions(h('button', { type: 'submit', class: 'primary', id: 'enroll-submit',
    text: t(prev ? 'enroll.resubmit' : 'enroll.submit') }));

  f.onSubmit(async () => {
    // The documents first: a file too big or of another kind is not sent
    // (5 MiB each would go for nothing); the server checks the content.
    const bad = [];
    for (const k of DOC_KINDS) {
      const file = files[k].files[0];
      if (!file) { if (!prev) bad.push([k, t('enroll.doc_required')]); continue; }
      const p = fileProblem(file);
      if (p) bad.push([k, p]);
    }
    if (bad.length) { f.fieldErrors(bad); return; }
    const data = {
      sector: sector.value, licensing_authority: auth.value.trim(), license_number: asciiDigits(num.value.trim()),
      license_expiry: exp.value, region: region.value.trim(), main_user_qid: user.value,
      main_user_mobile: asciiDigits(mobile.value.trim()),
    };
    const fd = new FormData();
    fd.append('data', new Blob([JSON.stringify(data)], { type: 'application/json' }), 'data.json');
    for (const k of DOC_KINDS) if (files[k].files[0]) fd.append(k, files[k].files[0]);
    barBox.hidden = false;
    bar.value = 0;
    barText.textContent = t('enroll.uploading', { pct: fmtNum(0) });
    try {
      const r = await upload('POST', `/api/v1/companies/${est}/enrollment`, fd, (sent, total) => {
        const pct = Math.round((sent * 100) / total);
        bar.value = pct;
        barText.textContent = t('enroll.uploading', { pct: fmtNum(pct) });
      });
      await after(r);
    } catch (e) {
      barBox.hidden = true;
      // The part "data" is not a field of the form: its errors name the
      // fields inside it; the server's other codes go above the button.
      f.showError(e);
    }
  });
  return f.el;
}

function stateSection(cur, est, acc) {
  const e = cur.enrollment;
  const box = h('div', { id: 'enroll-state' });
  if (!e) {
    box.append(h('p', { class: cur.sector_compulsory && !cur.enrolled ? 'notice' : 'hint', id: 'enroll-none',
      text: t(cur.sector_compulsory && !cur.enrolled ? 'enroll.required_notice' : 'enroll.none') }));
    return section(t('enroll.state_title'), box);
  }
  box.append(facts('enroll-facts', [
    [t('enroll.reference'), ltr(e.reference, { class: 'mono big', id: 'enroll-reference' })],
    [t('enroll.status'), h('span', { id: 'enroll-status' }, statusBadge(e.status))],
    [t('enroll.sector'), sectorName(e)],
    [t('enroll.license_number'), ltr(e.license_number)],
    [t('enroll.license_expiry'), fmtDate(e.license_expiry)],
    [t('enroll.submitted'), fmtDateTime(e.submitted_at)],
    e.decided_at ? [t(e.status === 'active' ? 'enroll.activated' : 'enroll.decided'), fmtDateTime(e.decided_at)] : null,
  ]));
  if (e.status === 'submitted') {
    box.append(h('p', { class: 'notice', id: 'enroll-keep', text: t('enroll.keep_reference', { ref: ltrText(e.reference) }) }));
  } else if (e.status === 'returned') {
    box.append(h('div', { class: 'notice', id: 'enroll-returned' },
      h('p', { text: t('enroll.returned_lead') }),
      h('blockquote', { id: 'enroll-note', text: e.supervisor_note || '' }),
      e.inaccurate ? h('p', { id: 'enroll-inaccurate', text: t('enroll.inaccurate_notice') }) : null,
      // A button, not an in-page link: the address's # is the page's route.
      acc.signatory ? h('p', {}, button(t('enroll.correct'), { id: 'enroll-correct', onclick: () => {
        const first = document.querySelector('#enroll-form select[name=sector]');
        first?.scrollIntoView({ block: 'center' });
        first?.focus();
      } })) : null));
  } else if (e.status === 'active') {
    const err = actionError();
    box.append(h('p', { class: 'form-ok', id: 'enroll-active', text: t('enroll.active_lead') }),
      h('div', { class: 'actions' }, button(t('enroll.letter'), { class: 'primary', id: 'enroll-letter',
        onclick: async () => {
          err.textContent = '';
          try {
            await download(`/api/v1/companies/${est}/enrollment/letter.pdf`, `activation-letter-${e.reference}.pdf`);
          } catch (x) { err.textContent = errText(x); }
        } }), err));
  }
  return section(t('enroll.state_title'), box);
}

// Suspension of the establishment's own use: a signatory, with a reason.
function suspensionSection(cur, est, rerender) {
  const s = cur.suspension;
  const f = new Form({ id: 'suspend-form', class: 'narrow' });
  if (s) {
    f.add(h('p', { class: 'notice', id: 'suspend-state',
      text: t('enroll.suspended_since', { date: fmtDateTime(s.since), reason: s.reason }) }));
    f.actions(h('button', { type: 'submit', class: 'primary', id: 'resume', text: t('enroll.resume') }));
    f.onSubmit(async () => {
      if (!(await confirmDialog(t('enroll.resume_confirm'), t('enroll.resume')))) return;
      await api('DELETE', `/api/v1/companies/${est}/suspension`);
      await rerender(t('enroll.resumed_ok'));
    });
  } else {
    f.add(h('p', { class: 'hint', text: t('enroll.suspend_lead') }));
    const reason = f.field('reason', t('enroll.suspend_reason'), h('textarea', { maxlength: 500, rows: 2 }), null,
      { required: true });
    f.actions(h('button', { type: 'submit', class: 'danger', id: 'suspend', text: t('enroll.suspend') }));
    f.onSubmit(async () => {
      if (!reason.value.trim()) { f.fieldError('reason', t('err.required')); return; }
      if (!(await confirmDialog(t('enroll.suspend_confirm'), t('enroll.suspend')))) return;
      await api('POST', `/api/v1/companies/${est}/suspension`, { json: { reason: reason.value.trim() } });
      await rerender(t('enroll.suspended_ok'));
    });
  }
  return section(t('enroll.suspend_title'), f.el);
}

export async function enrollmentTab(ctx) {
  const { est, body, acc } = ctx;
  const flash = h('p', { class: 'form-ok', role: 'status', id: 'enroll-flash', tabindex: -1 });
  const content = h('div');
  body.append(h('p', { class: 'lead', text: t('enroll.lead') }), flash, content);

  async function show(message) {
    const [cur, sectors, staff] = await Promise.all([
      get(`/api/v1/companies/${est}/enrollment`),
      acc.signatory ? get('/api/v1/sectors').then((r) => r.items) : [],
      acc.signatory ? people(est) : [],
    ]);
    clear(content);
    flash.textContent = message || '';
    content.appendChild(stateSection(cur, est, acc));
    const st = cur.enrollment ? cur.enrollment.status : null;
    if (acc.signatory && (st === null || st === 'returned')) {
      const sec = section(t(st === 'returned' ? 'enroll.form_correct' : 'enroll.form_title'),
        enrollmentForm(ctx, cur, sectors, staff, async (r) => {
          await show(t(r && r.resubmitted ? 'enroll.resubmitted_ok' : 'enroll.submitted_ok',
            { ref: ltrText(r && r.reference) }));
          // The reference to keep: the message saying so takes the focus.
          flash.focus();
        }));
      sec.id = 'enroll-form-section';
      content.appendChild(sec);
    }
    if (cur.enrollment && cur.enrollment.documents && cur.enrollment.documents.length) {
      content.appendChild(section(t('enroll.documents'), h('ul', { id: 'enroll-docs' },
        cur.enrollment.documents.map((d) => h('li', { 'data-doc': d.kind },
          `${t(`enroll.doc.${d.kind}`)}: `, ltr(KIND_NAMES[d.media_type] || d.media_type),
          ` (${t('enroll.kib', { n: Math.ceil(d.size / 1024) })})`)))));
    }
    if (acc.signatory) content.appendChild(suspensionSection(cur, est, show));
  }
  await show();
}

// Whether the company's pages offer the enrollment tab: a compulsory
// sector, or an enrollment on record (company.js asks once per page).
export async function enrollmentRelevant(est) {
  try {
    const cur = await get(`/api/v1/companies/${est}/enrollment`);
    return !!(cur.sector_compulsory || cur.enrollment || cur.suspension);
  } catch { return false; }
}

