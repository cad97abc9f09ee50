// Representatives and their permissions: grant several services at once
// (optional end date), revoke with a confirmation.
import { h, clear, asciiDigits } from '../dom.js';
import { t, nameOf, fmtDate, fmtDateTime } from '../i18n.js';
import { api, get } from '../api.js';
import { services, serviceName } from '../services.js';
import { Form, input, select, button, table, empty, section, actionError, confirmDialog, badge, errText, pager,
  personCell } from '../ui.js';

// Who did it and when: the person's name (their QID under it) when the
// registry knows them, else the account as it is (a system's).
function whoWhen(id, nameAr, nameEn, at) {
  if (!id) return '';
  const name = nameOf({ name_ar: nameAr, name_en: nameEn });
  return h('span', {}, name ? personCell(name, id) : h('bdi', { dir: 'ltr', class: 'ltr mono', text: id }),
    h('br'), h('span', { class: 'muted', text: fmtDateTime(at) }));
}

async function groupEmployees(me) {
  const out = [];
  for (const c of me.signatory_of || []) {
    try {
      const r = await get(`/api/v1/companies/${c.est_id}/employees?limit=500`);
      for (const e of r.items) if (e.status === 'active') out.push({ ...e, company: c });
    } catch { /* the list is only a help for typing */ }
  }
  return out;
}

