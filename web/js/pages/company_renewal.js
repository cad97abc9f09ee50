// The renewal subscription: submit it, see its state and the reviewer's
// note; the switches (stop/reactivate, cap, duration, email, mobile,
// language, address); a signatory changes the debit account.
import { h, clear, asciiDigits } from '../dom.js';
import { t, fmtDateTime, fmtMoney, ltrText } from '../i18n.js';
import { api, get } from '../api.js';
import { parseQar, qarText } from '../money.js';
import { Form, input, select, button, section, badge, confirmDialog, actionError, errText, empty,
  ltr, ltrDigits } from '../ui.js';

function durationOptions() {
  return [1, 2, 3].map((n) => [n, t('renewal.years', { n })]);
}
// The six languages statements are written in (issue 16 §3).
function languageOptions() {
  return ['ar', 'en', 'fr', 'ur', 'ml', 'es'].map((l) => [l, t(`renewal.lang.${l}`)]);
}

// The fields a subscription and the switches share; returns getters.
// locked: where statements and renewed cards go (email, mobile, address)
// is shown but not editable: only a signatory changes it (the API refuses
// a RENEWAL_MANAGE holder's change too).
function contactFields(f, s, locked = false) {
  const cap = f.field('cap_dirhams', t('renewal.cap'),
    input({ inputmode: 'decimal', dir: 'ltr', value: s ? qarText(s.cap_dirhams) : '' }), t('renewal.cap_hint'));
  const dur = f.field('duration_years', t('renewal.duration'), select(durationOptions(), s ? s.duration_years : 1));
  const email = f.field('email', t('renewal.email'), input({ type: 'email', dir: 'ltr', autocomplete: 'email', value: s?.email || '',
    disabled: locked }), locked ? t('renewal.contact_signatory_only') : t('renewal.contact_told'));
  const mobile = f.field('mobile', t('renewal.mobile'), input({ type: 'tel', dir: 'ltr', autocomplete: 'tel', value: s?.mobile || '',
    disabled: locked }), t('renewal.mobile_hint'));
  const lang = f.field('language', t('renewal.language'), select(languageOptions(), s ? s.language : 'ar'));
  const addr = f.field('delivery_address', t('renewal.address'), h('textarea', { rows: 3, disabled: locked }));
  addr.value = s?.delivery_address || '';
  return () => {
    const capD = parseQar(cap.value);
    // Sent as typed, the API refuses it with every other bad field.
    if (capD === null) f.localError('cap_dirhams', t('renewal.cap_invalid'));
    return {
      cap_dirhams: capD ?? cap.value,
      duration_years: Number(dur.value),
      email: email.value.trim(),
      mobile: asciiDigits(mobile.value.trim()),
      language: lang.value,
      delivery_address: addr.value.trim(),
    };
  };
}

function subscribeForm(ctx, refresh, previous) {
  const { est, me } = ctx;
  const f = new Form({ id: 'subscribe-form' });
  const iban = f.field('iban', t('renewal.iban'), input({ dir: 'ltr', autocomplete: 'off', spellcheck: 'false',
    value: previous?.iban || '' }), t('renewal.iban_hint'));
  const auth = f.field('authorizing_qid', t('renewal.authorizing'), input({ dir: 'ltr', inputmode: 'numeric',
    value: previous?.authorizing_qid || me.qid || '' }), t('renewal.authorizing_hint'));
  const values = contactFields(f, previous);
  f.require('iban', 'authorizing_qid', 'cap_dirhams', 'duration_years', 'email', 'mobile', 'language', 'delivery_address');
  f.actions(h('button', { type: 'submit', class: 'primary', text: t('renewal.subscribe') }));
  f.onSubmit(async () => {
    const v = values();
    if (!v) return;
    v.iban = iban.value.replace(/\s/g, '').toUpperCase();
    v.authorizing_qid = asciiDigits(auth.value.trim());
    const r = await api('POST', `/api/v1/companies/${est}/renewal/subscription`, { json: v });
    await refresh(t('renewal.subscribed_ok', { ref: ltrText(r.reference) }));
  });
  return f.el;
}

function statusBlock(s) {
  const dl = h('dl', { class: 'facts' },
    h('dt', { text: t('renewal.status') }), h('dd', {}, badge(s.status, t(`renewal.status.${s.status}`))),
    h('dt', { text: t('renewal.reference') }), h('dd', {}, ltr(s.reference, { class: 'mono' })),
    h('dt', { text: t('renewal.submitted_at') }), h('dd', { text: fmtDateTime(s.submitted_at) }),
    s.reviewed_at ? [h('dt', { text: t('renewal.reviewed_at') }), h('dd', { text: fmtDateTime(s.reviewed_at) })] : null,
    h('dt', { text: t('renewal.review_note') }), h('dd', { id: 'review-note', text: s.review_note || t('renewal.no_note') }),
    h('dt', { text: t('renewal.iban') }), h('dd', {}, ltr(s.iban, { class: 'mono' })),
    h('dt', { text: t('renewal.authorizing') }), h('dd', {}, ltrDigits(s.authorizing_qid, { class: 'mono' })));
  const extra = [];
  if (s.status === 'pending') extra.push(h('p', { class: 'notice', id: 'renewal-pending', text: t('renewal.state.awaiting_review') }));
  if (s.status === 'rejected') extra.push(h('p', { class: 'notice bad', text: t('renewal.rejected_info') }));
  if (s.pending_change) {
    extra.push(h('p', { class: 'notice', id: 'pending-change',
      text: t('renewal.pending_change', { ref: ltrText(s.pending_change.reference),
        iban: ltrText(s.pending_change.iban) }) }));
  }
  if (s.rejected_change) {
    extra.push(h('p', { class: 'notice bad', id: 'rejected-change',
      text: t('renewal.rejected_change', { ref: ltrText(s.rejected_change.reference), iban: ltrText(s.rejected_change.iban),
        note: s.rejected_change.review_note || t('renewal.no_note') }) }));
  }
  return [dl, extra];
}

