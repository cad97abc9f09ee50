// Reviewers (supervisors): the establishments' penalties, waived with a
// note or recorded as paid, and the workbook of those issued in a period
// (issue 15 §2), in the reviewer's language.
import { h } from '../dom.js';
import { t, getLang } from '../i18n.js';
import { download } from '../api.js';
import { Form, heading, input, section } from '../ui.js';
import { penaltiesList } from '../penalties.js';

// The API's limit of a workbook's period (fcgi/penalty_api.c).
const MAX_DAYS = 366;

const days = (a, b) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400000);

function workbookForm() {
  const f = new Form({ id: 'penalties-workbook', class: 'inline' });
  const from = f.field('from', t('penalty.workbook_from'), input({ type: 'date', id: 'penalties-workbook-from' }));
  const to = f.field('to', t('penalty.workbook_to'), input({ type: 'date', id: 'penalties-workbook-to' }));
  f.actions(h('button', { type: 'submit', class: 'primary', id: 'penalties-workbook-download',
    text: t('penalty.workbook_download') }));
  f.onSubmit(async () => {
    if (!from.value || !to.value) {
      f.fieldError(from.value ? 'to' : 'from', t('err.required'));
      return;
    }
    if (days(from.value, to.value) < 0) { f.fieldError('to', t('penalty.workbook_order')); return; }
    if (days(from.value, to.value) >= MAX_DAYS) { f.fieldError('to', t('penalty.workbook_too_long')); return; }
    const p = new URLSearchParams({ from: from.value, to: to.value, lang: getLang() });
    await download(`/api/v1/backoffice/penalties.xlsx?${p}`, `penalties-${from.value}-${to.value}.xlsx`);
    f.done(t('penalty.workbook_ok'));
  });
  return section(t('penalty.workbook_title'), h('p', { class: 'hint', text: t('penalty.workbook_lead') }), f.el);
}

export async function penalties(ctx) {
  const v = ctx.view;
  v.appendChild(heading(t('penalty.title')));
  v.appendChild(h('p', { class: 'lead', text: t('penalty.lead') }));
  v.appendChild(workbookForm());
  await penaltiesList(v, '/api/v1/backoffice/penalties', { settle: true, company: true });
}
