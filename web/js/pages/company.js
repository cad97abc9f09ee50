// A company's pages, as tabs: permissions, renewal, exclusions, preview,
// statements; each offered only to those the server would let in.
import { h } from '../dom.js';
import { t, nameOf, fmtDigits } from '../i18n.js';
import { companyAccess, companyName } from '../access.js';
import { heading } from '../ui.js';
import { grantsTab } from './company_grants.js';
import { renewalTab } from './company_renewal.js';
import { exclusionsTab } from './company_exclusions.js';
import { previewTab } from './company_preview.js';
import { statementsTab } from './company_statements.js';
import { penaltiesTab } from './company_penalties.js';
import { enrollmentTab, enrollmentRelevant } from './company_enrollment.js';

import { overviewTab } from './company_overview.js';
import { employeesTab } from './company_employees.js';

// The overview first: a company's home for those who manage its renewals.
const TABS = [
  ['overview', 'tab.overview', (a) => a.renewal, overviewTab],
  ['employees', 'tab.employees', (a) => a.renewal, employeesTab],
  ['grants', 'tab.grants', (a) => a.grants, grantsTab],
  ['renewal', 'tab.renewal', (a) => a.renewal, renewalTab],
  ['exclusions', 'tab.exclusions', (a) => a.renewal, exclusionsTab],
  ['preview', 'tab.preview', (a) => a.renewal, previewTab],
  ['statements', 'tab.statements', (a) => a.statements, statementsTab],
  ['penalties', 'tab.penalties', (a) => a.signatory || a.reviewer, penaltiesTab],
  // Issue 15 §3: offered where the sector compels it or one is on record.
  ['enrollment', 'tab.enrollment', (a) => a.signatory || a.reviewer, enrollmentTab],
];

export async function companyPage(ctx) {
  const [est, tab, query] = ctx.params;
  const { me, view: v } = ctx;
  const acc = companyAccess(me, est);
  const tabs = TABS.filter((x) => x[2](acc));
  if (tabs.some((x) => x[0] === 'enrollment') && tab !== 'enrollment' && !(await enrollmentRelevant(est))) {
    tabs.splice(tabs.findIndex((x) => x[0] === 'enrollment'), 1);
  }
  if (!tabs.length) {
    v.appendChild(heading(t('company.no_access_title')));
    v.appendChild(h('p', { class: 'notice', id: 'no-access', text: t('company.no_access') }));
    return;
  }
  const cur = tabs.find((x) => x[0] === tab);
  if (!cur) {
    // A tab this person may not open, or none named: the first allowed one.
    if (tab && TABS.some((x) => x[0] === tab)) {
      v.appendChild(heading(t('company.no_access_title')));
      v.appendChild(h('p', { class: 'notice', id: 'no-access', text: t('company.no_access_page') }));
      return;
    }
    ctx.go(`company/${est}/${tabs[0][0]}`);
    return;
  }
  const name = companyName(me, est);
  v.appendChild(heading(name ? `${nameOf(name)} (${fmtDigits(est)})` : t('company.est_no', { est: fmtDigits(est) })));
  v.appendChild(h('nav', { class: 'tabs', 'aria-label': t('company.pages') },
    h('ul', {}, tabs.map(([id, key]) => h('li', {},
      h('a', { href: `#/company/${est}/${id}`, 'aria-current': id === tab ? 'page' : null, text: t(key) }))))));
  const body = h('div', { class: 'tab-body', id: `tab-${tab}` });
  v.appendChild(body);
  await cur[3]({ ...ctx, est, acc, body, query: new URLSearchParams(query || '') });
}
