import { h } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { Form, input, heading } from '../ui.js';

export async function signinPage(ctx) {
  const v = ctx.view;
  v.appendChild(heading(t('signin.title')));
  if (ctx.notice) v.appendChild(h('p', { class: 'notice', role: 'status', id: 'notice', text: ctx.notice }));
  v.appendChild(h('p', { class: 'lead', text: t('signin.lead') }));
  const f = new Form({ class: 'narrow', id: 'signin-form' });
  const user = f.field('username', t('signin.username'),
    input({ autocomplete: 'username', required: true, dir: 'ltr', inputmode: 'text' }), t('signin.username_hint'));
  const pass = f.field('password', t('signin.password'),
    input({ type: 'password', autocomplete: 'current-password', required: true, dir: 'ltr' }));
  f.actions(h('button', { type: 'submit', class: 'primary', text: t('signin.submit') }));
  f.onSubmit(async () => {
    if (!user.value.trim()) { f.fieldError('username', t('err.required')); return; }
    if (!pass.value) { f.fieldError('password', t('err.required')); return; }
    let s;
    try {
      s = await api('POST', '/api/v1/session', { json: { username: user.value.trim(), password: pass.value }, noSignOut: true });
    } catch (e) {
      // Wrong credentials belong to the password field.
      if (e.code === 'invalid_credentials') e.field = 'password';
      throw e;
    }
    pass.value = '';
    await ctx.signedIn(s);
  });
  v.appendChild(f.el);
  v.appendChild(h('p', {}, h('a', { href: '#/verify', text: t('signin.verify_link') })));
}
