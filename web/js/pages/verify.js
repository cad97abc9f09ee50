// Anyone, signed in or not: check a verification code or a workbook.
import { h, clear, asciiDigits } from '../dom.js';
import { t, nameOf, fmtDate } from '../i18n.js';
import { api, get } from '../api.js';
import { Form, input, heading, section, ltr, withNumber } from '../ui.js';

function kindText(k) { return t(`statement.kind.${k}`); }

function resultBox(box, r) {
  clear(box);
  if (r.valid === false || r.genuine === false) {
    box.className = 'result bad';
    box.append(h('p', { class: 'verdict', text: r.genuine === false ? t('verify.not_genuine') : t('verify.unknown') }));
    if (r.sha256) box.append(h('p', { class: 'mono', text: t('verify.sha', { sha: r.sha256 }) }));
    return;
  }
  box.className = 'result good';
  box.append(
    h('p', { class: 'verdict', text: r.genuine ? t('verify.genuine') : t('verify.valid') }),
    h('dl', {},
      h('dt', { text: t('verify.company') }), h('dd', {}, withNumber(nameOf(r, 'company_name'), r.est_id)),
      h('dt', { text: t('verify.kind') }), h('dd', { text: kindText(r.kind) }),
      h('dt', { text: t('verify.date') }), h('dd', { text: fmtDate(r.cycle_date) }),
      h('dt', { text: t('verify.code') }), h('dd', {}, ltr(r.verification_code, { class: 'mono' })),
      h('dt', { text: t('verify.sha256') }), h('dd', {}, ltr(r.sha256, { class: 'mono' }))));
}

export async function verifyPage(ctx) {
  const v = ctx.view;
  v.appendChild(heading(t('verify.title')));
  v.appendChild(h('p', { class: 'lead', text: t('verify.lead') }));

  const codeBox = h('div', { class: 'result', id: 'verify-code-result', 'aria-live': 'polite' });
  const f1 = new Form({ id: 'verify-code-form', class: 'narrow' });
  const code = f1.field('code', t('verify.code_label'),
    input({ dir: 'ltr', autocomplete: 'off', placeholder: 'XXXX-XXXX-XXXX', spellcheck: 'false' }), t('verify.code_hint'));
  f1.actions(h('button', { type: 'submit', class: 'primary', text: t('verify.check_code') }));
  const checkCode = async () => {
    clear(codeBox);
    codeBox.className = 'result';
    const c = asciiDigits(code.value.trim()).toUpperCase();
    if (!c) { f1.fieldError('code', t('err.required')); return; }
    try {
      resultBox(codeBox, await get(`/api/v1/statements/verify?code=${encodeURIComponent(c)}`, { noSignOut: true }));
    } catch (e) {
      if (e.status === 404) { resultBox(codeBox, { valid: false }); return; }
      if (!e.field) e.field = 'code';
      throw e;
    }
  };
  f1.onSubmit(checkCode);
  v.appendChild(section(t('verify.by_code'), f1.el, codeBox));
  // Opened from an email's link: the code is filled in and checked at once.
  const given = ctx.params[0];
  if (given) {
    code.value = given;
    try { await checkCode(); } catch (e) { f1.showError(e); }
  }

  const fileBox = h('div', { class: 'result', id: 'verify-file-result', 'aria-live': 'polite' });
  const f2 = new Form({ id: 'verify-file-form', class: 'narrow' });
  const file = f2.field('file', t('verify.file_label'),
    input({ type: 'file', accept: '.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
  f2.actions(h('button', { type: 'submit', class: 'primary', text: t('verify.check_file') }));
  f2.onSubmit(async () => {
    clear(fileBox);
    fileBox.className = 'result';
    if (!file.files.length) { f2.fieldError('file', t('err.file_required')); return; }
    try {
      resultBox(fileBox, await api('POST', '/api/v1/statements/verify',
        { body: file.files[0], contentType: 'application/octet-stream', noSignOut: true }));
    } catch (e) {
      e.field = 'file';
      throw e;
    }
  });
  v.appendChild(section(t('verify.by_file'), f2.el, fileBox));
}
