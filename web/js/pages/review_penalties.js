// Reviewers (supervisors): the establishments' penalties, waived with a
// note or recorded as paid.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { heading } from '../ui.js';
import { penaltiesList } from '../penalties.js';

export async function penalties(ctx) {
  const v = ctx.view;
  v.appendChild(heading(t('penalty.title')));
  v.appendChild(h('p', { class: 'lead', text: t('penalty.lead') }));
  await penaltiesList(v, '/api/v1/backoffice/penalties', { settle: true, company: true });
}
