// A small harness for the browser tests: cmocka-like lines that
// tests/run.sh counts, Debian's chromium through playwright-core, and
// helpers shared by the scenarios.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const BASE = process.env.RB_BASE_URL;
export const ROOT = process.env.RB_ROOT || path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const TMP = fs.mkdtempSync(path.join(process.env.TMPDIR || '/tmp', 'web-e2e-'));
export const SHOTS = process.env.RB_SCREENSHOTS || '';

const tests = [];
export function test(name, fn) { tests.push({ name, fn }); }

let browser;
const problems = [];

export async function newPage(opts = {}) {
  const ctx = await browser.newContext({ ignoreHTTPSErrors: true, acceptDownloads: true,
    viewport: opts.viewport || { width: 1280, height: 900 }, locale: opts.locale || 'en-GB',
    timezoneId: 'Asia/Qatar' });
  const page = await ctx.newPage();
  // Generous: the suite runs beside sanitizer-built servers on two cores.
  page.setDefaultTimeout(30000);
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
  });
  return page;
}

// Waits until the app finished rendering route r (main[data-ready]).
export async function ready(page, r) {
  await page.waitForFunction((want) => document.querySelector('main')?.dataset.ready === want, r || 'home');
}

export async function go(page, r) {
  await page.goto(`${BASE}/#/${r}`);
  await ready(page, r);
}

export async function signIn(page, user, password, lang) {
  await page.goto(`${BASE}/#/signin`);
  await ready(page, 'signin');
  if (lang) await setLang(page, lang);
  await page.fill('#signin-form input[name=username]', user);
  await page.fill('#signin-form input[name=password]', password);
  await page.click('#signin-form button[type=submit]');
  await ready(page, 'home');
}

export async function setLang(page, lang) {
  const r = await page.evaluate(() => document.querySelector('main').dataset.ready);
  await page.selectOption('#pref-lang', lang);
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  await ready(page, r);
}

export async function shot(page, name) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

// The API as the page's signed-in user (same cookies).
export async function apiGet(page, p) {
  const r = await page.request.get(`${BASE}${p}`);
  if (!r.ok()) throw new Error(`GET ${p}: ${r.status()} ${await r.text()}`);
  return r.json();
}

export function psql(sql) {
  return execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', process.env.RB_DB_OWNER_CONNINFO, '-c', sql],
    { encoding: 'utf8' }).trim();
}

// Removes a test's own company est and persons qids, with everything
// that hangs on them, so that a test can make them afresh.
export function dropCompany(est, qids) {
  psql(`DELETE FROM renewal_exclusions WHERE est_id = '${est}';
    DELETE FROM renewal_subscriptions WHERE est_id = '${est}';
    DELETE FROM renewal_settings WHERE est_id = '${est}';
    DELETE FROM grants WHERE est_id = '${est}';
    DELETE FROM bank_accounts WHERE est_id = '${est}';
    DELETE FROM signatories WHERE est_id = '${est}';
    DELETE FROM employment WHERE est_id = '${est}';
    DELETE FROM persons WHERE qid IN (${qids.map((q) => `'${q}'`).join(', ')});
    DELETE FROM companies WHERE est_id = '${est}';`);
}

export function sh(cmd, args, env) {
  return execFileSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

export async function run() {
  browser = await chromium.launch({ executablePath: process.env.RB_CHROMIUM || '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  const failed = [];
  for (const t of tests) {
    console.log(`[ RUN      ] ${t.name}`);
    const before = problems.length;
    try {
      await t.fn();
      if (problems.length > before) throw new Error(problems.slice(before).join('\n'));
      console.log(`[       OK ] ${t.name}`);
    } catch (e) {
      console.log(String(e && e.stack ? e.stack : e).split('\n').map((l) => `    ${l}`).join('\n'));
      console.log(`[  FAILED  ] ${t.name}`);
      failed.push(t.name);
    }
  }
  await browser.close();
  fs.rmSync(TMP, { recursive: true, force: true });
  console.log(`[==========] ${tests.length} test(s) run.`);
  console.log(`[  PASSED  ] ${tests.length - failed.length} test(s).`);
  if (failed.length) {
    console.log(`[  FAILED  ] ${failed.length} test(s), listed below:`);
    for (const f of failed) console.log(`[  FAILED  ] ${f}`);
  }
  return failed.length ? 1 : 0;
}
