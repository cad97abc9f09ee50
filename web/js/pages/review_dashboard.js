// Reviewers: the dashboard (on their home and at #/review/dashboard): the
// queue count, the last execution's result, and charts over the execution
// cycles (renewals and rejections per cycle, rejections by reason, debits
// per bank), all from GET /api/v1/backoffice/dashboard, drawn by charts.js.
import { h, clear } from '../dom.js';
import { t, fmtNum, fmtMoney, fmtDate } from '../i18n.js';
import { get } from '../api.js';
import { Form, input, table, empty, heading, section } from '../ui.js';
import { lineChart, barChart } from '../charts.js';

function reasonText(r) {
  return t(`line.reason.${r}`);
}

function figure(id, label, value, link) {
  return h('li', { class: 'figure', id },
    h('span', { class: 'muted', text: label }),
    h('span', { class: 'figure-value', 'data-value': '', text: value }),
    link || null);
}

// The figures of one answer, drawn into out.
function draw(out, d) {
  clear(out);
  const last = d.cycles.length ? d.cycles[d.cycles.length - 1] : null;
  out.appendChild(h('ul', { class: 'figures', id: 'dash-figures' },
    figure('dash-pending', t('dash.pending'), fmtNum(d.queue.pending),
      h('a', { href: '#/review/queue', text: t('dash.open_queue') })),
    last ? figure('dash-last-date', t('dash.last_execution'), fmtDate(last.date),
      last.completed ? null : h('span', { class: 'badge badge-pending', text: t('dash.running') })) : null,
    last ? figure('dash-last-renewed', t('dash.renewed'), fmtNum(last.renewed)) : null,
    last ? figure('dash-last-rejected', t('dash.not_renewed'), fmtNum(last.rejected + last.excluded)) : null,
    last ? figure('dash-last-debited', t('dash.debited'), fmtMoney(last.debited_dirhams)) : null));
  if (!d.cycles.length) {
    out.appendChild(empty(t('dash.no_cycles')));
    return;
  }
  const labels = d.cycles.map((c) => fmtDate(c.date));
  out.appendChild(lineChart({
    id: 'chart-cycles',
    title: t('dash.chart_cycles'),
    desc: t('dash.chart_cycles_desc', { n: d.cycles.length, from: labels[0], to: labels[labels.length - 1] }),
    labels,
    series: [
      { name: t('dash.renewed'), values: d.cycles.map((c) => c.renewed) },
      { name: t('dash.rejected'), values: d.cycles.map((c) => c.rejected) },
      { name: t('dash.excluded'), values: d.cycles.map((c) => c.excluded) },
    ],
    xTitle: t('dash.cycle'),
    yTitle: t('dash.persons'),
  }));
  out.appendChild(d.rejections_by_reason.length ? barChart({
    id: 'chart-reasons',
    title: t('dash.chart_reasons'),
    desc: t('dash.chart_reasons_desc', { n: d.rejections_by_reason.reduce((a, x) => a + x.count, 0) }),
    items: d.rejections_by_reason.map((x) => ({ label: reasonText(x.reason), value: x.count })),
    labelTitle: t('line.reason'),
    valueTitle: t('dash.persons'),
    seriesIndex: 1,
  }) : empty(t('dash.no_rejections')));
  out.appendChild(d.debits_by_bank.length ? barChart({
    id: 'chart-banks',
    title: t('dash.chart_banks'),
    desc: t('dash.chart_banks_desc', { n: d.debits_by_bank.length }),
    items: d.debits_by_bank.map((x) => ({ label: x.bank_code, value: x.debited_dirhams, note: fmtNum(x.debits) })),
    fmt: fmtMoney,
    labelTitle: t('dash.bank'),
    valueTitle: t('dash.amount'),
    noteTitle: t('dash.debits'),
  }) : empty(t('dash.no_debits')));
  // The cycles, newest first, with their reasons: what the charts show, as text.
  out.appendChild(table(t('dash.cycles_caption'),
    [t('dash.cycle'), t('dash.companies'), t('dash.renewed'), t('dash.rejected'), t('dash.excluded'),
      t('dash.by_reason'), t('dash.debited')],
    d.cycles.slice().reverse().map((c) => [
      c.completed ? fmtDate(c.date) : h('span', {}, fmtDate(c.date), ' ',
        h('span', { class: 'badge badge-pending', text: t('dash.running') })),
      fmtNum(c.companies), fmtNum(c.renewed), fmtNum(c.rejected), fmtNum(c.excluded),
      Object.keys(c.rejected_by_reason).length
        ? h('ul', { class: 'plain' }, Object.entries(c.rejected_by_reason).sort((a, b) => b[1] - a[1])
          .map(([r, n]) => h('li', { text: t('dash.reason_count', { reason: reasonText(r), n }) })))
        : '—',
      fmtMoney(c.debited_dirhams),
    ]), { id: 'dash-cycles' }));
}

// The dashboard into the view v: under its own h1 on its page, a section on home.
export async function dashboardInto(v, own) {
  const out = h('div', { id: 'dash-out' });
  const f = new Form({ id: 'dash-range', class: 'inline' });
  const from = f.field('from', t('dash.from'), input({ type: 'date' }));
  const to = f.field('to', t('dash.to'), input({ type: 'date' }));
  f.actions(h('button', { type: 'submit', class: 'primary', text: t('review.show') }));
  const note = h('p', { class: 'hint', id: 'dash-range-note', text: t('dash.default_range') });
  async function load() {
    const p = new URLSearchParams();
    if (from.value || to.value) {
      p.set('from', from.value);
      p.set('to', to.value);
    }
    const d = await get(`/api/v1/backoffice/dashboard${p.toString() ? `?${p}` : ''}`);
    note.textContent = p.toString() ? t('dash.range_shown', { from: fmtDate(from.value), to: fmtDate(to.value) })
      : t('dash.default_range');
    draw(out, d);
  }
  f.onSubmit(load);
  if (own) v.append(heading(t('dash.title')), f.el, note, out);
  else v.appendChild(section(t('dash.title'), f.el, note, out));
  await load();
}

export async function dashboard(ctx) {
  await dashboardInto(ctx.view, true);
}