export async function grantsTab(ctx) {
  const { est, acc, body, me } = ctx;
  const svc = await services();
  const listBox = h('div', { id: 'grants-list' });
  let showRevoked = false;
  // Search and filters (issue 12 §2), sent to the server with the page.
  const ff = new Form({ id: 'grants-filter', class: 'inline', role: 'search' });
  const fq = ff.field('q', t('grants.search'), input({ type: 'search', maxlength: 100, autocomplete: 'off' }), t('employees.search_hint'));
  const fsvc = ff.field('service', t('grants.service'), select([['', t('employees.any')], ...svc.map((x) => [x.code, nameOf(x)])], ''));
  const fstate = ff.field('state', t('grants.state'), select([['', t('employees.any')],
    ...['active', 'scheduled', 'expired', 'revoked'].map((x) => [x, t(`grants.state.${x}`)])], ''));
  ff.actions(h('button', { type: 'submit', class: 'primary', text: t('employees.apply') }));

  let at = 0;
  async function refresh(offset = at) {
    const q = new URLSearchParams({ limit: '100', offset: String(offset) });
    if (showRevoked) q.set('include_revoked', 'true');
    if (fq.value.trim()) q.set('q', fq.value.trim());
    if (fsvc.value) q.set('service', fsvc.value);
    if (fstate.value) q.set('state', fstate.value);
    const r = await get(`/api/v1/companies/${est}/grants?${q}`);
    if (!r.items.length && r.offset > 0) return refresh(0);
    at = r.offset;
    clear(listBox);
    if (!r.items.length) {
      listBox.appendChild(empty(t('grants.none')));
      return;
    }
    const rows = r.items.map((g) => {
      const err = actionError();
      let action = null;
      // An offer not yet accepted is withdrawn by the same DELETE (issue 16 §1).
      if (acc.grantEdit && g.state === 'pending') {
        action = button(t('grants.withdraw'), {
          class: 'danger small',
          'data-withdraw': g.id,
          'aria-label': t('grants.withdraw_label', { service: serviceName(svc, g.service), name: nameOf(g) }),
          onclick: async () => {
            const ok = await confirmDialog(t('grants.withdraw_confirm',
              { service: serviceName(svc, g.service), name: nameOf(g) }), t('grants.withdraw'));
            if (!ok) return;
            try {
              await api('DELETE', `/api/v1/companies/${est}/grants/${g.id}`);
              status.textContent = t('grants.withdrawn_ok', { service: serviceName(svc, g.service), name: nameOf(g) });
              await refresh();
            } catch (e) { err.textContent = errText(e); }
          },
        });
      } else if (acc.grantEdit && (g.state === 'active' || g.state === 'scheduled')) {
        action = button(t('grants.revoke'), {
          class: 'danger small',
          'data-grant': g.id,
          'aria-label': t('grants.revoke_label', { service: serviceName(svc, g.service), name: nameOf(g) }),
          onclick: async () => {
            const ok = await confirmDialog(t('grants.revoke_confirm',
              { service: serviceName(svc, g.service), name: nameOf(g) }), t('grants.revoke'));
            if (!ok) return;
            try {
              await api('DELETE', `/api/v1/companies/${est}/grants/${g.id}`);
              status.textContent = t('grants.revoked_ok', { service: serviceName(svc, g.service), name: nameOf(g) });
              await refresh();
            } catch (e) { err.textContent = errText(e); }
          },
        });
      }
      return [
        personCell(nameOf(g), g.qid),
        serviceName(svc, g.service),
        g.valid_from ? fmtDate(g.valid_from) : t('grants.from_granting'),
        g.valid_until ? fmtDate(g.valid_until) : t('grants.no_end'),
        h('span', {}, badge(g.state, t(g.acceptance === 'expired' ? 'grants.state.offer_expired' : `grants.state.${g.state}`)),
          g.state === 'pending' && g.answer_by ? h('span', { class: 'muted', text: ` ${t('grants.answer_by', { date: fmtDate(g.answer_by) })}` }) : null,
          g.revoke_reason ? h('span', { class: 'muted', text: ` ${t(`grants.reason.${g.revoke_reason}`)}` }) : null),
        fmtDateTime(g.granted_at),
        whoWhen(g.granted_by, g.granted_by_name_ar, g.granted_by_name_en, g.granted_at),
        whoWhen(g.revoked_by, g.revoked_by_name_ar, g.revoked_by_name_en, g.revoked_at),
        h('span', {}, action, err),
      ];
    });
    listBox.appendChild(table(t('grants.caption'),
      [t('grants.person'), t('grants.service'), t('grants.valid_from'), t('grants.valid_until'), t('grants.state'), t('grants.granted_at'),
        t('grants.granted_by'), t('grants.revoked_by'), t('common.actions')],
      rows, { id: 'grants-table' }));
    const pg = pager(r, refresh, 'grants-pager');
    if (pg) listBox.appendChild(pg);
  }

  const status = h('p', { class: 'form-ok', role: 'status', id: 'grants-status' });

  if (acc.grantEdit) {
    const emps = await groupEmployees(me);
    const f = new Form({ id: 'grant-form' });
    const dl = h('datalist', { id: 'grant-people' }, emps.map((e) =>
      h('option', { value: e.qid, text: `${nameOf(e)} — ${nameOf(e.company)}` })));
    const qid = f.field('qid', t('grants.qid'), input({ list: 'grant-people', dir: 'ltr', inputmode: 'numeric',
      autocomplete: 'off', maxlength: 11 }), t('grants.qid_hint'), { required: true });
    f.add(dl);
    const boxes = svc.map((s) => {
      const id = `svc-${s.code}`;
      return h('div', { class: 'check' }, h('input', { type: 'checkbox', id, value: s.code, name: 'services' }),
        h('label', { for: id, text: nameOf(s) }));
    });
    f.group('services', t('grants.services'), h('div', { class: 'checks' }, boxes), { required: true });
    const from = f.field('valid_from', t('grants.valid_from_opt'), input({ type: 'date' }), t('grants.valid_from_hint'));
    const until = f.field('valid_until', t('grants.valid_until_opt'), input({ type: 'date' }), t('grants.valid_until_hint'));
    f.actions(h('button', { type: 'submit', class: 'primary', text: t('grants.submit') }));
    f.onSubmit(async () => {
      const q = asciiDigits(qid.value.trim());
      const codes = [...f.el.querySelectorAll('input[name=services]:checked')].map((x) => x.value);
      // Both missing: both said at once.
      const missing = [];
      if (!q) missing.push(['qid', t('err.required')]);
      if (!codes.length) missing.push(['services', t('grants.pick_service')]);
      if (missing.length) { f.fieldErrors(missing); return; }
      const bodyJson = { qid: q, services: codes };
      if (from.value) bodyJson.valid_from = from.value;
      if (until.value) bodyJson.valid_until = until.value;
      const r = await api('POST', `/api/v1/companies/${est}/grants`, { json: bodyJson });
      const offered = r.items.filter((x) => x.state === 'pending').length;
      f.done(offered ? t('grants.offered_ok', { n: offered }) : t('grants.granted_ok', { n: r.items.length }));
      f.el.reset();
      await refresh();
    });
    body.appendChild(section(t('grants.new'), f.el));
  }

  const toggleId = 'grants-show-revoked';
  const toggle = h('input', { type: 'checkbox', id: toggleId });
  toggle.addEventListener('change', async () => { showRevoked = toggle.checked; await refresh(0); });
  ff.onSubmit(() => refresh(0));
  body.appendChild(section(t('grants.current'), ff.el,
    h('div', { class: 'field check' }, toggle, h('label', { for: toggleId, text: t('grants.show_revoked') })),
    status, listBox));
  await refresh();
}
