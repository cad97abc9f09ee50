// The OpenAPI document checked by validators that are not ours (issue 12 §4):
//  1. docs/openapi.json against the OpenAPI 3.0 meta-schema, strictly
//     (@seriousme/openapi-schema-validator);
//  2. real answers of the running stack against the documented schema of
//     their operation and status, with ajv in strict mode (allErrors, no
//     unknown keyword, no type coercion): a field documented as an enum
//     that the server sends as null fails unless the enum lists null, a
//     field the server sends that the schema does not name fails where the
//     schema is closed, and so on.
// Output in cmocka's words, counted by tests/run.sh.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const ROOT = process.env.RB_ROOT || path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const BASE = process.env.RB_BASE_URL;
const doc = JSON.parse(fs.readFileSync(path.join(ROOT, 'docs/openapi.json'), 'utf8'));

const results = [];
async function test(name, fn) {
  console.log(`[ RUN      ] ${name}`);
  try {
    await fn();
    console.log(`[       OK ] ${name}`);
    results.push([name, true]);
  } catch (e) {
    console.log(String(e && e.stack ? e.stack : e).split('\n').map((l) => `    ${l}`).join('\n'));
    console.log(`[  FAILED  ] ${name}`);
    results.push([name, false]);
  }
}

// ---- the document ------------------------------------------------------

await test('the document is valid OpenAPI 3.0 (strict meta-schema)', async () => {
  const v = new Validator();
  const r = await v.validate(structuredClone(doc));
  if (!r.valid) throw new Error(JSON.stringify(r.errors, null, 2).slice(0, 4000));
  if (v.version !== '3.0') throw new Error(`validated as OpenAPI ${v.version}, the document says ${doc.openapi}`);
});

// ---- the schemas, for ajv -----------------------------------------------

// OpenAPI 3.0's own schema keywords that JSON Schema does not have: kept as
// annotations (nullable is ajv's own, with OpenAPI's meaning).
const ajv = new Ajv({ strict: true, allErrors: true, coerceTypes: false, useDefaults: false,
  strictRequired: false, discriminator: true });
addFormats(ajv);
ajv.addVocabulary(['example', 'xml', 'externalDocs']);

// "#/components/schemas/X" -> "api#/$defs/X": every component in one schema.
function rewrite(o) {
  if (Array.isArray(o)) return o.map(rewrite);
  if (o && typeof o === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(o)) {
      out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')
        ? `api#/$defs/${v.slice('#/components/schemas/'.length)}` : rewrite(v);
    }
    return out;
  }
  return o;
}

await test('every component schema compiles under ajv strict mode', async () => {
  ajv.addSchema({ $id: 'api', $defs: rewrite(doc.components.schemas) });
  for (const name of Object.keys(doc.components.schemas)) ajv.getSchema(`api#/$defs/${name}`);
});

