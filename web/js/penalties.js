// The establishments' penalties (issue 15 §2) as a table: for reviewers
// (every company, with waive and "paid" on each issued one) and for a
// company's own tab (read only). The server decides who may settle.
import { h, clear, asciiDigits } from './dom.js';
import { t, nameOf, fmtDate, fmtMoney } from './i18n.js';
import { api, get } from './api.js';
import { Form, input, select, button, table, empty, badge, errText, pager, actionError,
  confirmDialog, withNumber } from './ui.js';

const STATES = ['issued', 'paid', 'waived'];

function amountText(p) {
  return p.amount_dirhams > 0 ? fmtMoney(p.amount_dirhams) : t('penalty.warning_no_amount');
}

// The state cell and, for reviewers, the actions; both follow the answer.
function stateCells(p, settle, flash) {
  const state = h('span', { 'data-penalty-state': p.id });
  const act = h('span', { class: 'row-actions' });
  const err = actionError();
  const show = (x) => {
    clear(state).appendChild(badge(x.state, t(`penalty.state.${x.state}`)));
    if (x.note) state.appendChild(h('span', { class: 'note', text: ` ${x.note}` }));
    clear(act);
    if (!settle || x.state !== 'issued') return;
    const what = t(`penalty.rule.${x.rule}`);
    const note = h('input', { type: 'text', maxlength: 2000, 'data-penalty-note': x.id,
      'aria-label': t('penalty.note_label', { what }) });
    const run = async (verb) => {
      err.textContent = '';
      const text = note.value.trim();
      if (verb === 'waive' && !text) { err.textContent = t('penalty.waive_needs_note'); note.focus(); return; }
      if (!await confirmDialog(t(`penalty.${verb}_confirm`, { what, company: `${nameOf(p, 'company')} (${p.est_id})` }),
        t(`penalty.${verb}`))) return;
      try {
        const r = await api('POST', `/api/v1/backoffice/penalties/${x.id}/${verb}`,
          text ? { json: { note: text } } : undefined);
        show({ ...x, ...r });
        flash.textContent = t(`penalty.${verb}_ok`, { what });
      } catch (e) {
        err.textContent = errText(e);
      }
    };
    act.append(note, button(t('penalty.waive'), { class: 'small', 'data-waive': x.id, onclick: () => run('waive') }));
    if (x.amount_dirhams > 0)
      act.append(button(t('penalty.paid'), { class: 'small', 'data-paid': x.id, onclick: () => run('paid') }));
    act.append(err);
  };
  show(p);
  return [state, act];
}

// A filtered, paged list of penalties from path (a /penalties route).
export function penaltiesList(container, path, { settle = false, company = true } = {}) {
  const out = h('div', { id: 'penalties-list' });
  const flash = h('p', { class: 'form-ok', role: 'status', id: 'penalties-flash' });
  const f = new Form({ id: 'penalties-filter', class: 'inline' });
  const st = f.field('state', t('penalty.state'), select([['', t('penalty.all_states')],
    ...STATES.map((s) => [s, t(`penalty.state.${s}`)])], settle ? 'issued' : ''));
  const est = company ? f.field('est_id', t('outbox.est_id'), input({ dir: 'ltr', inputmode: 'numeric',
    maxlength: 8, autocomplete: 'off' })) : null;
  const from = f.field('from', t('penalty.from'), input({ type: 'date' }));
  const to = f.field('to', t('penalty.to'), input({ type: 'date' }));
  f.actions(h('button', { type: 'submit', class: 'primary', text: t('review.show') }));

  async function load(offset = 0) {
    const p = new URLSearchParams({ limit: '50', offset: String(offset) });
    if (st.value) p.set('state', st.value);
    if (est) {
      const e = asciiDigits(est.value.trim());
      if (e && !/^[0-9]{8}$/.test(e)) { f.fieldError('est_id', t('err.invalid_field.est_id')); return; }
      if (e) p.set('est_id', e);
    }
    if (from.value) p.set('from', from.value);
    if (to.value) p.set('to', to.value);
    const r = await get(`${path}?${p}`);
    flash.textContent = '';
    clear(out);
    if (!r.items.length) { out.appendChild(empty(t('penalty.none'))); return; }
    const headers = [t('penalty.issued_on'), ...(company ? [t('statements.company')] : []),
      t('penalty.what'), t('penalty.amount'), t('penalty.state'), ...(settle ? [t('common.actions')] : [])];
    out.appendChild(table(t('penalty.caption'), headers, r.items.map((x) => {
      const [state, act] = stateCells(x, settle, flash);
      return [fmtDate(x.issued_on),
        ...(company ? [h('a', { href: `#/company/${x.est_id}/penalties` }, withNumber(nameOf(x, 'company'), x.est_id))] : []),
        h('span', {}, t(`penalty.rule.${x.rule}`), x.suspends ? h('strong', { text: ` ${t('penalty.suspends')}` }) : null),
        amountText(x), state, ...(settle ? [act] : [])];
    }), { id: 'penalties-table' }));
    const pg = pager(r, load, 'penalties-pager');
    if (pg) out.appendChild(pg);
  }
  f.onSubmit(() => load(0));
  container.append(f.el, flash, out);
  return load();
}


