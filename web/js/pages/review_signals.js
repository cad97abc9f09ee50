// Reviewers: signals of shared credentials (issue 16 §5), the sign-in
// patterns and signatory acts worth a look, marked reviewed with a note.
import { h, clear } from '../dom.js';
import { t, fmtDateTime, fmtNum } from '../i18n.js';
import { api, get } from '../api.js';
import { Form, select, table, empty, heading, badge, errText, pager, ltr } from '../ui.js';

const STATES = ['open', 'reviewed', 'all'];
const KINDS = {
  shared_address: 'signals.kind.shared_address',
  many_addresses: 'signals.kind.many_addresses',
  signatory_act_from_representative_address: 'signals.kind.signatory_act',
};

// What was seen, in words: who, from where.
function seen(s) {
  const d = s.details || {};
  if (s.kind === 'shared_address') {
    return t('signals.seen.shared_address', { n: fmtNum(d.people), address: d.address });
  }
  if (s.kind === 'many_addresses') {
    return t('signals.seen.many_addresses', { n: fmtNum(d.count), user: d.username });
  }
  return t('signals.seen.signatory_act', { user: d.signatory, est: d.est_id, address: d.address,
    reps: (d.representatives || []).join(', ') });
}

export async function signals(ctx) {
  const v = ctx.view;
  v.appendChild(heading(t('signals.title')));
  v.appendChild(h('p', { class: 'muted', text: t('signals.hint') }));
  const out = h('div', { id: 'signals-list' });
  const flash = h('p', { class: 'form-ok', role: 'status', id: 'signals-flash' });
  const f = new Form({ id: 'signals-filter', class: 'inline' });
  const st = f.field('state', t('signals.state'), select(STATES.map((s) => [s, t(`signals.state.${s}`)]), 'open'));
  f.actions(h('button', { type: 'submit', class: 'primary', text: t('review.show') }));

  async function load(offset = 0) {
    const r = await get(`/api/v1/backoffice/signals?state=${st.value}&limit=50&offset=${offset}`);
    clear(out);
    if (!r.items.length) { out.appendChild(empty(t('signals.none'))); return; }
    const rows = r.items.map((s) => {
      let act = s.note ? h('span', {}, h('span', { class: 'muted', text: `${s.reviewed_by}: ` }), s.note) : '';
      if (s.state === 'open') {
        const noteId = `signal-note-${s.id}`;
        const note = h('input', { type: 'text', id: noteId, 'data-signal-note': s.id, maxlength: 1000 });
        const err = h('p', { class: 'field-error', id: `${noteId}-err`, role: 'alert' });
        note.setAttribute('aria-describedby', err.id);
        const mark = async () => {
          err.textContent = '';
          note.removeAttribute('aria-invalid');
          if (!note.value.trim()) {
            err.textContent = t('signals.note_required');
            note.setAttribute('aria-invalid', 'true');
            note.focus();
            return;
          }
          try {
            await api('POST', `/api/v1/backoffice/signals/${s.id}/review`, { json: { note: note.value.trim() } });
            await load();
            flash.textContent = t('signals.reviewed_ok');
          } catch (e) {
            err.textContent = errText(e);
            if (e.field === 'note') note.setAttribute('aria-invalid', 'true');
          }
        };
        act = h('div', { class: 'decide' },
          h('label', { for: noteId, text: t('signals.note') }), note, err,
          h('div', { class: 'actions' },
            h('button', { type: 'button', class: 'primary small', 'data-review': s.id,
              text: t('signals.mark_reviewed'), onclick: mark })));
      }
      return [
        t(KINDS[s.kind] || 'signals.kind.shared_address'),
        seen(s),
        ltr(s.period),
        fmtDateTime(s.raised_at),
        badge(s.state, t(`signals.state.${s.state}`)),
        act,
      ];
    });
    out.appendChild(table(t('signals.caption'),
      [t('signals.kind'), t('signals.seen'), t('signals.period'), t('signals.raised_at'), t('signals.state'), t('common.actions')],
      rows, { id: 'signals-table' }));
    const pg = pager(r, load, 'signals-pager');
    if (pg) out.appendChild(pg);
  }
  f.onSubmit(() => load(0));
  v.appendChild(f.el);
  v.appendChild(flash);
  v.appendChild(out);
  await load();
}
