// Statement lists (company and ministry-wide) with open and download.
import { h } from './dom.js';
import { t, nameOf, fmtDate, fmtMoney, fmtNum, fmtDigits } from './i18n.js';
import { download } from './api.js';
import { table, empty, button, actionError, errText } from './ui.js';
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
      row.push(h('a', { href: `#/company/${s.est_id}/statements`, text: `${nameOf(s, 'company_name')} (${fmtDigits(s.est_id)})` }));
    }
    row.push(t(`statement.kind.${s.kind}`), fmtDate(s.cycle_date), fmtDate(s.execution_date), fmtNum(s.lines_count),
      fmtMoney(s.total_dirhams), h('span', { class: 'mono', dir: 'ltr', text: s.verification_code }),
      h('span', { class: 'row-actions' },
        h('a', { href: `#/statement/${s.id}`, 'data-open': s.id, text: t('statements.open') }), ' ', downloadButton(s)));
    return row;
  }), { id: 'statements-table' });
}
