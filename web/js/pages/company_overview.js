// The company's home (issue 12 §2): whose permits expire in the next
// 30/60/90 days (each count links to the employees page so filtered), what
// the next execution will do as things stand (the preview's own plan: its
// date, expected cost against the cap, who is blocked and why) and what the
// last one did. GET /companies/{est}/overview.
import { h } from '../dom.js';
import { t, fmtDate, fmtMoney, fmtNum } from '../i18n.js';
import { get } from '../api.js';
import { section, empty, badge } from '../ui.js';
import { reasonText } from '../lines.js';

function expiringCard(est, filter, label, n) {
  return h('li', { class: 'card stat', 'data-expiring': filter },
    h('a', { href: `#/company/${est}/employees?expiring=${filter}` },
      h('span', { class: 'stat-n', text: fmtNum(n) }),
      h('span', { class: 'stat-label', text: label }),
      h('span', { class: 'visually-hidden', text: t('overview.expiring_link') })));
}

function nextExecution(est, x) {
  const state = x.renewal_state;
  const facts = [
    h('dt', { text: t('preview.execution_date') }), h('dd', { id: 'overview-next-date', text: fmtDate(x.date) }),
    h('dt', { text: t('renewal.enabled') }), h('dd', { id: 'overview-state', text: t(`renewal.state_short.${state}`) }),
  ];
  if (state === 'not_subscribed') {
    return [h('dl', { class: 'facts' }, facts),
      h('p', { class: 'notice', id: 'overview-notice', text: t('overview.not_subscribed') }),
      h('p', {}, h('a', { href: `#/company/${est}/renewal`, text: t('overview.go_subscribe') }))];
  }
  const runs = state === 'on';
  facts.push(
    h('dt', { text: t(runs ? 'overview.expected' : 'preview.total_if_runs') }),
    h('dd', { id: 'overview-expected', text: t('overview.of_cap', { total: fmtMoney(x.total_dirhams), cap: fmtMoney(x.cap_dirhams) }) }),
    h('dt', { text: t('preview.renewed_count') }), h('dd', { id: 'overview-renewed', text: fmtNum(x.renewed_count) }),
    h('dt', { text: t('preview.not_renewed_count') }), h('dd', { id: 'overview-blocked', text: fmtNum(x.not_renewed_count) }));
  const out = [h('dl', { class: 'facts' }, facts)];
  if (state === 'awaiting_review') out.push(h('p', { class: 'notice', id: 'overview-notice', text: t('preview.awaiting_review') }));
  else if (!runs) out.push(h('p', { class: 'notice', id: 'overview-notice', text: t('preview.disabled') }));
  if (x.blocked && x.blocked.length) {
    out.push(h('h3', { text: t('overview.blocked_why') }),
      h('ul', { id: 'overview-reasons', class: 'reasons' }, x.blocked.map((b) =>
        h('li', { 'data-reason': b.reason }, badge('rejected', fmtNum(b.count)), ' ', reasonText({ reason: b.reason }),
          ' — ', h('a', { href: '#/help/company', text: t('overview.how_to_fix') })))));
  }
  out.push(h('p', {}, h('a', { href: `#/company/${est}/preview`, id: 'overview-preview-link', text: t('overview.see_preview') })));
  return out;
}

function lastExecution(x) {
  if (!x) return [empty(t('overview.no_execution'))];
  return [h('dl', { class: 'facts', id: 'overview-last' },
    h('dt', { text: t('overview.last_date') }), h('dd', { text: fmtDate(x.cycle_date) }),
    h('dt', { text: t('overview.last_renewed') }), h('dd', { id: 'overview-last-renewed', text: fmtNum(x.renewed_count) }),
    h('dt', { text: t('overview.last_not_renewed') }), h('dd', { id: 'overview-last-not-renewed', text: fmtNum(x.not_renewed_count) }),
    h('dt', { text: t('overview.last_debited') }), h('dd', { id: 'overview-last-total', text: fmtMoney(x.total_dirhams) })),
  h('p', {}, h('a', { href: `#/statement/${x.id}`, id: 'overview-last-link', text: t('overview.open_statement') }))];
}

export async function overviewTab(ctx) {
  const { est, body } = ctx;
  const o = await get(`/api/v1/companies/${est}/overview`);
  const e = o.expiring;
  body.append(
    section(t('overview.expiring_title'),
      h('p', { class: 'hint', text: t('overview.expiring_lead', { date: fmtDate(o.today) }) }),
      h('ul', { class: 'cards stats', id: 'overview-figures' },
        expiringCard(est, 'expired', t('overview.expired'), e.expired),
        expiringCard(est, '30', t('overview.within', { n: 30 }), e.within_30),
        expiringCard(est, '60', t('overview.within', { n: 60 }), e.within_60),
        expiringCard(est, '90', t('overview.within', { n: 90 }), e.within_90))),
    section(t('overview.next_title'), h('div', { id: 'overview-next' }, nextExecution(est, o.next_execution))),
    section(t('overview.last_title'), h('div', { id: 'overview-last-box' }, lastExecution(o.last_execution))));
}
