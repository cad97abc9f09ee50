// Statement lists (company and ministry-wide) with open and download.
import { h, clear } from './dom.js';
import { t, nameOf, fmtDate, fmtMoney, fmtNum } from './i18n.js';
import { download, get } from './api.js';
import { table, empty, button, actionError, errText, Form, input, select, pager, ltr, withNumber } from './ui.js';
import { rememberCompany } from './access.js';

export function downloadButton(s) {
  const err = actionError();
  return h('span', {}, button(t('statements.download'), {
    class: 'small', 'data-download': s.id,
    'aria-label': t('statements.download_label', { kind: t(`statement.kind.${s.kind}`), date: fmtDate(s.cycle_date) }),
    onclick: async () => {
      err.textContent = '';
      try { await download(`/api/v1/statements/${s.id}.xlsx`, `statement-${s.id}.xlsx`); } catch (e) { err.textContent = errText(e); }
    },
  }), err);
}

export function statementsTable(items, withCompany) {
  if (!items.length) return empty(t('statements.none'));
  const head = [];
  if (withCompany) head.push(t('statements.company'));
  head.push(t('statements.kind'), t('statements.date'), t('statements.execution_date'), t('statements.lines'),
    t('statements.total'), t('statements.code'), t('common.actions'));
  return table(t('statements.caption'), head, items.map((s) => {
    rememberCompany(s);
    const row = [];
    if (withCompany) {
      row.push(h('a', { href: `#/company/${s.est_id}/statements`, }, withNumber(nameOf(s, 'company_name'), s.est_id)));
    }
    row.push(t(`statement.kind.${s.kind}`), fmtDate(s.cycle_date), fmtDate(s.execution_date), fmtNum(s.lines_count),
      fmtMoney(s.total_dirhams), ltr(s.verification_code, { class: 'mono' }),
      h('span', { class: 'row-actions' },
        h('a', { href: `#/statement/${s.id}`, 'data-open': s.id, text: t('statements.open') }), ' ', downloadButton(s)));
    return row;
  }), { id: 'statements-table' });
}

// A filter (kind, date or a range of dates) over a paged list of statements from path (the
// company's or the ministry-wide list); { form, list, load } to place.
export function statementsBrowser(path, withCompany) {
  const list = h('div', { id: 'statements-list' });
  const f = new Form({ id: 'statements-filter', class: 'inline' });
  const kind = f.field('kind', t('statements.kind'), select([['', t('statements.all_kinds')],
    ['alert', t('statement.kind.alert')], ['execution', t('statement.kind.execution')],
    ['debit_report', t('statement.kind.debit_report')]], ''));
  const date = f.field('date', t('statements.date'), input({ type: 'date' }));
  // A range of cycle dates (issue 12 §2), either end open.
  const from = f.field('from', t('statements.from'), input({ type: 'date' }));
  const to = f.field('to', t('statements.to'), input({ type: 'date' }));
  f.actions(h('button', { type: 'submit', class: 'primary', text: t('statements.filter') }));
  async function load(offset = 0) {
    const q = new URLSearchParams({ limit: '50', offset: String(offset) });
    if (kind.value) q.set('kind', kind.value);
    if (date.value) q.set('date', date.value);
    if (from.value) q.set('from', from.value);
    if (to.value) q.set('to', to.value);
    const r = await get(`${path}?${q}`);
    clear(list).append(statementsTable(r.items, withCompany), pager(r, load, 'statements-pager') || '');
  }
  f.onSubmit(() => load(0));
  return { form: f.el, list, load };
}
