// What the next execution would do, line by line (writes nothing).
import { h, clear } from '../dom.js';
import { t, fmtDate, fmtMoney, fmtNum } from '../i18n.js';
import { get } from '../api.js';
import { Form, input, section, empty } from '../ui.js';
import { linesTable } from '../lines.js';

export async function previewTab(ctx) {
  const { est, body } = ctx;
  const out = h('div', { id: 'preview-result' });
  const f = new Form({ id: 'preview-form', class: 'inline' });
  const date = f.field('date', t('preview.date'), input({ type: 'date' }), t('preview.date_hint'));
  f.actions(h('button', { type: 'submit', class: 'primary', text: t('preview.show') }));

  async function show(d) {
    let p;
    try {
      p = await get(`/api/v1/companies/${est}/renewal/preview${d ? `?date=${d}` : ''}`);
    } catch (e) {
      if (e.code === 'not_subscribed') {
        clear(out).appendChild(empty(t('renewal.not_subscribed')));
        return;
      }
      throw e;
    }
    date.value = p.date;
    clear(out);
    // What runs: a subscription waiting for review runs nothing, whatever its switch.
    const state = p.renewal_state || (p.enabled ? 'on' : 'stopped');
    const runs = state === 'on';
    out.append(h('dl', { class: 'facts' },
      h('dt', { text: t('preview.execution_date') }), h('dd', { text: fmtDate(p.date) }),
      h('dt', { text: t('renewal.enabled') }), h('dd', { id: 'preview-state', text: t(`renewal.state_short.${state}`) }),
      h('dt', { text: t('renewal.cap') }), h('dd', { text: fmtMoney(p.cap_dirhams) }),
      h('dt', { text: t('renewal.duration') }), h('dd', { text: t('renewal.years', { n: p.duration_years }) }),
      h('dt', { text: t('preview.renewed_count') }), h('dd', { id: 'preview-renewed', text: fmtNum(p.renewed_count ?? 0) }),
      h('dt', { text: t('preview.not_renewed_count') }), h('dd', { id: 'preview-not-renewed', text: fmtNum(p.not_renewed_count ?? 0) }),
      h('dt', { text: t(runs ? 'preview.total' : 'preview.total_if_runs') }),
      h('dd', { id: 'preview-total', text: fmtMoney(p.total_dirhams) })));
    if (state === 'awaiting_review') out.append(h('p', { class: 'notice', id: 'preview-notice', text: t('preview.awaiting_review') }));
    else if (!runs) out.append(h('p', { class: 'notice', id: 'preview-notice', text: t('preview.disabled') }));
    out.append(p.items.length ? linesTable(t('preview.caption'), p.items, 'preview-table', 'preview') : empty(t('preview.none')));
  }
  f.onSubmit(() => show(date.value));
  body.appendChild(section(t('preview.title'), h('p', { class: 'hint', text: t('preview.lead') }), f.el, out));
  try {
    await show('');
  } catch (e) {
    f.showError(e);
  }
}
