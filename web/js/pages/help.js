// Help, one page per role (issue 12 §2): company staff (signatory, HR
// officer), ministry reviewer, resident, the public. What each page does,
// the calendar, the fees and what each rejection reason means and how to fix
// it. The fees and the windows are GET /renewal/rules (what the engine
// charges today); the reasons are the statements' own catalogue keys
// (line.reason.*), each with help.reason.* and help.fix.* (a unit test
// checks that every reason the engine can give has both, in both
// languages), so the page cannot drift from the statements.
import { h } from '../dom.js';
import { t, fmtMoney, fmtNum, keysWith } from '../i18n.js';
import { get } from '../api.js';
import { heading, section } from '../ui.js';
import { isReviewer, grantedCompanies } from '../access.js';

const ROLES = ['company', 'reviewer', 'resident', 'public'];

// Which pages each role has, in the order of their navigation.
const PAGES = {
  company: ['overview', 'employees', 'grants', 'renewal', 'exclusions', 'preview', 'statements', 'verify'],
  reviewer: ['queue', 'companies', 'all_statements', 'reports', 'notifications', 'company_pages', 'verify'],
  resident: ['home', 'verify'],
  public: ['signin', 'verify'],
};

function roleOf(me) {
  if (!me) return 'public';
  if (isReviewer(me)) return 'reviewer';
  if ((me.signatory_of || []).length || grantedCompanies(me).length) return 'company';
  return 'resident';
}

function reasons(role) {
  const codes = keysWith('line.reason.').map((k) => k.slice('line.reason.'.length));
  return h('dl', { class: 'help-reasons', id: 'help-reasons' }, codes.flatMap((c) => [
    h('dt', { id: `reason-${c}`, 'data-reason': c, text: t(`line.reason.${c}`) }),
    h('dd', {}, h('p', { text: t(`help.reason.${c}`) }),
      h('p', {}, h('strong', { text: `${t(role === 'resident' ? 'help.fix_resident' : 'help.fix')} ` }), t(`help.fix.${c}`))),
  ]));
}

function fees(rules) {
  if (!rules) return h('p', { class: 'notice', text: t('help.fees_unavailable') });
  return [
    h('ul', { id: 'help-fees' }, rules.fees.map((f) => h('li', { 'data-years': f.years,
      text: t('help.fee_line', { years: t('renewal.years', { n: f.years }), total: fmtMoney(f.total_dirhams) }) }))),
    h('p', { id: 'help-fees-detail', text: t('help.fees_detail', {
      per_year: fmtMoney(rules.fee_per_year_dirhams), discount: fmtNum(rules.three_year_discount_pct),
      delivery: fmtMoney(rules.delivery_fee_dirhams) }) }),
    h('p', { id: 'help-fines', text: t('help.late_fines', {
      grace: fmtNum(rules.grace_days), per_day: fmtMoney(rules.late_fine_per_day_dirhams),
      cap: fmtMoney(rules.late_fine_cap_dirhams) }) }),
  ];
}

export async function helpPage(ctx) {
  const { me, view: v } = ctx;
  const role = ROLES.includes(ctx.params[0]) ? ctx.params[0] : roleOf(me);
  let rules = null;
  try { rules = await get('/api/v1/renewal/rules', { noSignOut: true }); } catch { /* shown as unavailable */ }
  v.appendChild(heading(t(`help.title.${role}`)));
  v.appendChild(h('nav', { class: 'tabs', 'aria-label': t('help.roles') },
    h('ul', {}, ROLES.map((r) => h('li', {},
      h('a', { href: `#/help/${r}`, 'aria-current': r === role ? 'page' : null, text: t(`help.role.${r}`) }))))));
  v.appendChild(h('p', { class: 'hint', id: 'help-lead', text: t(`help.lead.${role}`) }));
  v.appendChild(section(t('help.pages_title'),
    h('dl', { class: 'facts help-pages', id: 'help-pages' }, PAGES[role].flatMap((p) => [
      h('dt', { text: t(`help.page.${p}`) }), h('dd', { text: t(`help.page_text.${p}`) })]))));
  const cal = [h('li', { text: t('help.calendar_alerts') })];
  if (rules) {
    cal.push(h('li', { text: t('help.calendar_executions', { window: fmtNum(rules.window_days) }) }),
      h('li', { text: t('help.calendar_passport', { months: fmtNum(rules.passport_months) }) }));
  }
  cal.push(h('li', { text: t(`help.calendar_who.${role}`) }));
  v.appendChild(section(t('help.calendar_title'), h('ul', { id: 'help-calendar' }, cal)));
  v.appendChild(section(t('help.fees_title'), fees(rules)));
  // The public has no statements: the reasons are for those who receive them.
  if (role !== 'public') {
    v.appendChild(section(t('help.reasons_title'), h('p', { class: 'hint', text: t('help.reasons_lead') }), reasons(role)));
  }
}
