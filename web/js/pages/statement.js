// One statement: its facts and every line; the workbook to download.
import { h } from '../dom.js';
import { t, nameOf, fmtDate, fmtMoney, fmtNum, fmtDateTime } from '../i18n.js';
import { get } from '../api.js';
import { heading, section, ltr, withNumber } from '../ui.js';
import { downloadButton } from '../statements.js';
import { linesTable } from '../lines.js';

export async function statementPage(ctx) {
  const [id] = ctx.params;
  const v = ctx.view;
  let s;
  try {
    s = await get(`/api/v1/statements/${id}`);
  } catch (e) {
    v.appendChild(heading(t('statement.title')));
    v.appendChild(h('p', { class: 'form-error', role: 'alert',
      text: e.status === 404 ? t('err.unknown_statement') : e.status === 403 ? t('err.forbidden') : t('err.unexpected') }));
    return;
  }
  const alert = s.kind === 'alert';
  v.appendChild(heading(t('statement.heading', { kind: t(`statement.kind.${s.kind}`), date: fmtDate(s.cycle_date) })));
  v.appendChild(h('p', {}, h('a', { href: `#/company/${s.est_id}/statements`, text: t('statement.back') })));
  v.appendChild(h('dl', { class: 'facts', id: 'statement-facts' },
    h('dt', { text: t('statements.company') }), h('dd', {}, withNumber(nameOf(s, 'company_name'), s.est_id)),
    h('dt', { text: t('statements.kind') }), h('dd', { text: t(`statement.kind.${s.kind}`) }),
    h('dt', { text: t('statements.date') }), h('dd', { text: fmtDate(s.cycle_date) }),
    h('dt', { text: t('statements.execution_date') }), h('dd', { text: fmtDate(s.execution_date) }),
    h('dt', { text: t('renewal.cap') }), h('dd', { text: fmtMoney(s.cap_dirhams) }),
    h('dt', { text: t(alert ? 'statement.total_expected' : 'statements.total') }),
    h('dd', { id: 'statement-total', text: fmtMoney(s.total_dirhams) }),
    h('dt', { text: t('statements.lines') }), h('dd', { text: fmtNum(s.lines_count) }),
    // The counts the total covers: those (to be) renewed, and the others.
    h('dt', { text: t(alert ? 'statement.will_renew_count' : 'statement.renewed_count') }),
    h('dd', { id: 'statement-renewed', text: fmtNum(s.renewed_count ?? 0) }),
    h('dt', { text: t(alert ? 'statement.blocked_count' : 'statement.not_renewed_count') }),
    h('dd', { id: 'statement-not-renewed', text: fmtNum(s.not_renewed_count ?? 0) }),
    h('dt', { text: t('statements.code') }), h('dd', { id: 'statement-code' }, ltr(s.verification_code, { class: 'mono' })),
    h('dt', { text: t('statements.created') }), h('dd', { text: fmtDateTime(s.created_at) })));
  v.appendChild(h('div', { class: 'actions' }, downloadButton(s)));
  v.appendChild(section(t('statement.lines'), linesTable(t('statement.lines_caption'), s.items || [], 'statement-lines', alert ? 'alert' : s.kind)));
}
