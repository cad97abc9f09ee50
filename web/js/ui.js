// Shared pieces of the pages: forms whose errors sit next to their field,
// tables, confirmation dialogs, and the texts of API errors.
import { h, clear, uid } from './dom.js';
import { t, has, fmtDigits, fmtText } from './i18n.js';

// The text of an API error in the user's language: a catalogue entry for
// the code and field, then for the code, then the server's own message.
export function errText(e) {
  if (!e || e.code === undefined) return t('err.unexpected');
  if (e.field && has(`err.${e.code}.${e.field}`)) return t(`err.${e.code}.${e.field}`);
  if (has(`err.${e.code}`)) return t(`err.${e.code}`);
  if (e.serverMessage) return e.serverMessage;
  return t('err.unexpected');
}

// Why a CSV line is bad, from its code; the server's English sentence
// when the code is new.
export function csvReasonText(line) {
  return has(`csv.reason.${line.code}`) ? t(`csv.reason.${line.code}`) : line.reason;
}

export class Form {
  constructor(attrs = {}) {
    this.el = h('form', { novalidate: true, ...attrs });
    this.fields = {};
    this.local = {};
    this.msg = h('p', { class: 'form-error', role: 'alert' });
    this.ok = h('p', { class: 'form-ok', role: 'status' });
  }

  // Adds a labelled control with its own error slot; returns the control.
  // opts.required marks it (a visible * and the required state) as the API
  // requires it; the form then says once what the mark means.
  field(name, labelText, input, hintText, opts = {}) {
    const id = input.id || uid(`f-${name}`);
    input.id = id;
    input.name = input.name || name;
    const err = h('p', { class: 'field-error', id: `${id}-err` });
    const described = [`${id}-err`];
    let hint = null;
    if (hintText) {
      hint = h('p', { class: 'hint', id: `${id}-hint`, text: fmtText(hintText) });
      described.unshift(`${id}-hint`);
    }
    input.setAttribute('aria-describedby', described.join(' '));
    const isCheck = input.type === 'checkbox';
    const label = h('label', { for: id, text: labelText });
    if (opts.required) this.markRequired(label, input);
    const control = input.type === 'file' ? fileControl(input, id) : input;
    const wrap = h('div', { class: isCheck ? 'field check' : 'field', 'data-field': name },
      isCheck ? [input, label] : [label, control], hint, err);
    this.fields[name] = { input, err, wrap };
    this.el.appendChild(wrap);
    return input;
  }

  // The mark of a required field: a * read out as "required" with the
  // label, and the control's native required state (the form is
  // novalidate: the browser blocks nothing, the errors are ours, in the
  // page's language). A fieldset has no required state: its legend says it.
  markRequired(labelEl, control) {
    labelEl.append(' ', h('span', { class: 'req', 'aria-hidden': 'true', text: '*' }),
      h('span', { class: 'visually-hidden', text: ` (${t('form.required')})` }));
    if (/^(INPUT|SELECT|TEXTAREA)$/.test(control.tagName)) control.required = true;
    if (!this.legend) {
      this.legend = h('p', { class: 'hint req-legend', text: t('form.required_legend') });
      this.el.prepend(this.legend);
    }
  }

  // A group of checkboxes under one legend, with one error slot.
  group(name, legendText, boxes, opts = {}) {
    const err = h('p', { class: 'field-error', id: uid(`g-${name}`) });
    const legend = h('legend', { text: legendText });
    const fs = h('fieldset', { class: 'field group', 'data-field': name, 'aria-describedby': err.id },
      legend, boxes, err);
    if (opts.required) this.markRequired(legend, fs);
    this.fields[name] = { input: fs, err, wrap: fs };
    this.el.appendChild(fs);
    return fs;
  }

  add(...nodes) {
    for (const n of nodes) this.el.appendChild(n);
  }

  actions(...buttons) {
    this.el.appendChild(h('div', { class: 'actions' }, buttons, this.msg, this.ok));
  }

