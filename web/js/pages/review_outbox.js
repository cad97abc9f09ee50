// Reviewers: the emails and SMS the delivery worker parked after its last
// attempt (or pending, or sent, or undeliverable: an SMS to a person
// without a verified number, issue 16 §2), counted per company, and the
// retry of a parked or undeliverable one.
import { h, clear, asciiDigits } from '../dom.js';
import { t, has, nameOf, fmtDateTime, fmtNum, ltrText } from '../i18n.js';
import { api, get } from '../api.js';
import { Form, input, select, button, table, empty, heading, badge, errText, pager, actionError,
  confirmDialog, ltr, withNumber } from '../ui.js';

const STATUSES = ['failed', 'undeliverable', 'pending', 'sent'];
const RETRYABLE = new Set(['failed', 'undeliverable']);

// The readable name of a message's template key (po/*.po), else the key.
function templateName(key) {
  return has(`outbox.template.${key}`) ? t(`outbox.template.${key}`) : key;
}

// A table row whose status, attempts, error and action follow the message
// the server answers after a retry.
function row(m, flash) {
  const what = templateName(m.template);
  const state = h('span', { 'data-state': m.id });
  const tries = h('span', {});
  const lastErr = ltr('', { class: 'mono' });
  const act = h('span', { class: 'row-actions' });
  const err = actionError();
  const show = (x) => {
    clear(state).appendChild(badge(x.status, t(`outbox.status.${x.status}`)));
    tries.textContent = fmtNum(x.attempts);
    lastErr.textContent = x.last_error || '';
    clear(act);
    if (!RETRYABLE.has(x.status)) return;
    const retry = button(t('outbox.retry'), {
      class: 'small', 'data-retry': x.id,
      'aria-label': t('outbox.retry_label', { what, to: x.recipient }),
      onclick: async () => {
        err.textContent = '';
        if (!await confirmDialog(t('outbox.retry_confirm', { what, to: ltrText(x.recipient) }), t('outbox.retry'))) return;
        retry.disabled = true;
        try {
          show(await api('POST', `/api/v1/backoffice/outbox/${x.id}/retry`));
          flash.textContent = t('outbox.retried_ok', { what, to: ltrText(x.recipient) });
        } catch (e) {
          err.textContent = errText(e);
          retry.disabled = false;
        }
      },
    });
    act.append(retry, err);
  };
  show(m);
  const company = nameOf(m.params, 'company');
  return [
    fmtDateTime(m.created_at),
    t(`outbox.channel.${m.channel}`),
    ltr(m.recipient, { class: 'mono' }),
    m.est_id ? h('a', { href: `#/company/${m.est_id}/renewal` }, withNumber(company, m.est_id)) : '',
    what,
    state,
    tries,
    lastErr,
    act,
  ];
}

export async function notifications(ctx) {
  const v = ctx.view;
  v.appendChild(heading(t('outbox.title')));
  v.appendChild(h('p', { class: 'lead', text: t('outbox.lead') }));
  const out = h('div', { id: 'outbox-list' });
  const flash = h('p', { class: 'form-ok', role: 'status', id: 'outbox-flash' });
  const f = new Form({ id: 'outbox-filter', class: 'inline' });
  const st = f.field('status', t('review.status'), select(STATUSES.map((s) => [s, t(`outbox.status.${s}`)]), 'failed'));
  const ch = f.field('channel', t('outbox.channel'), select([['', t('outbox.all_channels')],
    ['email', t('outbox.channel.email')], ['sms', t('outbox.channel.sms')]], ''));
  const est = f.field('est_id', t('outbox.est_id'), input({ dir: 'ltr', inputmode: 'numeric', maxlength: 8,
    autocomplete: 'off' }), t('outbox.est_id_hint'));
  f.actions(h('button', { type: 'submit', class: 'primary', text: t('review.show') }));

  async function load(offset = 0) {
    const p = new URLSearchParams({ status: st.value, limit: '50', offset: String(offset) });
    if (ch.value) p.set('channel', ch.value);
    const e = asciiDigits(est.value.trim());
    if (e && !/^[0-9]{8}$/.test(e)) { f.fieldError('est_id', t('err.invalid_field.est_id')); return; }
    if (e) p.set('est_id', e);
    const r = await get(`/api/v1/backoffice/outbox?${p}`);
    flash.textContent = '';
    clear(out);
    if (!r.items.length) { out.appendChild(empty(t('outbox.none'))); return; }
    // How many of these each company has (the most first).
    if (r.by_company && r.by_company.length) {
      out.appendChild(table(t('outbox.by_company_caption', { status: t(`outbox.status.${st.value}`) }),
        [t('statements.company'), t('outbox.count')],
        r.by_company.map((c) => [c.est_id ? withNumber(nameOf(c), c.est_id) : t('outbox.no_company'),
          fmtNum(c.count)]), { id: 'outbox-by-company' }));
    }
    out.appendChild(table(t('outbox.caption'), [t('outbox.when'), t('outbox.channel'), t('outbox.recipient'),
      t('statements.company'), t('outbox.what'), t('review.status'), t('outbox.attempts'), t('outbox.last_error'),
      t('common.actions')], r.items.map((m) => row(m, flash)), { id: 'outbox-table' }));
    const pg = pager(r, load, 'outbox-pager');
    if (pg) out.appendChild(pg);
  }
  f.onSubmit(() => load(0));
  v.append(f.el, flash, out);
  await load();
}
