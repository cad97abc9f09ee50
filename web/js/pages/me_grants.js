// A representative's grants (issue 16 §1): the offers waiting for their
// answer, to accept or decline, and the grants they hold.
import { h, clear } from '../dom.js';
import { t, nameOf, fmtDate, fmtDateTime } from '../i18n.js';
import { api, get } from '../api.js';
import { heading, section, table, empty, button, actionError, confirmDialog, badge, errText,
  withNumber, personCell } from '../ui.js';

export async function meGrantsPage(ctx) {
  const { view: v } = ctx;
  v.appendChild(heading(t('me_grants.title')));
  const status = h('p', { class: 'form-ok', role: 'status', id: 'me-grants-status' });
  const offersBox = h('div', { id: 'me-offers' });
  const heldBox = h('div', { id: 'me-held' });
  v.appendChild(status);
  v.appendChild(section(t('me_grants.offers'), h('p', { class: 'muted', text: t('me_grants.offers_hint') }), offersBox));
  v.appendChild(section(t('me_grants.held'), heldBox));

  async function answer(g, what) {
    const svcName = nameOf(g, 'service_name');
    const company = nameOf(g, 'company_name');
    if (what === 'decline') {
      const ok = await confirmDialog(t('me_grants.decline_confirm', { service: svcName, company }),
        t('me_grants.decline'));
      if (!ok) return;
    }
    await api('POST', `/api/v1/me/grants/${g.id}/${what}`);
    if (what === 'accept') await ctx.reloadMe();
    status.textContent = what === 'accept'
      ? t('me_grants.accepted_ok', { service: svcName, company })
      : t('me_grants.declined_ok', { service: svcName, company });
    await refresh();
  }

  async function refresh() {
    const r = await get('/api/v1/me/grants?limit=500');
    const offers = r.items.filter((g) => g.state === 'pending');
    const held = r.items.filter((g) => g.state !== 'pending');
    clear(offersBox);
    clear(heldBox);
    if (!offers.length) offersBox.appendChild(empty(t('me_grants.no_offers')));
    else {
      offersBox.appendChild(table(t('me_grants.offers_caption'),
        [t('grants.company'), t('grants.service'), t('me_grants.offered_by'), t('grants.valid_from'),
          t('grants.valid_until'), t('me_grants.answer_by'), t('common.actions')],
        offers.map((g) => {
          const err = actionError();
          const label = { service: nameOf(g, 'service_name'), company: nameOf(g, 'company_name') };
          const act = (what) => async () => {
            try { await answer(g, what); } catch (e) { err.textContent = errText(e); }
          };
          return [
            withNumber(nameOf(g, 'company_name'), g.est_id),
            nameOf(g, 'service_name'),
            personCell(nameOf(g, 'granted_by_name'), g.granted_by),
            g.valid_from ? fmtDate(g.valid_from) : t('grants.from_granting'),
            g.valid_until ? fmtDate(g.valid_until) : t('grants.no_end'),
            fmtDate(g.answer_by),
            h('span', {},
              button(t('me_grants.accept'), { class: 'primary small', 'data-accept': g.id,
                'aria-label': t('me_grants.accept_label', label), onclick: act('accept') }),
              ' ',
              button(t('me_grants.decline'), { class: 'danger small', 'data-decline': g.id,
                'aria-label': t('me_grants.decline_label', label), onclick: act('decline') }),
              err),
          ];
        }), { id: 'me-offers-table' }));
    }
    if (!held.length) heldBox.appendChild(empty(t('me_grants.none_held')));
    else {
      heldBox.appendChild(table(t('me_grants.held_caption'),
        [t('grants.company'), t('grants.service'), t('grants.valid_until'), t('grants.state'), t('grants.granted_at')],
        held.map((g) => [
          withNumber(nameOf(g, 'company_name'), g.est_id),
          nameOf(g, 'service_name'),
          g.valid_until ? fmtDate(g.valid_until) : t('grants.no_end'),
          badge(g.state, t(g.acceptance === 'expired' ? 'grants.state.offer_expired' : `grants.state.${g.state}`)),
          fmtDateTime(g.granted_at),
        ]), { id: 'me-held-table' }));
    }
  }
  await refresh();
}