  // Marks fields already added as required (see field()).
  require(...names) {
    for (const n of names) {
      const f = this.fields[n];
      if (!f) continue;
      const labelEl = f.wrap.querySelector(':scope > label, :scope > legend');
      if (labelEl && !labelEl.querySelector('.req')) this.markRequired(labelEl, f.input);
    }
  }

  // What the page itself found wrong with a field before sending: the
  // request still goes, so that the API's answer names every other bad
  // field too, and this text stands at the field instead of the API's.
  localError(name, text) {
    this.local[name] = text;
  }

  clear() {
    this.local = {};
    this.msg.textContent = '';
    this.ok.textContent = '';
    for (const f of Object.values(this.fields)) {
      f.err.textContent = '';
      f.input.removeAttribute('aria-invalid');
    }
  }

  // An API error: each bad field at its field (error.fields), the first
  // focused; what belongs to no field of this form, above the buttons.
  showError(e) {
    const list = e && Array.isArray(e.fields) && e.fields.length ? e.fields
      : [{ field: e?.field, code: e?.code, message: e?.serverMessage }];
    const at = [];
    const rest = [];
    for (const x of list) {
      // The answer's code for its own field; the top code for the rest.
      const one = { code: x.code ?? e?.code, field: x.field, serverMessage: x.message || e?.serverMessage };
      if (x.field && this.fields[x.field]) at.push([x.field, this.local[x.field] ?? errText(one)]);
      else rest.push(errText(one));
    }
    for (const [name, text] of Object.entries(this.local)) {
      if (!at.some(([n]) => n === name)) at.push([name, text]);
    }
    if (at.length) this.fieldErrors(at);
    if (rest.length) this.msg.textContent = [...new Set(rest)].join(' ');
  }

  fieldError(name, text) {
    this.fieldErrors([[name, text]]);
  }

  // Several fields at once, [[name, text], ...]: each shows its own, the
  // first is focused (its text is read with it through aria-describedby).
  fieldErrors(pairs) {
    let first = null;
    for (const [name, text] of pairs) {
      const f = this.fields[name];
      if (!f) continue;
      f.err.textContent = text;
      f.input.setAttribute('aria-invalid', 'true');
      if (!first) first = f;
    }
    if (first && typeof first.input.focus === 'function') first.input.focus();
  }

  done(text) { this.ok.textContent = text; }

  onSubmit(fn) {
    this.el.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      this.clear();
      const btns = this.el.querySelectorAll('button[type=submit]');
      btns.forEach((b) => { b.disabled = true; });
      try {
        await fn();
      } catch (e) {
        this.showError(e);
      } finally {
        btns.forEach((b) => { b.disabled = false; });
      }
    });
  }
}

// A file input's own button and "no file" text are in the browser's
// language, not the page's: the input stays (focusable, keyboard-operable,
// named by the field's label) but out of sight, and a button-like label in
// the page's language with the chosen file's name stands in for it.
function fileControl(input, id) {
  const chosen = h('span', { class: 'file-name', 'aria-hidden': 'true', text: t('common.no_file') });
  input.classList.add('file-native');
  input.addEventListener('change', () => {
    chosen.textContent = input.files && input.files.length ? input.files[0].name : t('common.no_file');
  });
  return h('span', { class: 'file-control' }, input,
    h('label', { for: id, class: 'file-pick', 'aria-hidden': 'true', text: t('common.choose_file') }), chosen);
}

// A value written left to right whatever the page's direction (a QID, an
// establishment number, IBAN, reference, verification code, email, a
// +974 number): an isolate of its own, so that in Arabic it stays whole
// and beside its label, and "+974…" is not turned into "…974+". A <bdi>
// isolates by itself; dir="ltr" fixes its direction (app.css isolates
// every dir="ltr" element too, for inputs and the browsers of old).
// attrs go on the element (class, id); extra classes after "ltr".
export function ltr(value, attrs = {}) {
  const { class: cls, ...rest } = attrs;
  return h('bdi', { dir: 'ltr', class: cls ? `ltr ${cls}` : 'ltr', ...rest, text: value ?? '' });
}

