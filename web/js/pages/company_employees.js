// The HR officer's employees page (issue 12 §2): every employee with the
// permit's and the passport's expiry, fines, exclusion and what the next
// execution would do for them (the preview's plan); search, filters, sort
// and paging done by the server; exclude or include from the row (the
// exclusions API); the same list as a CSV download.
import { h, clear } from '../dom.js';
import { t, nameOf, fmtDate, fmtMoney, getLang } from '../i18n.js';
import { api, get, download } from '../api.js';
import { Form, input, select, button, table, empty, section, actionError, confirmDialog, errText, pager,
  personCell, badge } from '../ui.js';
import { reasonText } from '../lines.js';

const FILTERS = ['q', 'expiring', 'excluded', 'fines', 'in_scope', 'sort', 'order'];

function yesNo(name) {
  return select([['', t('employees.any')], ['true', t('common.yes')], ['false', t('common.no')]], '', { name });
}

// What the next execution does for the person; a subscription that does
// not run (pending review, stopped) renews nobody, whatever the plan says.
function nextCell(x, state) {
  if (!x.in_scope) return h('span', { class: 'muted', text: t('employees.not_in_scope') });
  if (state !== 'on') return h('span', { class: 'muted', text: t(`employees.due_not_running.${state}`) });
  if (x.next_result === 'RENEWED') return badge('renewed', t('line.outlook.will_renew'));
  return h('span', {}, badge('rejected', t('line.outlook.blocked')), ' ', reasonText({ reason: x.next_reason, person_status: x.status }));
}

export async function employeesTab(ctx) {
  const { est, acc, body, query } = ctx;
  const listBox = h('div', { id: 'employees-list' });
  const status = h('p', { class: 'form-ok', role: 'status', id: 'employees-status' });

  const f = new Form({ id: 'employees-filter', class: 'inline', role: 'search' });
  const ctl = {
    q: f.field('q', t('employees.search'), input({ type: 'search', maxlength: 100, autocomplete: 'off' }), t('employees.search_hint')),
    expiring: f.field('expiring', t('employees.expiring'), select([['', t('employees.any')], ['expired', t('overview.expired')],
      ['30', t('overview.within', { n: 30 })], ['60', t('overview.within', { n: 60 })], ['90', t('overview.within', { n: 90 })]], '')),
    excluded: f.field('excluded', t('employees.excluded'), yesNo('excluded')),
    fines: f.field('fines', t('employees.fines'), yesNo('fines')),
    in_scope: f.field('in_scope', t('employees.in_scope'), yesNo('in_scope')),
    sort: f.field('sort', t('employees.sort'), select([['qid', t('employees.sort.qid')], ['name_en', t('employees.sort.name_en')],
      ['name_ar', t('employees.sort.name_ar')], ['permit_expiry', t('employees.sort.permit_expiry')],
      ['passport_expiry', t('employees.sort.passport_expiry')]], 'qid')),
    order: f.field('order', t('employees.order'), select([['asc', t('employees.order.asc')], ['desc', t('employees.order.desc')]], 'asc')),
  };
  f.actions(h('button', { type: 'submit', class: 'primary', text: t('employees.apply') }));
  // Filters arriving in the link (from the overview's counts).
  for (const k of FILTERS) if (query && query.get(k) !== null) ctl[k].value = query.get(k);

  function params() {
    const p = new URLSearchParams();
    for (const k of FILTERS) if (ctl[k].value) p.set(k, ctl[k].value.trim());
    return p;
  }

  let at = 0;
  async function refresh(offset = at) {
    const p = params();
    p.set('limit', '50');
    p.set('offset', String(offset));
    const r = await get(`/api/v1/companies/${est}/employees?${p}`);
    if (!r.items.length && r.offset > 0) return refresh(0);
    at = r.offset;
    clear(listBox);
    listBox.appendChild(h('p', { class: 'muted', id: 'employees-count', role: 'status',
      text: t('employees.count', { n: r.total, date: fmtDate(r.execution_date) }) }));
    if (r.renewal_state && r.renewal_state !== 'on') {
      listBox.appendChild(h('p', { class: 'notice', id: 'employees-notice', text: t(`employees.not_running.${r.renewal_state}`) }));
    }
    if (!r.items.length) {
      listBox.appendChild(empty(t('employees.none')));
      return;
    }
    const heads = [t('employees.person'), t('employees.permit_expiry'), t('employees.passport_expiry'), t('employees.fines'),
      t('employees.excluded'), t('employees.next', { date: fmtDate(r.execution_date) })];
    if (acc.renewalEdit) heads.push(t('common.actions'));
    listBox.appendChild(table(t('employees.caption'), heads, r.items.map((x) => {
      const cells = [
        personCell(nameOf(x), x.qid),
        x.permit_expiry ? fmtDate(x.permit_expiry) : t('employees.citizen'),
        x.passport_expiry ? fmtDate(x.passport_expiry) : '—',
        x.fines_dirhams > 0 ? badge('rejected', fmtMoney(x.fines_dirhams)) : t('common.no'),
        x.excluded ? badge('excluded', t('common.yes')) : t('common.no'),
        nextCell(x, r.renewal_state),
      ];
      if (acc.renewalEdit) {
        const err = actionError();
        const name = nameOf(x);
        const act = x.excluded
          ? button(t('employees.include'), { class: 'small', 'data-include': x.qid,
            'aria-label': t('employees.include_label', { name }),
            onclick: async () => {
              if (!(await confirmDialog(t('employees.include_confirm', { name }), t('employees.include')))) return;
              try {
                await api('DELETE', `/api/v1/companies/${est}/exclusions/${x.qid}`);
                status.textContent = t('employees.included_ok', { name });
                await refresh();
              } catch (e) { err.textContent = errText(e); }
            } })
          : button(t('employees.exclude'), { class: 'danger small', 'data-exclude': x.qid,
            'aria-label': t('employees.exclude_label', { name }),
            onclick: async () => {
              if (!(await confirmDialog(t('employees.exclude_confirm', { name }), t('employees.exclude')))) return;
              try {
                await api('POST', `/api/v1/companies/${est}/exclusions`, { json: { qid: x.qid, note: '' } });
                status.textContent = t('employees.excluded_ok', { name });
                await refresh();
              } catch (e) { err.textContent = errText(e); }
            } });
        cells.push(h('span', {}, act, err));
      }
      return cells;
    }), { id: 'employees-table' }));
    const pg = pager(r, refresh, 'employees-pager');
    if (pg) listBox.appendChild(pg);
  }

  f.onSubmit(async () => { await refresh(0); });
  const dlErr = actionError();
  body.appendChild(section(t('employees.title'), h('p', { class: 'hint', text: t('employees.lead') }), f.el,
    h('div', { class: 'actions' }, button(t('employees.download'), {
      id: 'employees-download',
      onclick: async () => {
        dlErr.textContent = '';
        try { await download(`/api/v1/companies/${est}/employees.csv?${params()}`, `employees-${est}.csv`); } catch (e) { dlErr.textContent = errText(e); }
      },
    }), ' ', button(t('employees.download_xlsx'), {
      id: 'employees-download-xlsx',
      onclick: async () => {
        dlErr.textContent = '';
        const p = params();
        p.set('lang', getLang());
        try { await download(`/api/v1/companies/${est}/employees.xlsx?${p}`, `employees-${est}.xlsx`); } catch (e) { dlErr.textContent = errText(e); }
      },
    }), dlErr),
    status, listBox));
  try {
    await refresh(0);
  } catch (e) {
    f.showError(e);
  }
}
