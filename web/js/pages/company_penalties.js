// A company's own penalties, for its signatories and reviewers: what was
// issued, why, how much, and what to do.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { penaltiesList } from '../penalties.js';

export async function penaltiesTab(ctx) {
  const b = ctx.body;
  b.appendChild(h('p', { class: 'lead', text: t('penalty.company_lead') }));
  await penaltiesList(b, `/api/v1/companies/${ctx.est}/penalties`, { settle: false, company: false });
}
