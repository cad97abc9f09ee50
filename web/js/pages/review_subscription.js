// Reviewers: one subscription before deciding (#/review/subscription/{est_id}/{reference}):
// the company, who submitted it and when, the mandate (account, cap,
// duration, who authorized the debits), the switches and contact, what the
// next execution would do (the preview's figures), and the company's
// history (its earlier subscriptions and latest statements); then the
// decision, each confirmed in a dialog that says what it will do.
import { h, clear } from '../dom.js';
import { t, nameOf, fmtDate, fmtDateTime, fmtMoney, fmtNum, ltrText } from '../i18n.js';
import { api, get } from '../api.js';
import { heading, section, table, empty, badge, button, ltr, ltrDigits, withNumber, errText,
  confirmDialog } from '../ui.js';
import { statementsTable } from '../statements.js';

const STATUSES = ['pending', 'active', 'rejected', 'replaced'];

function facts(id, pairs) {
  return h('dl', { class: 'facts', id }, pairs.flatMap(([k, v]) => [h('dt', { text: k }),
    h('dd', {}, v === null || v === undefined || v === '' ? '—' : v)]));
}

// Every subscription of the company, all statuses, newest first.
async function history(est) {
  const pages = await Promise.all(STATUSES.map((st) =>
    get(`/api/v1/backoffice/subscriptions?${new URLSearchParams({ status: st, q: est, limit: '100' })}`)));
  return pages.flatMap((p) => p.items).filter((s) => s.est_id === est)
    .sort((a, b) => String(b.submitted_at).localeCompare(String(a.submitted_at)));
}

// The confirmation's text: what approving or rejecting this one does.
export function decisionText(verb, s) {
  const vars = { ref: ltrText(s.reference), name: nameOf(s, 'company_name'), iban: ltrText(s.iban),
    cap: fmtMoney(s.cap_dirhams) };
  return t(verb === 'approve' ? 'subdetail.confirm_approve' : 'subdetail.confirm_reject', vars);
}

// The note and the two buttons; after a decision, done(verb) is called.
export function decideControls(s, done) {
  const noteId = `note-${s.reference}`;
  const note = h('input', { type: 'text', id: noteId, 'data-note': s.reference, maxlength: 500 });
  const err = h('p', { class: 'field-error', id: `${noteId}-err`, role: 'alert' });
  note.setAttribute('aria-describedby', err.id);
  const decide = async (verb) => {
    err.textContent = '';
    note.removeAttribute('aria-invalid');
    const n = note.value.trim();
    if (verb === 'reject' && !n) {
      err.textContent = t('review.note_required');
      note.setAttribute('aria-invalid', 'true');
      note.focus();
      return;
    }
    // Nothing is sent until the reviewer confirms what it will do.
    if (!(await confirmDialog(decisionText(verb, s), t(verb === 'approve' ? 'review.approve' : 'review.reject')))) return;
    try {
      await api('POST', `/api/v1/backoffice/subscriptions/${s.reference}/${verb}`, { json: n ? { note: n } : {} });
      await done(verb);
    } catch (e) {
      err.textContent = errText(e);
      if (e.field === 'note') note.setAttribute('aria-invalid', 'true');
    }
  };
  return h('div', { class: 'decide' },
    h('label', { for: noteId, text: t('review.note') }), note, err,
    h('div', { class: 'actions' },
      button(t('review.approve'), { class: 'primary small', 'data-approve': s.reference,
        'aria-label': t('review.approve_label', { ref: s.reference }), onclick: () => decide('approve') }),
      button(t('review.reject'), { class: 'danger small', 'data-reject': s.reference,
        'aria-label': t('review.reject_label', { ref: s.reference }), onclick: () => decide('reject') })));
}

