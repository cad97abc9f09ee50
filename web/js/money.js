import { asciiDigits } from './dom.js';

// "1,234.50" (or with Arabic-Indic digits, Arabic separators) in QAR to
// integer dirhams without floating point; null when not an amount.
export function parseQar(text) {
  const s = asciiDigits(String(text).trim()).replace(/[\u066c,\s]/g, '').replace('\u066b', '.');
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const frac = (m[2] || '').padEnd(2, '0');
  return Number(m[1]) * 100 + Number(frac);
}

// Dirhams as a plain editable amount: 150000 -> "1500.00".
export function qarText(dirhams) {
  if (dirhams === null || dirhams === undefined) return '';
  const whole = Math.floor(dirhams / 100);
  const frac = String(dirhams % 100).padStart(2, '0');
  return `${whole}.${frac}`;
}
