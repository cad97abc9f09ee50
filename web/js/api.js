// The JSON API: CSRF header on unsafe methods, errors as ApiError, and
// downloads fetched first so that a refusal is shown, not navigated to.
let csrf = null;
let onSignedOut = null;
const listeners = [];

export class ApiError extends Error {
  constructor(status, err) {
    super(err?.message || `HTTP ${status}`);
    this.status = status;
    this.code = err?.code || 'http_error';
    this.field = err?.field || null;
    // Every bad field, each {field, code, message}: the API lists them all
    // (a single one too); an older answer with only error.field is a list of one.
    this.fields = Array.isArray(err?.fields) ? err.fields
      : (err?.field ? [{ field: err.field, code: this.code, message: err?.message || '' }] : []);
    this.lines = err?.lines || null;
    this.serverMessage = err?.message || '';
  }
}

export function setCsrf(token) { csrf = token; }
export function setSignedOutHandler(fn) { onSignedOut = fn; }
// fn() is called after every answered request (the session's idle clock).
export function onActivity(fn) { listeners.push(fn); }

async function send(method, path, opts = {}) {
  const headers = {};
  let body;
  if (opts.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = opts.contentType || 'application/octet-stream';
    body = opts.body;
  }
  if (method !== 'GET' && method !== 'HEAD' && csrf) headers['X-CSRF-Token'] = csrf;
  let r;
  try {
    r = await fetch(path, { method, headers, body, credentials: 'same-origin', cache: 'no-store' });
  } catch {
    throw new ApiError(0, { code: 'network', message: '' });
  }
  for (const fn of listeners) fn(path);
  if (r.status === 401 && !opts.noSignOut && onSignedOut) onSignedOut();
  return r;
}

async function errorOf(r) {
  let data = null;
  try { data = await r.json(); } catch { /* not JSON */ }
  return new ApiError(r.status, data?.error);
}

export async function api(method, path, opts) {
  const r = await send(method, path, opts);
  if (!r.ok) throw await errorOf(r);
  if (r.status === 204) return null;
  return r.json();
}

export const get = (path, opts) => api('GET', path, opts);

function filenameOf(r, fallback) {
  const cd = r.headers.get('Content-Disposition') || '';
  const m = /filename="?([^";]+)"?/.exec(cd);
  return m ? m[1] : fallback;
}

// Fetches a file and hands it to the browser as a download.
export async function download(path, fallbackName) {
  const r = await send('GET', path);
  if (!r.ok) throw await errorOf(r);
  const blob = await r.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filenameOf(r, fallbackName);
  a.hidden = true;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

// A multipart upload (issue 15 §3: the enrollment's documents) through
// XMLHttpRequest, whose upload events tell how much was sent:
// onProgress(sent, total) as it goes. Answers and errors as api().
export function upload(method, path, formData, onProgress) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open(method, path);
    x.withCredentials = true;
    if (csrf) x.setRequestHeader('X-CSRF-Token', csrf);
    x.upload.addEventListener('progress', (ev) => {
      if (onProgress && ev.lengthComputable) onProgress(ev.loaded, ev.total);
    });
    // A small body may be sent before any progress event: its end is 100%.
    x.upload.addEventListener('load', () => { if (onProgress) onProgress(1, 1); });
    x.addEventListener('error', () => reject(new ApiError(0, { code: 'network', message: '' })));
    x.addEventListener('load', () => {
      for (const fn of listeners) fn(path);
      if (x.status === 401 && onSignedOut) onSignedOut();
      let data = null;
      try { data = JSON.parse(x.responseText); } catch { /* not JSON */ }
      if (x.status >= 200 && x.status < 300) resolve(data);
      else reject(new ApiError(x.status, data?.error));
    });
    x.send(formData);
  });
}
