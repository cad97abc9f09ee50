// The e-service catalogue (GET /services), fetched once per page load.
import { get } from './api.js';
import { nameOf } from './i18n.js';

let cache = null;
export async function services() {
  if (!cache) {
    const r = await get('/api/v1/services?limit=500');
    cache = r.items;
  }
  return cache;
}

export function serviceName(list, code) {
  const s = (list || []).find((x) => x.code === code);
  return s ? nameOf(s) : code;
}
