// Supervisors (reviewers), issue 15 §3: the enrollment queue
// (#/review/enrollments: status, search, paging) and one enrollment
// (#/review/enrollment/{reference}) with its documents shown beside the
// form's data (a PDF framed, an image as an image, as the API serves them
// with their sniffed type), then activate, or return with a note and
// whether the data were inaccurate; each confirmed in a dialog. The server
// enforces the separation of duties; its refusal is shown as it says.
import { h, clear, asciiDigits } from '../dom.js';
import { t, nameOf, fmtDate, fmtDateTime, ltrText } from '../i18n.js';
import { api, get } from '../api.js';
import { rememberCompany } from '../access.js';
import { Form, input, select, button, table, empty, heading, section, pager, badge, ltr, ltrDigits, withNumber,
  errText, confirmDialog } from '../ui.js';
import { DOC_KINDS, facts, statusBadge, sectorName } from './company_enrollment.js';

const STATUSES = ['submitted', 'returned', 'active'];

export async function enrollments(ctx) {
  const v = ctx.view;
  v.appendChild(heading(t('enroll.queue_title')));
  v.appendChild(h('p', { class: 'lead', text: t('enroll.queue_lead') }));
  const out = h('div', { id: 'enroll-queue' });
  const f = new Form({ id: 'enroll-filter', class: 'inline' });
  const st = f.field('status', t('enroll.status'), select([...STATUSES.map((s) => [s, t(`enroll.status.${s}`)]),
    ['', t('enroll.all_statuses')]], 'submitted'));
  const q = f.field('q', t('review.search'), input({ type: 'search' }), t('enroll.search_hint'));
  f.actions(h('button', { type: 'submit', class: 'primary', text: t('review.show') }));

  async function load(offset = 0) {
    const p = new URLSearchParams({ limit: '50', offset: String(offset) });
    if (st.value) p.set('status', st.value);
    if (q.value.trim()) p.set('q', asciiDigits(q.value.trim()));
    const r = await get(`/api/v1/backoffice/enrollments?${p}`);
    clear(out);
    if (!r.items.length) { out.appendChild(empty(t('enroll.queue_empty'))); return; }
    out.appendChild(table(t('enroll.queue_caption'), [t('review.reference_submitted'), t('statements.company'),
      t('enroll.sector'), t('enroll.status'), t('common.actions')], r.items.map((e) => {
      rememberCompany(e);
      return [
        h('span', {}, ltr(e.reference, { class: 'mono' }), h('br'),
          h('span', { class: 'muted', text: fmtDateTime(e.submitted_at) })),
        withNumber(nameOf(e, 'company_name'), e.est_id),
        sectorName(e),
        statusBadge(e.status),
        h('a', { href: `#/review/enrollment/${e.reference}`, 'data-open': e.reference,
          'aria-label': t('enroll.open_label', { ref: e.reference }), text: t('enroll.open') }),
      ];
    }), { id: 'enroll-queue-table' }));
    const pg = pager(r, load, 'enroll-pager');
    if (pg) out.appendChild(pg);
  }
  f.onSubmit(() => load(0));
  v.append(f.el, out);
  await load();
}

function docPath(ref, kind) {
  return `/api/v1/backoffice/enrollments/${ref}/documents/${kind}`;
}

// One document at a time in the viewer; the buttons choose which.
function viewer(e) {
  const frame = h('div', { class: 'doc-frame', id: 'doc-frame' });
  const buttons = [];
  const showDoc = (d) => {
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.doc === d.kind));
    const name = t(`enroll.doc.${d.kind}`);
    const src = docPath(e.reference, d.kind);
    clear(frame).append(d.media_type === 'application/pdf'
      ? h('iframe', { src, title: name, 'data-viewing': d.kind })
      : h('img', { src, alt: name, 'data-viewing': d.kind }),
    h('p', {}, h('a', { href: src, target: '_blank', rel: 'noopener', id: 'doc-open',
      text: t('enroll.doc_open', { name }) })));
  };
  for (const d of e.documents || []) {
    buttons.push(button(t(`enroll.doc.${d.kind}`), { class: 'small', 'data-doc': d.kind, 'aria-pressed': 'false',
      'aria-controls': 'doc-frame', onclick: () => showDoc(d) }));
  }
  const docs = [...(e.documents || [])].sort((a, b) => DOC_KINDS.indexOf(a.kind) - DOC_KINDS.indexOf(b.kind));
  if (docs.length) showDoc(docs[0]);
  else frame.appendChild(empty(t('enroll.no_documents')));
  return h('section', { class: 'enroll-viewer', 'aria-labelledby': 'doc-title' },
    h('h2', { id: 'doc-title', text: t('enroll.documents') }),
    h('div', { class: 'actions doc-choose', role: 'group', 'aria-label': t('enroll.documents') }, buttons), frame);
}