// What runs, whatever the switch says: pending runs nothing until approved.
function stateOf(s) {
  return s.renewal_state || (s.status === 'pending' ? 'awaiting_review' : s.enabled ? 'on' : 'stopped');
}

function readOnlySwitches(s) {
  return h('dl', { class: 'facts', id: 'switches-view' },
    h('dt', { text: t('renewal.enabled') }), h('dd', { text: t(`renewal.state_short.${stateOf(s)}`) }),
    h('dt', { text: t('renewal.cap') }), h('dd', { text: fmtMoney(s.cap_dirhams) }),
    h('dt', { text: t('renewal.duration') }), h('dd', { text: t('renewal.years', { n: s.duration_years }) }),
    h('dt', { text: t('renewal.email') }), h('dd', {}, ltr(s.email)),
    h('dt', { text: t('renewal.mobile') }), h('dd', {}, ltr(s.mobile, { class: 'phone' })),
    h('dt', { text: t('renewal.language') }), h('dd', { text: t(`renewal.lang.${s.language}`) }),
    h('dt', { text: t('renewal.address') }), h('dd', { text: s.delivery_address }));
}

export async function renewalTab(ctx) {
  const { est, acc, body } = ctx;
  const box = h('div');
  body.appendChild(box);

  async function refresh(okText) {
    let s = null;
    try {
      s = await get(`/api/v1/companies/${est}/renewal`);
    } catch (e) {
      if (e.code !== 'not_subscribed') throw e;
    }
    clear(box);
    const flash = h('p', { class: 'form-ok', role: 'status', id: 'renewal-flash', text: okText || '' });
    box.appendChild(flash);
    if (!s) {
      box.appendChild(section(t('renewal.subscription'),
        h('p', { id: 'not-subscribed', text: t('renewal.not_subscribed') }),
        acc.subscribe ? subscribeForm(ctx, refresh, null) : empty(t('renewal.only_signatory_subscribes'))));
      return;
    }
    box.appendChild(section(t('renewal.subscription'), h('div', { id: 'renewal-status' }, statusBlock(s))));
    if (s.status === 'rejected') {
      if (acc.subscribe) box.appendChild(section(t('renewal.subscribe_again'), subscribeForm(ctx, refresh, s)));
      return;
    }
    if (!acc.renewalEdit) {
      box.appendChild(section(t('renewal.switches'), readOnlySwitches(s)));
      return;
    }

    // Stop / reactivate, at once.
    const err = actionError();
    const toggle = button(s.enabled ? t('renewal.stop') : t('renewal.reactivate'), {
      id: 'renewal-toggle', class: s.enabled ? 'danger' : 'primary',
      onclick: async () => {
        if (s.enabled && !(await confirmDialog(t('renewal.stop_confirm'), t('renewal.stop')))) return;
        try {
          await api('PATCH', `/api/v1/companies/${est}/renewal`, { json: { enabled: !s.enabled } });
          await refresh(s.enabled ? t('renewal.stopped_ok') : t('renewal.reactivated_ok'));
        } catch (e) { err.textContent = errText(e); }
      },
    });
    box.appendChild(section(t('renewal.enabled'),
      h('p', { id: 'renewal-state', text: stateOf(s) === 'awaiting_review' ? t('renewal.state.awaiting_review_switch')
        : t(`renewal.state.${stateOf(s)}`) }),
      h('div', { class: 'actions' }, toggle, err)));

    // The switches: only what changed is sent.
    const f = new Form({ id: 'switches-form' });
    const values = contactFields(f, s, !acc.signatory);
    f.actions(h('button', { type: 'submit', class: 'primary', text: t('common.save') }));
    f.onSubmit(async () => {
      const v = values();
      if (!v) return;
      const patch = {};
      for (const [k, val] of Object.entries(v)) if (val !== s[k]) patch[k] = val;
      if (!Object.keys(patch).length) { f.done(t('common.nothing_changed')); return; }
      await api('PATCH', `/api/v1/companies/${est}/renewal`, { json: patch });
      await refresh(t('renewal.saved_ok'));
    });
    box.appendChild(section(t('renewal.switches'), f.el));

    if (acc.signatory) {
      const g = new Form({ id: 'account-form' });
      const iban = g.field('iban', t('renewal.iban'), input({ dir: 'ltr', value: s.iban, spellcheck: 'false' }), t('renewal.iban_hint'));
      const auth = g.field('authorizing_qid', t('renewal.authorizing'), input({ dir: 'ltr', inputmode: 'numeric', value: s.authorizing_qid }));
      g.actions(h('button', { type: 'submit', text: t('renewal.change_account') }));
      g.onSubmit(async () => {
        const patch = {};
        const ib = iban.value.replace(/\s/g, '').toUpperCase();
        const q = asciiDigits(auth.value.trim());
        if (ib !== s.iban) patch.iban = ib;
        if (q !== s.authorizing_qid) patch.authorizing_qid = q;
        if (!Object.keys(patch).length) { g.done(t('common.nothing_changed')); return; }
        await api('PATCH', `/api/v1/companies/${est}/renewal`, { json: patch });
        await refresh(t('renewal.account_ok'));
      });
      box.appendChild(section(t('renewal.account'), h('p', { class: 'hint', text: t('renewal.account_info') }), g.el));
    }

  }
  await refresh();
}