export async function subscriptionDetail(ctx) {
  const [est, ref] = [ctx.params[1], ctx.params[2]];
  const v = ctx.view;
  if (!est || !ref) {
    v.append(heading(t('review.queue_title')), empty(t('subdetail.not_found')));
    return;
  }
  const all = await history(est);
  const s = all.find((x) => x.reference === ref);
  if (!s) {
    v.append(heading(t('subdetail.title', { ref: ltrText(ref) })), empty(t('subdetail.not_found')));
    return;
  }
  v.appendChild(heading(t('subdetail.title', { ref: ltrText(ref) })));
  v.appendChild(h('p', { class: 'lead' }, withNumber(nameOf(s, 'company_name'), s.est_id), ' ',
    badge(s.status, t(`renewal.status.${s.status}`))));
  const flash = h('p', { class: 'form-ok', role: 'status', id: 'detail-flash' });
  v.appendChild(flash);

  const [renewal, preview, statements] = await Promise.all([
    get(`/api/v1/companies/${est}/renewal`).catch(() => null),
    get(`/api/v1/companies/${est}/renewal/preview`).catch(() => null),
    get(`/api/v1/companies/${est}/statements?limit=5`).catch(() => null),
  ]);

  v.appendChild(section(t('subdetail.request'), facts('detail-request', [
    [t('statements.company'), withNumber(nameOf(s, 'company_name'), s.est_id)],
    [t('subdetail.submitted_by'), ltrDigits(s.submitted_by, { id: 'detail-submitted-by' })],
    [t('subdetail.submitted_at'), fmtDateTime(s.submitted_at)],
    [t('subdetail.iban'), ltr(s.iban, { class: 'mono', id: 'detail-iban' })],
    [t('subdetail.authorizing'), ltrDigits(s.authorizing_qid)],
    [t('renewal.cap'), h('span', { id: 'detail-cap', text: fmtMoney(s.cap_dirhams) })],
    [t('renewal.duration'), t('renewal.years', { n: s.duration_years })],
    s.reviewed_at ? [t('subdetail.reviewed'), `${fmtDateTime(s.reviewed_at)} (${s.reviewed_by || ''})`] : null,
    s.review_note ? [t('review.note'), s.review_note] : null,
  ].filter(Boolean))));

  if (renewal) {
    v.appendChild(section(t('renewal.switches'), facts('detail-switches', [
      [t('renewal.enabled'), t(`renewal.state_short.${renewal.renewal_state || (renewal.enabled ? 'on' : 'stopped')}`)],
      [t('renewal.email'), ltr(renewal.email)],
      [t('renewal.mobile'), ltr(renewal.mobile, { class: 'phone' })],
      [t('renewal.language'), t(`renewal.lang.${renewal.language}`)],
      [t('renewal.address'), renewal.delivery_address],
    ])));
  }

  v.appendChild(section(t('subdetail.preview'), preview ? [
    h('p', { class: 'hint', text: t('subdetail.preview_lead') }),
    facts('detail-preview', [
      [t('preview.execution_date'), fmtDate(preview.date)],
      [t('preview.renewed_count'), h('span', { id: 'detail-renewed', text: fmtNum(preview.renewed_count ?? 0) })],
      [t('preview.not_renewed_count'), h('span', { id: 'detail-not-renewed', text: fmtNum(preview.not_renewed_count ?? 0) })],
      [t('preview.total_if_runs'), h('span', { id: 'detail-total', text: fmtMoney(preview.total_dirhams) })],
      [t('renewal.cap'), fmtMoney(preview.cap_dirhams)],
    ]),
    preview.total_dirhams > preview.cap_dirhams
      ? h('p', { class: 'notice', id: 'detail-over-cap', text: t('subdetail.over_cap') }) : null,
  ] : empty(t('subdetail.no_preview'))));

  const others = all.filter((x) => x.reference !== ref);
  v.appendChild(section(t('subdetail.history'),
    others.length ? table(t('subdetail.history_caption'),
      [t('review.reference_submitted'), t('subdetail.iban'), t('renewal.status'), t('review.note')],
      others.map((x) => [
        h('span', {}, ltr(x.reference, { class: 'mono' }), h('br'), h('span', { class: 'muted', text: fmtDateTime(x.submitted_at) })),
        ltr(x.iban, { class: 'mono' }), badge(x.status, t(`renewal.status.${x.status}`)), x.review_note || '—']),
      { id: 'detail-history' }) : empty(t('subdetail.no_history')),
    h('h3', { text: t('subdetail.statements') }),
    statements ? statementsTable(statements.items, false) : empty(t('statements.none'))));

  if (s.status === 'pending') {
    const box = h('div', { id: 'detail-decide' });
    box.appendChild(decideControls(s, async (verb) => {
      clear(box);
      flash.textContent = t(verb === 'approve' ? 'review.approved_ok' : 'review.rejected_ok',
        { ref: ltrText(s.reference), name: nameOf(s, 'company_name') });
      flash.focus?.();
    }));
    v.appendChild(section(t('review.decision'), box));
  }
}
