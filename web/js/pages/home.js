// Home: a signatory's companies, the permissions a person holds (and the
// company pages they open), a reviewer's work.
import { h } from '../dom.js';
import { t, nameOf, fmtDate, fmtDigits, fmtNum } from '../i18n.js';
import { get } from '../api.js';
import { isReviewer, grantedCompanies } from '../access.js';
import { services, serviceName } from '../services.js';
import { heading, section, table, empty, withNumber } from '../ui.js';
import { dashboardInto } from './review_dashboard.js';

function companyLinks(c, tabs) {
  return h('li', { class: 'card', 'data-est': c.est_id },
    h('h3', {}, h('a', { href: `#/company/${c.est_id}/${tabs[0][0]}`, text: nameOf(c) })),
    h('p', { class: 'muted', text: t('company.est_no', { est: fmtDigits(c.est_id) }) }),
    h('ul', { class: 'links' }, tabs.map(([tab, key]) =>
      h('li', {}, h('a', { href: `#/company/${c.est_id}/${tab}`, text: t(key) })))));
}

// Offers of authority waiting for the person's answer (issue 16 §1): said
// first, since they do nothing until accepted.
async function pendingOffers(me, v) {
  if (!me.qid) return;
  let n = 0;
  try {
    const r = await get('/api/v1/me/grants?limit=500');
    n = r.items.filter((g) => g.state === 'pending').length;
  } catch { return; }
  if (!n) return;
  v.appendChild(h('p', { class: 'notice', id: 'pending-offers', role: 'status' },
    t('home.pending_offers', { n: fmtNum(n) }), ' ',
    h('a', { href: '#/me/grants', text: t('home.pending_offers_link') })));
}

export async function homePage(ctx) {
  const { me, view: v } = ctx;
  v.appendChild(heading(t('home.title')));
  // A registered person's own residency page (issue 16 §4), first.
  if (me.qid) {
    v.appendChild(section(t('residency.title'),
      h('p', {}, h('a', { href: '#/residency', id: 'home-residency', text: t('home.residency_link') }))));
  }

  await pendingOffers(me, v);
  const companies = me.signatory_of || [];
  if (companies.length) {
    v.appendChild(section(t('home.your_companies'),
      h('ul', { class: 'cards', id: 'my-companies' }, companies.map((c) => companyLinks(c, [
        ['overview', 'tab.overview'], ['employees', 'tab.employees'], ['grants', 'tab.grants'], ['renewal', 'tab.renewal'], ['exclusions', 'tab.exclusions'],
        ['preview', 'tab.preview'], ['statements', 'tab.statements']])))));
  }

  const grants = me.grants || [];
  const svc = grants.length ? await services() : [];
  const rows = grants.map((g) => [
    withNumber(nameOf(g, 'company_name'), g.est_id),
    serviceName(svc, g.service),
    g.valid_until ? fmtDate(g.valid_until) : t('grants.no_end'),
  ]);
  if (grants.length || !companies.length) {
    v.appendChild(section(t('home.my_permissions'),
      grants.length
        ? table(t('home.my_permissions_caption'), [t('grants.company'), t('grants.service'), t('grants.valid_until')],
          rows, { id: 'my-permissions' })
        : empty(t('home.no_permissions'))));
  }

  const open = grantedCompanies(me).filter((c) => !companies.some((s) => s.est_id === c.est_id));
  if (open.length) {
    v.appendChild(section(t('home.granted_pages'),
      h('ul', { class: 'cards', id: 'granted-companies' }, open.map((c) => {
        const held = new Set(grants.filter((g) => g.est_id === c.est_id).map((g) => g.service));
        const tabs = [];
        if (held.has('RENEWAL_MANAGE')) tabs.push(['overview', 'tab.overview'], ['employees', 'tab.employees'], ['renewal', 'tab.renewal'], ['exclusions', 'tab.exclusions'], ['preview', 'tab.preview']);
        if (held.has('STATEMENTS_VIEW')) tabs.push(['statements', 'tab.statements']);
        return companyLinks(c, tabs);
      }))));
  }

  if (isReviewer(me)) {
    // A reviewer's questions at a glance: the queue, the last executions (issue 12 §2).
    await dashboardInto(v, false);
    v.appendChild(section(t('home.review'),
      h('ul', { class: 'links big' },
        h('li', {}, h('a', { href: '#/review/dashboard', text: t('nav.dashboard') })),
        h('li', {}, h('a', { href: '#/review/queue', text: t('nav.queue') })),
        h('li', {}, h('a', { href: '#/review/companies', text: t('nav.companies') })),
        h('li', {}, h('a', { href: '#/review/statements', text: t('nav.statements') })),
        h('li', {}, h('a', { href: '#/review/reports', text: t('nav.reports') })),
        h('li', {}, h('a', { href: '#/review/notifications', text: t('nav.notifications') })))));
  }
}