function resolve(o) {
  while (o && o.$ref) {
    const parts = o.$ref.replace(/^#\//, '').split('/');
    o = parts.reduce((a, p) => a[p], doc);
  }
  return o;
}

const compiled = new Map();
// The validator of (method, template, status)'s JSON body.
function validatorFor(method, template, status) {
  const key = `${method} ${template} ${status}`;
  if (compiled.has(key)) return compiled.get(key);
  const op = doc.paths[template]?.[method.toLowerCase()];
  if (!op) throw new Error(`${method} ${template} is not documented`);
  const resp = resolve(op.responses[String(status)] || op.responses.default);
  if (!resp) throw new Error(`${key}: status not documented`);
  const schema = resp.content?.['application/json']?.schema;
  if (!schema) throw new Error(`${key}: no JSON schema documented`);
  const v = ajv.compile(rewrite(schema));
  compiled.set(key, v);
  return v;
}

// ---- real answers ---------------------------------------------------------

class Session {
  constructor() { this.cookie = ''; this.csrf = ''; }

  async req(method, p, body) {
    const headers = { Accept: 'application/json' };
    if (this.cookie) headers.Cookie = this.cookie;
    if (this.csrf && method !== 'GET') headers['X-CSRF-Token'] = this.csrf;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(`${BASE}${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const set = r.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0];
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: r.status, json, text };
  }

  async signIn(username, password) {
    const r = await this.req('POST', '/api/v1/session', { username, password });
    if (r.status !== 201) throw new Error(`sign-in ${username}: ${r.status} ${r.text}`);
    this.csrf = r.json.csrf_token;
    return r;
  }
}

function check(method, template, r) {
  const v = validatorFor(method, template, r.status);
  if (r.json === null) throw new Error(`${method} ${template}: ${r.status} is not JSON: ${r.text.slice(0, 200)}`);
  if (!v(r.json)) {
    throw new Error(`${method} ${template} ${r.status}: ${ajv.errorsText(v.errors, { separator: '\n  ' })}\n`
      + `  body: ${r.text.slice(0, 600)}`);
  }
}

const users = {
  anon: new Session(),
  sig: new Session(),
  rev: new Session(),
  svc: new Session(),
  rep: new Session(),
};

await test('sign-in answers validate', async () => {
  check('POST', '/api/v1/session', await users.sig.signIn('27263410001', 'demo-signatory'));
  check('POST', '/api/v1/session', await users.rev.signIn('28863410006', 'demo-reviewer'));
  check('POST', '/api/v1/session', await users.svc.signIn('svc-visa', 'demo-service'));
  check('POST', '/api/v1/session', await users.rep.signIn('28560810004', 'demo-rep'));
  check('POST', '/api/v1/session', await users.anon.req('POST', '/api/v1/session',
    { username: '27263410001', password: 'wrong' }));
});

function psql(sql) {
  return execFileSync('psql', ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', process.env.RB_DB_OWNER_CONNINFO, '-c', sql],
    { encoding: 'utf8' }).trim();
}

// A company of this test's own (18500001: not in it_scheduler's bulk ranges; signatory 27263410001, so that
// the signatory's reads cover it), subscribed, with an alert and an
// execution on dates no other test uses: one employee renewed, one
// blocked by fines, one by a passport too short, so that statement and
// preview lines with and without reason, remedy and new expiry are read.
// Made once per stack (statements stay: the audit chain keeps what a
// cycle did); the cycles are no-ops when run again.
const OWN = '18500001';
const OWN_IBAN = 'QA88QNBA000000000000170000001';
const ALERT = '2043-03-01';
const EXEC = '2043-03-08';
function ownCompany() {
  if (psql(`SELECT count(*) FROM companies WHERE est_id = '${OWN}'`) === '0') {
    psql(`INSERT INTO companies (est_id, name_ar, name_en, email, language) VALUES
        ('${OWN}', 'شركة فحص الواجهة', 'API Check Trading', 'hr@api-check.example', 'en');
      INSERT INTO persons (qid, name_ar, name_en, nationality, citizen, mobile, language,
        in_country, status, permit_expiry, fines_dirhams) VALUES
        ('29935797002', 'أحمد', 'Ahmed', 'EGY', false, '+97455579702', 'en', true, 'active', '2043-03-20', 0),
        ('29935797003', 'راج', 'Raj', 'IND', false, '+97455579703', 'en', true, 'active', '2043-03-21', 70000),
        ('29935797004', 'بيتر', 'Peter', 'PHL', false, '+97455579704', 'en', true, 'active', '2043-03-22', 0);
      INSERT INTO passports (qid, number, expiry) VALUES
        ('29935797002', 'P9700201', '2050-01-01'), ('29935797003', 'P9700301', '2050-01-01'),
        ('29935797004', 'P9700401', '2043-05-01');
      INSERT INTO employment (qid, est_id, since) VALUES ('29935797002', '${OWN}', '2035-01-01'),
        ('29935797003', '${OWN}', '2035-01-01'), ('29935797004', '${OWN}', '2035-01-01');
      INSERT INTO signatories (qid, est_id) VALUES ('27263410001', '${OWN}');
      INSERT INTO bank_accounts (iban, est_id, balance_dirhams) VALUES ('${OWN_IBAN}', '${OWN}', 100000000);
      INSERT INTO renewal_settings (est_id, enabled, cap_dirhams, duration_years, email, mobile,
        language, delivery_address, updated_at) VALUES
        ('${OWN}', true, 10000000, 1, 'hr@api-check.example', '+97455579700', 'en', 'Doha', now());
      INSERT INTO renewal_subscriptions (est_id, reference, status, iban, authorizing_qid,
        submitted_by, submitted_at, reviewed_by, reviewed_at) VALUES
        ('${OWN}', 'RN-AP1C-0001', 'active', '${OWN_IBAN}', '27263410001', '27263410001', now(), 'reviewer', now());`);
  }
  const clock = process.env.RB_CLOCK_FILE;
  const saved = clock && fs.existsSync(clock) ? fs.readFileSync(clock, 'utf8') : null;
  try {
    for (const [kind, date] of [['alert', ALERT], ['execution', EXEC]]) {
      if (clock) fs.writeFileSync(clock, `${date}T05:00:00Z\n`);
      execFileSync(path.join(process.env.RB_BIN || path.join(ROOT, 'build'), 'rb-scheduler'), ['run', kind, date],
        { stdio: ['ignore', 'ignore', 'pipe'] });
    }
  } finally {
    if (clock) {
      if (saved === null) fs.rmSync(clock, { force: true });
      else fs.writeFileSync(clock, saved);
    }
  }
}

// The statements to read: the own company's (each kind), and one of each
// kind of any other company there is.
async function someStatements() {
  const mine = await users.sig.req('GET', `/api/v1/companies/${OWN}/statements`);
  check('GET', '/api/v1/companies/{est_id}/statements', mine);
  const kinds = new Set(mine.json.items.map((s) => s.kind));
  for (const k of ['alert', 'execution', 'debit_report']) {
    if (!kinds.has(k)) throw new Error(`the own company has no ${k} statement: ${JSON.stringify(mine.json)}`);
  }
  const r = await users.rev.req('GET', '/api/v1/backoffice/statements?limit=100');
  check('GET', '/api/v1/backoffice/statements', r);
  const seen = new Map();
  for (const s of r.json.items) if (s.est_id !== OWN && !seen.has(s.kind)) seen.set(s.kind, s);
  return [...mine.json.items, ...seen.values()];
}

// [who, method, template, path]: reads, and refusals the server documents.
const READS = [
  ['anon', 'GET', '/api/v1/health', '/api/v1/health'],
  ['anon', 'GET', '/api/v1/me', '/api/v1/me'],
  ['sig', 'GET', '/api/v1/me', '/api/v1/me'],
  ['rep', 'GET', '/api/v1/me', '/api/v1/me'],
  ['rev', 'GET', '/api/v1/me', '/api/v1/me'],
  ['sig', 'GET', '/api/v1/services', '/api/v1/services'],
  ['sig', 'GET', '/api/v1/sectors', '/api/v1/sectors'],
  ['sig', 'GET', '/api/v1/companies/{est_id}/grants', '/api/v1/companies/10000001/grants'],
  ['rep', 'GET', '/api/v1/companies/{est_id}/grants', '/api/v1/companies/10000002/grants'],
  ['sig', 'GET', '/api/v1/companies/{est_id}/employees', '/api/v1/companies/10000001/employees'],
  ['rev', 'GET', '/api/v1/companies/{est_id}/employees', '/api/v1/companies/10000003/employees'],
  ['rep', 'GET', '/api/v1/companies/{est_id}/employees', '/api/v1/companies/10000001/employees'],
  ['sig', 'GET', '/api/v1/companies/{est_id}/renewal', '/api/v1/companies/10000001/renewal'],
  ['sig', 'GET', '/api/v1/companies/{est_id}/renewal', '/api/v1/companies/10000002/renewal'],
  ['rev', 'GET', '/api/v1/companies/{est_id}/renewal', '/api/v1/companies/11000001/renewal'],
  ['sig', 'GET', '/api/v1/companies/{est_id}/renewal/preview', '/api/v1/companies/10000001/renewal/preview'],
  ['rev', 'GET', '/api/v1/companies/{est_id}/renewal/preview', '/api/v1/companies/11000001/renewal/preview'],
  ['sig', 'GET', '/api/v1/companies/{est_id}/exclusions', '/api/v1/companies/10000001/exclusions'],
  ['sig', 'GET', '/api/v1/companies/{est_id}/statements', '/api/v1/companies/10000001/statements'],
  ['sig', 'GET', '/api/v1/companies/{est_id}/renewal', `/api/v1/companies/${OWN}/renewal`],
  ['sig', 'GET', '/api/v1/companies/{est_id}/renewal/preview', `/api/v1/companies/${OWN}/renewal/preview?date=${EXEC}`],
  ['sig', 'GET', '/api/v1/companies/{est_id}/renewal/preview', `/api/v1/companies/${OWN}/renewal/preview?date=2043-03-22`],
  ['sig', 'GET', '/api/v1/companies/{est_id}/employees', `/api/v1/companies/${OWN}/employees`],
  ['rev', 'GET', '/api/v1/backoffice/dashboard', `/api/v1/backoffice/dashboard?from=${ALERT}&to=${EXEC}`],
  ['svc', 'GET', '/api/v1/authorize', '/api/v1/authorize?qid=28560810004&est_id=10000001&service=EXIT_PERMIT'],
  ['svc', 'GET', '/api/v1/authorize', '/api/v1/authorize?qid=28560810004&est_id=10000001&service=NO_SUCH'],
  ['svc', 'GET', '/api/v1/authorize',
    '/api/v1/authorize?qid=27263410001&est_id=10000001&service=EXIT_PERMIT&consistency=fully_consistent'],
  ['svc', 'GET', '/api/v1/persons/{qid}/authority', '/api/v1/persons/27263410001/authority'],
  ['svc', 'GET', '/api/v1/companies/{est_id}/authorized', '/api/v1/companies/10000001/authorized?service=EXIT_PERMIT'],
  ['svc', 'GET', '/api/v1/changes', '/api/v1/changes?after=0&limit=20&wait=0'],
  ['rev', 'GET', '/api/v1/backoffice/subscriptions', '/api/v1/backoffice/subscriptions?status=pending'],
  ['rev', 'GET', '/api/v1/backoffice/subscriptions', '/api/v1/backoffice/subscriptions?status=active'],
  ['rev', 'GET', '/api/v1/backoffice/subscriptions', '/api/v1/backoffice/subscriptions?status=rejected'],
  ['rev', 'GET', '/api/v1/backoffice/companies', '/api/v1/backoffice/companies?q=1'],
  ['rev', 'GET', '/api/v1/backoffice/outbox', '/api/v1/backoffice/outbox?status=sent'],
  ['rev', 'GET', '/api/v1/backoffice/outbox', '/api/v1/backoffice/outbox?status=failed'],
  ['rev', 'GET', '/api/v1/backoffice/outbox', '/api/v1/backoffice/outbox?status=pending'],
  ['rev', 'GET', '/api/v1/backoffice/decisions', '/api/v1/backoffice/decisions?limit=50'],
  ['rev', 'GET', '/api/v1/backoffice/dashboard', '/api/v1/backoffice/dashboard'],
  ['rev', 'GET', '/api/v1/backoffice/dashboard', '/api/v1/backoffice/dashboard?from=2026-12-01&to=2026-11-01'],
  ['sig', 'GET', '/api/v1/backoffice/dashboard', '/api/v1/backoffice/dashboard'],
  ['anon', 'GET', '/api/v1/statements/verify', '/api/v1/statements/verify?code=ZZZZ-ZZZZ-ZZZZ'],
  ['sig', 'GET', '/api/v1/companies/{est_id}/grants', '/api/v1/companies/99999999/grants'],
];

await test('real answers validate strictly against their documented schemas', async () => {
  ownCompany();
  const bad = [];
  const one = async (who, method, template, p, body) => {
    const r = await users[who].req(method, p, body);
    try { check(method, template, r); } catch (e) { bad.push(`${who} ${p}\n  ${e.message}`); }
    return r;
  };
  for (const [who, method, template, p] of READS) await one(who, method, template, p);
  // The statements there are, each kind: the answer with its lines, and
  // its verification by code (no sign-in).
  for (const s of await someStatements()) {
    await one('rev', 'GET', '/api/v1/statements/{id}', `/api/v1/statements/${s.id}`);
    await one('anon', 'GET', '/api/v1/statements/verify', `/api/v1/statements/verify?code=${s.verification_code}`);
  }
  // A bad body: every bad field listed.
  await one('sig', 'POST', '/api/v1/companies/{est_id}/grants', '/api/v1/companies/10000001/grants',
    { qid: 'x', services: [], valid_until: 'never' });
  if (bad.length) throw new Error(`${bad.length} answer(s) do not validate:\n${bad.join('\n')}`);
});

// A schema that allowed anything would pass everything: the validators
// must refuse what the server must not send.
await test('the validators refuse what the document forbids', async () => {
  const me = validatorFor('GET', '/api/v1/backoffice/dashboard', 200);
  const good = { queue: { pending: 0 }, cycles: [], rejections_by_reason: [], debits_by_bank: [] };
  if (!me(good)) throw new Error(ajv.errorsText(me.errors));
  for (const wrong of [
    { ...good, extra: 1 },
    { ...good, queue: { pending: -1 } },
    { ...good, rejections_by_reason: [{ reason: null, count: 1 }] },
    { ...good, rejections_by_reason: [{ reason: 'NOT_A_REASON', count: 1 }] },
  ]) if (me(wrong)) throw new Error(`accepted ${JSON.stringify(wrong)}`);
  const line = ajv.getSchema('api#/$defs/StatementLine');
  if (!line) throw new Error('no StatementLine schema');
});

const failed = results.filter(([, ok]) => !ok).map(([n]) => n);
console.log(`[==========] ${results.length} test(s) run.`);
console.log(`[  PASSED  ] ${results.length - failed.length} test(s).`);
if (failed.length) {
  console.log(`[  FAILED  ] ${failed.length} test(s), listed below:`);
  for (const f of failed) console.log(`[  FAILED  ] ${f}`);
}
process.exit(failed.length ? 1 : 0);