function decision(e, done) {
  const err = h('p', { class: 'form-error', role: 'alert', id: 'enroll-decide-error' });
  const f = new Form({ id: 'enroll-return', class: 'narrow' });
  const note = f.field('note', t('enroll.return_note'), h('textarea', { maxlength: 2000, rows: 3 }),
    t('enroll.return_note_hint'));
  const inacc = f.field('inaccurate', t('enroll.inaccurate'), h('input', { type: 'checkbox' }),
    t('enroll.inaccurate_hint'));
  const failed = (x) => {
    // Separation of duties (own_company, own_submission) and the rest:
    // the code's text in the reviewer's language.
    err.textContent = errText(x);
  };
  const activate = button(t('enroll.activate'), { class: 'primary', id: 'enroll-activate', onclick: async () => {
    err.textContent = '';
    if (!(await confirmDialog(t('enroll.activate_confirm', { ref: ltrText(e.reference), name: nameOf(e, 'company_name') }),
      t('enroll.activate')))) return;
    try {
      await api('POST', `/api/v1/backoffice/enrollments/${e.reference}/activate`);
      await done('activated');
    } catch (x) { failed(x); }
  } });
  f.actions(h('button', { type: 'submit', class: 'danger', id: 'enroll-return-btn', text: t('enroll.return') }));
  f.onSubmit(async () => {
    err.textContent = '';
    const n = note.value.trim();
    if (!n) { f.fieldError('note', t('enroll.note_required')); return; }
    if (!(await confirmDialog(t(inacc.checked ? 'enroll.return_confirm_inaccurate' : 'enroll.return_confirm',
      { ref: ltrText(e.reference), name: nameOf(e, 'company_name') }), t('enroll.return')))) return;
    try {
      await api('POST', `/api/v1/backoffice/enrollments/${e.reference}/return`, { json: { note: n, inaccurate: inacc.checked } });
      await done('returned');
    } catch (x) {
      if (x.field && f.fields[x.field]) f.showError(x);
      else failed(x);
    }
  });
  return h('div', { id: 'enroll-decide' }, err,
    h('h3', { text: t('enroll.activate_title') }), h('p', { class: 'hint', text: t('enroll.activate_hint') }),
    h('div', { class: 'actions' }, activate),
    h('h3', { text: t('enroll.return_title') }), f.el);
}

export async function enrollmentDetail(ctx) {
  const ref = ctx.params[1];
  const v = ctx.view;
  let e;
  try {
    e = await get(`/api/v1/backoffice/enrollments/${ref}`);
  } catch (x) {
    if (x.status !== 404) throw x;
    v.append(heading(t('enroll.detail_title', { ref: ltrText(ref) })), empty(t('enroll.not_found')));
    return;
  }
  rememberCompany(e);
  v.appendChild(heading(t('enroll.detail_title', { ref: ltrText(e.reference) })));
  v.appendChild(h('p', { class: 'lead' }, withNumber(nameOf(e, 'company_name'), e.est_id), ' ',
    h('span', { id: 'enroll-status' }, statusBadge(e.status))));
  const flash = h('p', { class: 'form-ok', role: 'status', id: 'enroll-flash', tabindex: -1 });
  v.appendChild(flash);
  const data = h('section', { class: 'enroll-data', 'aria-labelledby': 'data-title' },
    h('h2', { id: 'data-title', text: t('enroll.form_data') }),
    facts('enroll-detail', [
      [t('statements.company'), withNumber(nameOf(e, 'company_name'), e.est_id)],
      [t('enroll.sector'), sectorName(e)],
      [t('enroll.authority'), e.licensing_authority],
      [t('enroll.license_number'), ltr(e.license_number, { id: 'detail-license' })],
      [t('enroll.license_expiry'), fmtDate(e.license_expiry)],
      [t('enroll.region'), e.region],
      [t('enroll.main_user'), ltrDigits(e.main_user_qid, { id: 'detail-main-user' })],
      [t('enroll.mobile'), ltr(e.main_user_mobile, { class: 'phone' })],
      [t('subdetail.submitted_by'), ltrDigits(e.submitted_by)],
      [t('enroll.submitted'), fmtDateTime(e.submitted_at)],
      e.decided_at ? [t('enroll.decided'), `${fmtDateTime(e.decided_at)} (${e.decided_by || ''})`] : null,
    ]),
    (e.returns || []).length ? h('div', {}, h('h3', { text: t('enroll.returns') }),
      h('ul', { id: 'enroll-returns' }, e.returns.map((x) => h('li', {},
        `${fmtDateTime(x.returned_at)} (${x.returned_by}): ${x.note}`,
        x.inaccurate ? [' ', badge('rejected', t('enroll.inaccurate_short'))] : null)))) : null);
  v.appendChild(h('div', { class: 'enroll-review' }, data, viewer(e)));
  if (e.status === 'submitted') {
    const box = h('div');
    box.appendChild(decision(e, async (what) => {
      clear(box);
      const s = document.getElementById('enroll-status');
      if (s) clear(s).appendChild(statusBadge(what === 'activated' ? 'active' : 'returned'));
      flash.textContent = t(what === 'activated' ? 'enroll.activated_ok' : 'enroll.returned_ok',
        { ref: ltrText(e.reference), name: nameOf(e, 'company_name') });
      flash.focus();
    }));
    v.appendChild(section(t('review.decision'), box));
  }
}
