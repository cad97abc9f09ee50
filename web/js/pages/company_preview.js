// What the next execution would do, line by line (writes nothing).
import { h, clear } from '../dom.js';
import { t, fmtDate, fmtMoney } from '../i18n.js';
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
    out.append(h('dl', { class: 'facts' },
      h('dt', { text: t('preview.execution_date') }), h('dd', { text: fmtDate(p.date) }),
      h('dt', { text: t('renewal.enabled') }), h('dd', { text: p.enabled ? t('renewal.on') : t('renewal.off') }),
      h('dt', { text: t('renewal.cap') }), h('dd', { text: fmtMoney(p.cap_dirhams) }),
      h('dt', { text: t('renewal.duration') }), h('dd', { text: t('renewal.years', { n: p.duration_years }) }),
      h('dt', { text: t('preview.total') }), h('dd', { id: 'preview-total', text: fmtMoney(p.total_dirhams) })));
    if (!p.enabled) out.append(h('p', { class: 'notice', text: t('preview.disabled') }));
    out.append(p.items.length ? linesTable(t('preview.caption'), p.items, 'preview-table', false) : empty(t('preview.none')));
  }
  f.onSubmit(() => show(date.value));
  body.appendChild(section(t('preview.title'), h('p', { class: 'hint', text: t('preview.lead') }), f.el, out));
  try {
    await show('');
  } catch (e) {
    f.showError(e);
  }
}
