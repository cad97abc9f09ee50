// Small SVG charts of our own (no external script; the CSP allows none):
// a line chart over time and a horizontal bar chart by category. Each is a
// <figure> whose <svg role="img"> is named by its <title> and described by
// its <desc>, with the same figures in a data table under it (for screen
// readers, for printing, and for anyone who prefers numbers). Colours come
// from app.css classes (series-0, series-1, ...); no inline style, which
// the CSP refuses. Values are formatted by the caller's fmt (money or
// counts, in the user's digits). In Arabic the time axis runs right to
// left, as the text does, and the bars grow from the right.
import { h, uid } from './dom.js';
import { getLang, fmtNum, t } from './i18n.js';
import { table } from './ui.js';

const NS = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined) continue;
    if (k === 'text') el.textContent = v;
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat()) if (c) el.appendChild(c);
  return el;
}

// Round ticks from 0 to at least max: 1, 2 or 5 times a power of ten;
// whole steps for counts (no "1.5 permits").
export function ticks(max, count = 4, whole = false) {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  let step = [1, 2, 5, 10].map((m) => m * p).find((x) => x >= raw);
  if (whole) step = Math.max(1, step);
  const out = [];
  for (let v = 0; v < max + step; v += step) {
    out.push(v);
    if (v >= max) break;
  }
  return out;
}

// A phone's width: fewer user units, so that 12-unit text stays legible
// once scaled to the screen, and bar labels above their bars.
function narrow() {
  return typeof window.matchMedia === 'function' && window.matchMedia('(max-width: 40rem)').matches;
}

function frame(opts, svgChildren, headers, rows) {
  const titleId = uid('chart-t');
  const descId = uid('chart-d');
  const svg = s('svg', {
    role: 'img', 'aria-labelledby': `${titleId} ${descId}`, viewBox: `0 0 ${opts.w} ${opts.h}`,
    class: 'chart-svg', direction: 'ltr', preserveAspectRatio: 'xMidYMid meet', focusable: 'false',
  }, s('title', { id: titleId, text: opts.title }), s('desc', { id: descId, text: opts.desc }), svgChildren);
  const legend = opts.series && opts.series.length > 1
    ? h('ul', { class: 'chart-legend', 'aria-hidden': 'true' }, opts.series.map((x, i) =>
      h('li', {}, h('span', { class: `swatch series-${i}` }), x.name)))
    : null;
  const data = h('details', { class: 'chart-data' },
    h('summary', { text: t('chart.show_table') }),
    table(opts.title, headers, rows, { class: 'chart-table' }));
  return h('figure', { class: 'chart', id: opts.id || null, 'data-chart': opts.kind },
    h('figcaption', { text: opts.title }), legend, svg, data);
}

// A line per series over labelled points (cycles, oldest first):
// { id, title, desc, labels: [text], series: [{ name, values }], fmt, yTitle, xTitle }.
export function lineChart(opts) {
  // The end margin holds half of the last date label.
  const small = narrow();
  const w = small ? 360 : 640, h0 = small ? 260 : 300;
  const m = small ? { top: 16, bottom: 56, side: 48, end: 40 } : { top: 16, bottom: 64, side: 64, end: 48 };
  const rtl = getLang() === 'ar';
  const fmt = opts.fmt || fmtNum;
  const n = opts.labels.length;
  const max = Math.max(0, ...opts.series.flatMap((x) => x.values));
  const ys = ticks(max, 4, !opts.fmt);
  const top = ys[ys.length - 1] || 1;
  const plotW = w - m.side - m.end;
  const plotH = h0 - m.top - m.bottom;
  // x from the start side (left in English, right in Arabic).
  const xAt = (i) => {
    const off = n <= 1 ? plotW / 2 : (plotW * i) / (n - 1);
    return rtl ? w - m.side - off : m.side + off;
  };
  const yAt = (v) => m.top + plotH - (plotH * v) / top;
  const axisX = rtl ? w - m.side : m.side;
  const parts = [];
  for (const v of ys) {
    parts.push(s('line', { class: 'grid', x1: rtl ? m.end : m.side, x2: rtl ? w - m.side : w - m.end,
      y1: yAt(v), y2: yAt(v) }));
    parts.push(s('text', { class: 'tick', x: rtl ? axisX + 6 : axisX - 6, y: yAt(v) + 4,
      'text-anchor': rtl ? 'start' : 'end', text: fmt(v) }));
  }
  parts.push(s('line', { class: 'axis', x1: axisX, x2: axisX, y1: m.top, y2: m.top + plotH }));
  parts.push(s('line', { class: 'axis', x1: rtl ? m.end : m.side, x2: rtl ? w - m.side : w - m.end,
    y1: m.top + plotH, y2: m.top + plotH }));
  // At most about 8 x labels (3 on a phone), so that they never overlap.
  const every = Math.max(1, Math.ceil(n / (small ? 3 : 8)));
  opts.labels.forEach((l, i) => {
    if (i % every === 0 || i === n - 1) {
      parts.push(s('text', { class: 'tick', x: xAt(i), y: m.top + plotH + 18, 'text-anchor': 'middle', text: l }));
    }
  });
  if (opts.xTitle) {
    parts.push(s('text', { class: 'axis-title', x: w / 2, y: h0 - 8, 'text-anchor': 'middle', text: opts.xTitle }));
  }
  if (opts.yTitle) {
    parts.push(s('text', { class: 'axis-title', x: rtl ? w - 12 : 12, y: m.top + plotH / 2, 'text-anchor': 'middle',
      transform: `rotate(${rtl ? 90 : -90} ${rtl ? w - 12 : 12} ${m.top + plotH / 2})`, text: opts.yTitle }));
  }
  opts.series.forEach((x, si) => {
    const pts = x.values.map((v, i) => `${xAt(i).toFixed(1)},${yAt(v).toFixed(1)}`).join(' ');
    parts.push(s('polyline', { class: `line series-${si}`, points: pts, fill: 'none' }));
    x.values.forEach((v, i) => parts.push(s('circle', { class: `dot series-${si}`, cx: xAt(i), cy: yAt(v), r: 3.5 },
      s('title', { text: `${x.name}, ${opts.labels[i]}: ${fmt(v)}` }))));
  });
  const rows = opts.labels.map((l, i) => [l, ...opts.series.map((x) => fmt(x.values[i]))]);
  return frame({ ...opts, w, h: h0, kind: 'line' }, parts,
    [opts.xTitle || '', ...opts.series.map((x) => x.name)], rows);
}

