// A company's statements: list, open, download the workbook.
import { h, clear } from '../dom.js';
import { t } from '../i18n.js';
import { get } from '../api.js';
import { Form, input, select, section, pager } from '../ui.js';
import { statementsTable } from '../statements.js';

export async function statementsTab(ctx) {
  const { est, body } = ctx;
  const out = h('div', { id: 'statements-list' });
  const f = new Form({ id: 'statements-filter', class: 'inline' });
  const kind = f.field('kind', t('statements.kind'), select([['', t('statements.all_kinds')],
    ['alert', t('statement.kind.alert')], ['execution', t('statement.kind.execution')],
    ['debit_report', t('statement.kind.debit_report')]], ''));
  const date = f.field('date', t('statements.date'), input({ type: 'date' }));
  f.actions(h('button', { type: 'submit', class: 'primary', text: t('statements.filter') }));
  async function load(offset = 0) {
    const q = new URLSearchParams({ limit: '50', offset: String(offset) });
    if (kind.value) q.set('kind', kind.value);
    if (date.value) q.set('date', date.value);
    const r = await get(`/api/v1/companies/${est}/statements?${q}`);
    clear(out).append(statementsTable(r.items, false), pager(r, load, 'statements-pager') || '');
  }
  f.onSubmit(() => load(0));
  body.appendChild(section(t('statements.title'), f.el, out));
  await load();
}
