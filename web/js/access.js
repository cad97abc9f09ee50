// What the signed-in person may see of a company, from GET /me. The server
// decides; this only avoids offering pages that would answer 403.
export function isReviewer(me) {
  return !!me && (me.groups || []).includes('reviewers');
}

export function isSignatory(me, est) {
  return !!me && (me.signatory_of || []).some((c) => c.est_id === est);
}

export function servicesFor(me, est) {
  return new Set((me?.grants || []).filter((g) => g.est_id === est).map((g) => g.service));
}

export function companyAccess(me, est) {
  const sig = isSignatory(me, est);
  const rev = isReviewer(me);
  const svc = servicesFor(me, est);
  const manage = svc.has('RENEWAL_MANAGE');
  const view = svc.has('STATEMENTS_VIEW');
  return {
    signatory: sig,
    reviewer: rev,
    grants: sig || rev,
    grantEdit: sig,
    renewal: sig || rev || manage,
    renewalEdit: sig || manage,
    subscribe: sig,
    statements: sig || rev || view,
    any: sig || rev || manage || view,
  };
}

// Companies whose pages a representative may open, with their names.
export function grantedCompanies(me) {
  const by = new Map();
  for (const g of me?.grants || []) {
    if (g.service !== 'RENEWAL_MANAGE' && g.service !== 'STATEMENTS_VIEW') continue;
    if (!by.has(g.est_id)) by.set(g.est_id, { est_id: g.est_id, name_en: g.company_name_en, name_ar: g.company_name_ar });
  }
  return [...by.values()];
}

// Names seen so far (a reviewer reaches companies from search results).
const names = new Map();
export function rememberCompany(c) {
  if (c && c.est_id && (c.name_en || c.company_name_en)) {
    names.set(c.est_id, { name_en: c.name_en || c.company_name_en, name_ar: c.name_ar || c.company_name_ar });
  }
}
export function companyName(me, est) {
  const s = (me?.signatory_of || []).find((c) => c.est_id === est);
  if (s) return s;
  const g = (me?.grants || []).find((x) => x.est_id === est);
  if (g) return { name_en: g.company_name_en, name_ar: g.company_name_ar };
  return names.get(est) || null;
}