// One bar per category, its length the value:
// { id, title, desc, items: [{ label, value, note? }], fmt, valueTitle, labelTitle }.
export function barChart(opts) {
  const rtl = getLang() === 'ar';
  const fmt = opts.fmt || fmtNum;
  // On a phone each label stands above its bar, both from the start edge.
  const small = narrow();
  const band = small ? 44 : 30;
  const m = small ? { top: 8, bottom: 40, label: 8, end: opts.fmt ? 96 : 40 }
    : { top: 8, bottom: 40, label: 210, end: 90 };
  const w = small ? 360 : 640;
  const n = opts.items.length;
  const h0 = m.top + m.bottom + Math.max(1, n) * band;
  const max = Math.max(0, ...opts.items.map((x) => x.value));
  const xs = ticks(max, small ? 2 : 3, !opts.fmt);
  const top = xs[xs.length - 1] || 1;
  const plotW = w - m.label - m.end;
  const base = rtl ? w - m.label : m.label;
  const len = (v) => (plotW * v) / top;
  const parts = [];
  for (const v of xs) {
    const x = rtl ? base - len(v) : base + len(v);
    parts.push(s('line', { class: 'grid', x1: x, x2: x, y1: m.top, y2: m.top + n * band }));
    parts.push(s('text', { class: 'tick', x, y: m.top + n * band + 16,
      'text-anchor': v === 0 && small ? (rtl ? 'end' : 'start') : 'middle', text: fmt(v) }));
  }
  opts.items.forEach((it, i) => {
    const y = m.top + i * band;
    const l = Math.max(1, len(it.value));
    const barY = small ? y + 20 : y + 5;
    const barH = small ? 16 : band - 10;
    const mid = barY + barH / 2 + 4;
    parts.push(small
      ? s('text', { class: 'bar-label', x: base, y: y + 14, 'text-anchor': rtl ? 'end' : 'start', text: it.label })
      : s('text', { class: 'bar-label', x: rtl ? base + 8 : base - 8, y: mid,
        'text-anchor': rtl ? 'start' : 'end', text: it.label }));
    parts.push(s('rect', { class: `bar series-${opts.seriesIndex || 0}`, x: rtl ? base - l : base, y: barY, width: l,
      height: barH }, s('title', { text: `${it.label}: ${fmt(it.value)}` })));
    parts.push(s('text', { class: 'bar-value', x: rtl ? base - l - 6 : base + l + 6, y: mid,
      'text-anchor': rtl ? 'end' : 'start', text: fmt(it.value) }));
  });
  // (On a phone the labels stand on the axis' line: the zero grid line does.)
  if (!small) parts.push(s('line', { class: 'axis', x1: base, x2: base, y1: m.top, y2: m.top + n * band }));
  if (opts.valueTitle) {
    parts.push(s('text', { class: 'axis-title', x: rtl ? base - plotW / 2 : base + plotW / 2, y: h0 - 6,
      'text-anchor': 'middle', text: opts.valueTitle }));
  }
  const rows = opts.items.map((it) => [it.label, fmt(it.value), ...(it.note !== undefined ? [it.note] : [])]);
  const headers = [opts.labelTitle || '', opts.valueTitle || ''];
  if (opts.items.some((it) => it.note !== undefined)) headers.push(opts.noteTitle || '');
  return frame({ ...opts, w, h: h0, kind: 'bar' }, parts, headers, rows);
}