// A QID or establishment number: its digits follow the digit setting.
export function ltrDigits(value, attrs = {}) {
  return ltr(fmtDigits(value), attrs);
}

// A person in a table cell: the name, and the QID under it.
export function personCell(name, qid) {
  return h('span', {}, name, h('br'), ltrDigits(qid, { class: 'mono muted' }));
}

// "Name (15000057)": a name with its number beside it, isolated.
export function withNumber(name, num) {
  return name ? h('span', {}, `${name} (`, ltrDigits(num), ')') : ltrDigits(num);
}

export function input(attrs = {}) {
  return h('input', { type: 'text', ...attrs });
}

export function select(options, value, attrs = {}) {
  return h('select', attrs, options.map(([v, label]) =>
    h('option', { value: v, selected: String(v) === String(value) ? true : null, text: label })));
}

export function button(text, attrs = {}) {
  return h('button', { type: 'button', ...attrs, text });
}

// A table inside a scrolling box (phones), with a caption.
export function table(caption, headers, rows, attrs = {}) {
  return h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': caption },
    h('table', attrs,
      h('caption', { text: caption }),
      h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col', text: x })))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c)))))));
}

export function empty(text) {
  return h('p', { class: 'empty', text });
}

export function heading(text) {
  return h('h1', { tabindex: -1, text });
}

export function section(title, ...children) {
  const id = uid('sec');
  return h('section', { 'aria-labelledby': id }, h('h2', { id, text: title }), children);
}

// An inline error slot for an action that is not a form (a row's button).
export function actionError() {
  return h('span', { class: 'action-error', role: 'alert' });
}

// A modal confirmation in the user's language; resolves true or false.
export function confirmDialog(message, confirmText) {
  return new Promise((resolve) => {
    const dlg = h('dialog', { class: 'confirm', 'aria-labelledby': 'confirm-msg' });
    const yes = button(confirmText, { class: 'danger', 'data-confirm': 'yes' });
    const no = button(t('common.cancel'), { 'data-confirm': 'no' });
    dlg.append(h('p', { id: 'confirm-msg', text: message }), h('div', { class: 'actions' }, yes, no));
    const back = document.activeElement;
    const finish = (v) => {
      dlg.close();
      dlg.remove();
      // Focus returns to what opened the dialog, when it is still there.
      if (back && back.isConnected) back.focus();
      resolve(v);
    };
    yes.addEventListener('click', () => finish(true));
    no.addEventListener('click', () => finish(false));
    dlg.addEventListener('cancel', (ev) => { ev.preventDefault(); finish(false); });
    document.body.appendChild(dlg);
    dlg.showModal();
    no.focus();
  });
}

export function loading(main) {
  clear(main);
  main.appendChild(h('p', { class: 'loading', role: 'status', text: t('common.loading') }));
}

export function badge(kind, text) {
  return h('span', { class: `badge badge-${kind}`, text });
}

// Paging of a list answer {total, limit, offset}: "1–50 of 243" with
// previous and next; load(offset) fetches and shows another page.
export function pager(r, load, id) {
  if (r.total <= r.limit && r.offset === 0) return null;
  const from = r.total ? r.offset + 1 : 0;
  const to = Math.min(r.offset + r.limit, r.total);
  const prev = button(t('common.previous'), { class: 'small', 'data-page': 'prev', disabled: r.offset === 0 ? true : null,
    onclick: () => load(Math.max(0, r.offset - r.limit)) });
  const next = button(t('common.next'), { class: 'small', 'data-page': 'next', disabled: to >= r.total ? true : null,
    onclick: () => load(r.offset + r.limit) });
  return h('nav', { class: 'pager', id, 'aria-label': t('common.pages') },
    h('span', { class: 'pager-text', text: t('common.range', { from, to, total: r.total }) }), prev, next);
}
