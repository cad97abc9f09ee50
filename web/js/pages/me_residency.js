// A resident's own page (issue 16 §4): their permit, their sponsor, whether
// the company's next automatic renewal includes them and, if not, why and
// what to do, the last execution's result for them, the permissions they
// hold, and their mobile number (with the code of a new one to confirm).
// Everything from GET /api/v1/me/residency: only the signed-in person.
import { h, clear } from '../dom.js';
import { t, has, nameOf, fmtDate, fmtDateTime, fmtMoney, fmtNum, ltrText } from '../i18n.js';
import { api, get } from '../api.js';
import { services, serviceName } from '../services.js';
import { Form, input, heading, section, table, empty, badge, withNumber, ltr } from '../ui.js';

// The reason's sentence, with the values it names.
function reasonText(n, company) {
  const key = `residency.reason.${n.reason}`;
  return has(key) ? t(key, { company, date: fmtDate(n.date), due: fmtDate(n.due_from),
    amount: fmtMoney(n.amount_dirhams) }) : n.reason;
}

function permitFacts(p) {
  if (!p.permit) return h('p', { id: 'residency-permit', text: t('residency.citizen') });
  const left = p.permit.days_left;
  return h('dl', { class: 'facts', id: 'residency-permit' },
    h('dt', { text: t('residency.expiry') }), h('dd', { id: 'residency-expiry', text: fmtDate(p.permit.expiry) }),
    h('dt', { text: t('residency.days_left') }),
    h('dd', { id: 'residency-days-left', text: left >= 0 ? t('residency.days_left_n', { n: left })
      : t('residency.expired_days_ago', { n: -left }) }),
    h('dt', { text: t('residency.sponsor') }),
    h('dd', { id: 'residency-sponsor' }, p.sponsor ? withNumber(nameOf(p.sponsor), p.sponsor.est_id)
      : t('residency.no_sponsor')));
}

function nextExecution(p) {
  const n = p.next_execution;
  const company = p.sponsor ? nameOf(p.sponsor) : '';
  const out = [h('p', { class: 'lead', id: 'residency-outlook', 'data-outlook': n.outlook },
    n.included ? t('residency.included', { date: fmtDate(n.date) }) : t('residency.not_included', { date: fmtDate(n.date) }))];
  if (n.included) {
    out.push(h('dl', { class: 'facts' },
      h('dt', { text: t('residency.new_expiry') }), h('dd', { id: 'residency-new-expiry', text: fmtDate(n.new_expiry) }),
      h('dt', { text: t('residency.fee') }), h('dd', { id: 'residency-fee', text: fmtMoney(n.fee_dirhams) })));
    return out;
  }
  if (n.reason) {
    out.push(h('dl', { class: 'facts' },
      h('dt', { text: t('residency.why') }),
      h('dd', { id: 'residency-reason', 'data-reason': n.reason, text: reasonText(n, company) }),
      n.action ? h('dt', { text: t('residency.what_to_do') }) : null,
      n.action ? h('dd', { id: 'residency-action', 'data-action': n.action,
        text: t(`residency.action.${n.action}`, { company, date: fmtDate(n.date), amount: fmtMoney(n.amount_dirhams) }) })
        : null));
  }
  return out;
}

function lastExecution(p) {
  const l = p.last_execution;
  if (!l) return empty(t('residency.last_none'));
  return h('dl', { class: 'facts', id: 'residency-last' },
    h('dt', { text: t('residency.last_date') }), h('dd', { text: fmtDate(l.date) }),
    h('dt', { text: t('residency.last_company') }), h('dd', {}, withNumber(nameOf(l, 'company_name'), l.est_id)),
    h('dt', { text: t('residency.last_result') }),
    h('dd', { id: 'residency-last-result', 'data-result': l.result },
      badge(l.result.toLowerCase(), t(`residency.result.${l.result}`)),
      l.reason ? ` ${has(`residency.reason.${l.reason}`) ? t(`residency.last_reason.${l.reason}`) : l.reason}` : ''),
    l.new_expiry ? h('dt', { text: t('residency.new_expiry') }) : null,
    l.new_expiry ? h('dd', { text: fmtDate(l.new_expiry) }) : null);
}

async function grantsTable(p) {
  if (!p.grants.length) return empty(t('residency.no_grants'));
  const svc = await services();
  return table(t('residency.grants_caption'), [t('grants.company'), t('grants.service'), t('grants.valid_until')],
    p.grants.map((g) => [withNumber(nameOf(g, 'company_name'), g.est_id), serviceName(svc, g.service),
      g.valid_until ? fmtDate(g.valid_until) : t('grants.no_end')]), { id: 'residency-grants' });
}

// The number, whether SMS may go to it, and a new number's code to confirm.
function mobile(p, rerender) {
  const m = p.mobile;
  const out = [h('p', { id: 'residency-mobile' }, ltr(m.number, { class: 'mono' }), ' ',
    badge(m.verified ? 'active' : 'pending', t(m.verified ? 'residency.mobile_verified' : 'residency.mobile_unverified')))];
  if (!m.verified) out.push(h('p', { class: 'hint', text: t('residency.mobile_unverified_hint') }));
  if (m.pending) {
    out.push(h('p', { id: 'residency-pending', text: t('residency.mobile_pending',
      { mobile: ltrText(m.pending.mobile), time: fmtDateTime(m.pending.expires_at) }) }));
    const f = new Form({ id: 'mobile-confirm', class: 'inline' });
    const code = f.field('code', t('residency.code'), input({ dir: 'ltr', inputmode: 'numeric', maxlength: 6,
      autocomplete: 'one-time-code' }), t('residency.code_hint'), { required: true });
    f.actions(h('button', { type: 'submit', class: 'primary', text: t('residency.confirm') }));
    f.onSubmit(async () => {
      const c = code.value.trim().replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660));
      if (!/^[0-9]{6}$/.test(c)) { f.fieldError('code', t('residency.code_invalid')); return; }
      await api('POST', '/api/v1/me/mobile/confirm', { json: { code: c } });
      await rerender(t('residency.mobile_confirmed'));
    });
    out.push(f.el);
  }
  return out;
}

export async function residencyPage(ctx, flash) {
  const v = ctx.view;
  const p = await get('/api/v1/me/residency');
  v.appendChild(heading(t('residency.title')));
  if (flash) v.appendChild(h('p', { class: 'form-ok', role: 'status', id: 'residency-flash', text: flash }));
  v.appendChild(section(t('residency.permit'), permitFacts(p)));
  if (p.permit) v.appendChild(section(t('residency.next_title'), nextExecution(p)));
  if (p.permit) v.appendChild(section(t('residency.last_title'), lastExecution(p)));
  v.appendChild(section(t('residency.grants_title'), await grantsTable(p)));
  v.appendChild(section(t('residency.mobile_title'), mobile(p, async (msg) => {
    const fresh = h('div', { class: 'view' });
    await residencyPage({ ...ctx, view: fresh }, msg);
    clear(v).append(...fresh.childNodes);
    v.querySelector('#residency-flash')?.focus();
  })));
}
