// Statement and preview lines as a table.
import { h } from './dom.js';
import { t, nameOf, fmtDate, fmtMoney, fmtDigits, fmtNum } from './i18n.js';
import { table, badge } from './ui.js';

export function resultText(l) {
  return t(`line.result.${l.result}`);
}

export function linesTable(caption, items, id, withDays) {
  const head = [t('line.person'), t('line.result'), t('line.reason'), t('line.old_expiry'), t('line.new_expiry')];
  if (withDays) head.push(t('line.days_left'));
  head.push(t('line.fee'), t('line.late_fine'), t('line.delivery'));
  return table(caption, head, items.map((l) => {
    const row = [
      h('span', {}, nameOf(l), h('br'), h('span', { class: 'mono muted', dir: 'ltr', text: fmtDigits(l.qid) })),
      badge(String(l.result).toLowerCase(), resultText(l)),
      [l.reason ? t(`line.reason.${l.reason}`) : '',
        ...(l.flags || []).filter((f) => f !== l.reason).map((f) => h('span', { class: 'flag', text: t(`line.reason.${f}`) }))],
      fmtDate(l.old_expiry),
      fmtDate(l.new_expiry),
    ];
    if (withDays) row.push(l.days_left === null || l.days_left === undefined ? '' : fmtNum(l.days_left));
    row.push(fmtMoney(l.fee_dirhams), fmtMoney(l.late_fine_dirhams),
      l.delivery_from ? `${fmtDate(l.delivery_from)} – ${fmtDate(l.delivery_to)}` : '');
    return row;
  }), { id });
}
