// Reviewers: the subscription queue, company search, every company's
// statements, the ministry-wide reports; notifications in review_outbox.js.
import { h, clear, asciiDigits } from '../dom.js';
import { t, nameOf, fmtDateTime, fmtMoney, ltrText, getLang } from '../i18n.js';
import { api, get, download } from '../api.js';
import { isReviewer, rememberCompany } from '../access.js';
import { Form, input, select, button, table, empty, heading, badge, pager, ltr,
  withNumber } from '../ui.js';
import { statementsBrowser } from '../statements.js';
import { notifications } from './review_outbox.js';
import { dashboard } from './review_dashboard.js';
import { decideControls, subscriptionDetail } from './review_subscription.js';
import { penalties } from './review_penalties.js';
import { signals } from './review_signals.js';
import { enrollments, enrollmentDetail } from './review_enrollment.js';

const STATUSES = ['pending', 'active', 'rejected', 'replaced'];

async function queue(ctx) {
  const v = ctx.view;
  v.appendChild(heading(t('review.queue_title')));
  const out = h('div', { id: 'queue-list' });
  const flash = h('p', { class: 'form-ok', role: 'status', id: 'queue-flash' });
  const f = new Form({ id: 'queue-filter', class: 'inline' });
  const st = f.field('status', t('review.status'), select(STATUSES.map((s) => [s, t(`renewal.status.${s}`)]), 'pending'));
  const q = f.field('q', t('review.search'), input({ type: 'search' }), t('review.search_hint'));
  f.actions(h('button', { type: 'submit', class: 'primary', text: t('review.show') }));

  async function load(offset = 0) {
    const p = new URLSearchParams({ status: st.value, limit: '50', offset: String(offset) });
    if (q.value.trim()) p.set('q', asciiDigits(q.value.trim()));
    const r = await get(`/api/v1/backoffice/subscriptions?${p}`);
    clear(out);
    if (!r.items.length) { out.appendChild(empty(t('review.queue_empty'))); return; }
    const rows = r.items.map((s) => {
      rememberCompany(s);
      let act = '';
      if (s.status === 'pending') {
        // The detail view first; the decision here too, confirmed in a dialog.
        act = h('div', {},
          h('a', { href: `#/review/subscription/${s.est_id}/${s.reference}`, 'data-detail': s.reference,
            'aria-label': t('subdetail.open_label', { ref: s.reference }), text: t('subdetail.open') }),
          decideControls(s, async (verb) => {
            await load();
            flash.textContent = t(verb === 'approve' ? 'review.approved_ok' : 'review.rejected_ok',
              { ref: ltrText(s.reference), name: nameOf(s, 'company_name') });
          }));
      } else if (s.review_note) {
        act = s.review_note;
      }
      return [
        h('span', {}, ltr(s.reference, { class: 'mono' }), h('br'),
          h('span', { class: 'muted', text: fmtDateTime(s.submitted_at) })),
        h('a', { href: `#/company/${s.est_id}/renewal`, }, withNumber(nameOf(s, 'company_name'), s.est_id)),
        h('span', {}, ltr(s.iban, { class: 'mono' }), h('br'),
          t('review.mandate', { cap: fmtMoney(s.cap_dirhams), years: t('renewal.years', { n: s.duration_years }) })),
        badge(s.status, t(`renewal.status.${s.status}`)),
        act,
      ];
    });
    out.appendChild(table(t('review.queue_caption'), [t('review.reference_submitted'), t('statements.company'),
      t('review.mandate_head'), t('renewal.status'), t('review.decision')], rows, { id: 'queue-table' }));
    const pg = pager(r, load, 'queue-pager');
    if (pg) out.appendChild(pg);
  }
  f.onSubmit(() => load(0));
  v.append(f.el, flash, out);
  await load();
}

async function companies(ctx) {
  const v = ctx.view;
  v.appendChild(heading(t('review.companies_title')));
  const out = h('div', { id: 'company-results' });
  const f = new Form({ id: 'company-search', class: 'inline' });
  const q = f.field('q', t('review.search'), input({ type: 'search' }), t('review.company_search_hint'));
  f.actions(h('button', { type: 'submit', class: 'primary', text: t('review.find') }));
  async function load(offset = 0) {
    const text = asciiDigits(q.value.trim());
    if (!text) { f.fieldError('q', t('err.required')); return; }
    const r = await get(`/api/v1/backoffice/companies?${new URLSearchParams({ q: text, limit: '50', offset: String(offset) })}`);
    clear(out);
    if (!r.items.length) { out.appendChild(empty(t('review.no_companies'))); return; }
    out.appendChild(table(t('review.companies_caption'), [t('statements.company'), t('review.subscription'), t('common.actions')],
      r.items.map((x) => {
        rememberCompany(x);
        return [
          withNumber(nameOf(x), x.est_id),
          x.subscription_status ? badge(x.subscription_status, t(`renewal.status.${x.subscription_status}`))
            : t('review.never_subscribed'),
          h('span', { class: 'row-actions' },
            h('a', { href: `#/company/${x.est_id}/grants`, text: t('tab.grants') }), ' ',
            h('a', { href: `#/company/${x.est_id}/renewal`, text: t('tab.renewal') }), ' ',
            h('a', { href: `#/company/${x.est_id}/statements`, text: t('tab.statements') })),
        ];
      }), { id: 'companies-table' }));
    const pg = pager(r, load, 'companies-pager');
    if (pg) out.appendChild(pg);
  }
  f.onSubmit(() => load(0));
  v.append(f.el, out);
}

async function statements(ctx) {
  const v = ctx.view;
  v.appendChild(heading(t('review.statements_title')));
  const b = statementsBrowser('/api/v1/backoffice/statements', true);
  v.append(b.form, b.list);
  await b.load();
}

async function reports(ctx) {
  const v = ctx.view;
  v.appendChild(heading(t('review.reports_title')));
  v.appendChild(h('p', { class: 'lead', text: t('review.reports_lead') }));
  const f = new Form({ id: 'reports-form', class: 'narrow' });
  const date = f.field('date', t('review.execution_date'), input({ type: 'date' }), t('review.execution_date_hint'));
  const get1 = (path, name) => async () => {
    f.clear();
    if (!date.value) { f.fieldError('date', t('err.required')); return; }
    try {
      // In the reviewer's language, as the page is (issue 12 §3).
      await download(`/api/v1/backoffice/reports/${path}?date=${date.value}&lang=${getLang()}`,
        `${name}-${date.value}.xlsx`);
      f.done(t('review.report_ok'));
    } catch (e) {
      if (e.code === 'no_execution' || e.status === 404) f.fieldError('date', t('err.no_execution'));
      else f.showError(e);
    }
  };
  f.actions(
    button(t('review.summary'), { class: 'primary', id: 'report-summary', onclick: get1('execution-summary.xlsx', 'execution-summary') }),
    button(t('review.debits'), { id: 'report-debits', onclick: get1('debits.xlsx', 'debits') }));
  f.onSubmit(async () => {});
  v.appendChild(f.el);
}

const PAGES = { queue, companies, statements, reports, notifications, dashboard, subscription: subscriptionDetail,
  penalties, signals, enrollments, enrollment: enrollmentDetail };

export async function reviewPage(ctx) {
  const page = PAGES[ctx.params[0]];
  if (!page || !isReviewer(ctx.me)) {
    ctx.view.appendChild(heading(t('company.no_access_title')));
    ctx.view.appendChild(h('p', { class: 'notice', text: t('review.only') }));
    return;
  }
  await page(ctx);
}
