// Statement and preview lines as a table. The fee shown is what was
// debited (or, in a preview, would be): nothing for a person not renewed,
// so the column adds up to the total. An alert's lines say whether each
// person will be renewed as things stand, and if not what blocks them,
// what to do and by when; their fee is expected, in a column of its own.
import { h } from './dom.js';
import { t, nameOf, fmtDate, fmtMoney, fmtNum } from './i18n.js';
import { table, badge, personCell } from './ui.js';

export function resultText(l) {
  return t(`line.result.${l.result}`);
}

// The reason, with the person's status when not active.
export function reasonText(l) {
  if (!l.reason) return '';
  if (l.reason === 'PERSON_NOT_ACTIVE' && l.person_status) return t(`line.not_active.${l.person_status}`);
  return t(`line.reason.${l.reason}`);
}

// What to do about the blocker, with its amount and the date to act before.
export function remedyText(l) {
  if (!l.remedy) return '';
  const what = t(`line.remedy.${l.remedy}`, {
    amount: l.blocker_amount_dirhams === null || l.blocker_amount_dirhams === undefined ? '' : fmtMoney(l.blocker_amount_dirhams),
  });
  return l.remedy_before ? `${what} ${t('line.remedy_before', { date: fmtDate(l.remedy_before) })}` : what;
}

function reasonCell(l) {
  return [reasonText(l),
    ...(l.flags || []).filter((f) => f !== l.reason).map((f) => h('span', { class: 'flag', text: t(`line.reason.${f}`) }))];
}

function person(l) {
  return personCell(nameOf(l), l.qid);
}

// An alert's line: will it be renewed, and if not why and what to do.
function alertRow(l) {
  return [
    person(l),
    l.will_renew ? badge('renewed', t('line.outlook.will_renew')) : badge('rejected', t('line.outlook.blocked')),
    reasonCell(l),
    h('span', { class: 'remedy', text: remedyText(l) }),
    fmtDate(l.old_expiry),
    l.days_left === null || l.days_left === undefined ? '' : fmtNum(l.days_left),
    fmtMoney(l.expected_fee_dirhams || 0),
    fmtMoney(l.expected_late_fine_dirhams || 0),
  ];
}

function executionRow(l) {
  return [
    person(l),
    badge(String(l.result).toLowerCase(), resultText(l)),
    reasonCell(l),
    h('span', { class: 'remedy', text: remedyText(l) }),
    fmtDate(l.old_expiry),
    fmtDate(l.new_expiry),
    fmtMoney(l.fee_dirhams),
    fmtMoney(l.late_fine_dirhams),
    l.delivery_from ? `${fmtDate(l.delivery_from)} – ${fmtDate(l.delivery_to)}` : '',
  ];
}

// mode: 'alert' (or true, as before), 'preview', or anything else for an
// execution statement or debit report.
export function linesTable(caption, items, id, mode) {
  if (mode === true || mode === 'alert') {
    return table(caption, [t('line.person'), t('line.outlook'), t('line.reason'), t('line.remedy'), t('line.old_expiry'),
      t('line.days_left'), t('line.expected_fee'), t('line.expected_late_fine')], items.map(alertRow), { id });
  }
  const fee = mode === 'preview' ? t('line.fee_to_debit') : t('line.fee');
  return table(caption, [t('line.person'), t('line.result'), t('line.reason'), t('line.remedy'), t('line.old_expiry'),
    t('line.new_expiry'), fee, t('line.late_fine'), t('line.delivery')], items.map(executionRow), { id });
}
