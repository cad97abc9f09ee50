// Exclusions: add one, remove one (confirmed), upload a CSV (comma or
// semicolon; every bad line listed with its number, format and employment
// alike), download the list (qid,note,name, which uploads again as is).
import { h, clear, asciiDigits } from '../dom.js';
import { t, nameOf, fmtDateTime, fmtDigits, fmtNum } from '../i18n.js';
import { api, get, download } from '../api.js';
import { Form, input, button, table, empty, section, actionError, confirmDialog, errText, csvReasonText, pager,
  personCell } from '../ui.js';

export async function exclusionsTab(ctx) {
  const { est, acc, body } = ctx;
  const listBox = h('div', { id: 'exclusions-list' });
  const status = h('p', { class: 'form-ok', role: 'status', id: 'exclusions-status' });

  let at = 0;
  async function refresh(offset = at) {
    const r = await get(`/api/v1/companies/${est}/exclusions?limit=100&offset=${offset}`);
    if (!r.items.length && r.offset > 0) return refresh(0);
    at = r.offset;
    clear(listBox);
    if (!r.items.length) {
      listBox.appendChild(empty(t('exclusions.none')));
      return;
    }
    listBox.appendChild(h('p', { class: 'muted', text: t('exclusions.count', { n: r.total }) }));
    listBox.appendChild(table(t('exclusions.caption'),
      [t('exclusions.person'), t('exclusions.note'), t('exclusions.added'), acc.renewalEdit ? t('common.actions') : null].filter(Boolean),
      r.items.map((x) => {
        const cells = [
          personCell(nameOf(x), x.qid),
          x.note,
          fmtDateTime(x.added_at),
        ];
        if (acc.renewalEdit) {
          const err = actionError();
          cells.push(h('span', {}, button(t('exclusions.remove'), {
            class: 'danger small', 'data-qid': x.qid,
            'aria-label': t('exclusions.remove_label', { name: nameOf(x) }),
            onclick: async () => {
              if (!(await confirmDialog(t('exclusions.remove_confirm', { name: nameOf(x) }), t('exclusions.remove')))) return;
              try {
                await api('DELETE', `/api/v1/companies/${est}/exclusions/${x.qid}`);
                status.textContent = t('exclusions.removed_ok', { name: nameOf(x) });
                await refresh();
              } catch (e) { err.textContent = errText(e); }
            },
          }), err));
        }
        return cells;
      }), { id: 'exclusions-table' }));
    const pg = pager(r, refresh, 'exclusions-pager');
    if (pg) listBox.appendChild(pg);
  }

  if (acc.renewalEdit) {
    const f = new Form({ id: 'exclusion-form' });
    const qid = f.field('qid', t('exclusions.qid'), input({ dir: 'ltr', inputmode: 'numeric', maxlength: 11, autocomplete: 'off' }),
      null, { required: true });
    const note = f.field('note', t('exclusions.note_opt'), input({ maxlength: 500 }));
    f.actions(h('button', { type: 'submit', class: 'primary', text: t('exclusions.add') }));
    f.onSubmit(async () => {
      const q = asciiDigits(qid.value.trim());
      if (!q) { f.fieldError('qid', t('err.required')); return; }
      await api('POST', `/api/v1/companies/${est}/exclusions`, { json: { qid: q, note: note.value.trim() } });
      f.el.reset();
      f.done(t('exclusions.added_ok'));
      await refresh();
    });
    body.appendChild(section(t('exclusions.add_title'), f.el));

    const u = new Form({ id: 'upload-form' });
    const file = u.field('file', t('exclusions.file'), input({ type: 'file', accept: '.csv,text/csv' }),
      `${t('exclusions.file_hint')} ${t('exclusions.file_hint_more')}`, { required: true });
    // Every bad line, under the file it belongs to.
    const lines = h('ul', { class: 'line-errors', id: 'upload-errors', 'aria-live': 'polite' });
    u.fields.file.wrap.appendChild(lines);
    u.actions(h('button', { type: 'submit', class: 'primary', text: t('exclusions.upload') }));
    u.onSubmit(async () => {
      clear(lines);
      if (!file.files.length) { u.fieldError('file', t('err.file_required')); return; }
      try {
        const r = await api('POST', `/api/v1/companies/${est}/exclusions`,
          { body: file.files[0], contentType: 'text/csv; charset=utf-8' });
        u.done(t('exclusions.uploaded_ok', { lines: r.lines, added: r.added }));
        u.el.reset();
        await refresh();
      } catch (e) {
        if (e.code === 'invalid_csv' && e.lines) {
          u.fieldError('file', t('exclusions.upload_failed', { n: e.lines.length }));
          for (const l of e.lines) {
            lines.appendChild(h('li', { 'data-line': l.line, text: t('exclusions.line_error', {
              line: fmtNum(l.line), qid: l.qid ? fmtDigits(l.qid) : '—', reason: csvReasonText(l) }) }));
          }
          return;
        }
        if (!e.field) e.field = 'file';
        throw e;
      }
    });
    body.appendChild(section(t('exclusions.upload_title'), u.el));
  }

  const dlErr = actionError();
  body.appendChild(section(t('exclusions.list_title'),
    h('div', { class: 'actions' }, button(t('exclusions.download'), {
      id: 'exclusions-download',
      onclick: async () => {
        dlErr.textContent = '';
        try { await download(`/api/v1/companies/${est}/exclusions.csv`, `exclusions-${est}.csv`); } catch (e) { dlErr.textContent = errText(e); }
      },
    }), dlErr),
    status, listBox));
  await refresh();
}
