/**
 * Text helpers shared by the SVG charts and the HTML report. Pure and
 * deterministic (no Intl, no locale): the same data gives the same bytes in
 * Node and in any browser.
 */

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for XML/HTML element content and quoted attribute values. */
export function escapeXml(text: string): string {
  // Control characters other than tab/newline are not allowed in XML 1.0: show them as U+FFFD.
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd');
}

/** Groups the digits of an unsigned integer string: 1234567 → 1,234,567. */
function groupDigits(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * A number with thousands separators: 1234567 → "1,234,567", 1234.5 → "1,234.5".
 * `maxFractionDigits` rounds the fraction (charts use 2); without it the
 * fraction is kept as JavaScript prints it. Exponent forms and NaN/±Infinity are printed as is.
 */
export function formatNumber(n: number, maxFractionDigits?: number): string {
  if (!Number.isFinite(n)) return String(n);
  let text = maxFractionDigits === undefined ? String(n) : roundedText(n, maxFractionDigits);
  if (/e/i.test(text)) return text;
  const negative = text.startsWith('-');
  if (negative) text = text.slice(1);
  const [int, frac] = text.split('.');
  return (negative ? '-' : '') + groupDigits(int!) + (frac ? '.' + frac : '');
}

function roundedText(n: number, digits: number): string {
  if (Math.abs(n) >= 1e21) return String(n);
  const fixed = n.toFixed(digits);
  const trimmed = fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
  return trimmed === '-0' ? '0' : trimmed;
}

/** Numeric text (a BIGINT beyond 2^53 arrives as text) with separators; other text unchanged. */
export function formatNumericText(text: string): string {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(text);
  return m ? m[1]! + groupDigits(m[2]!) + (m[3] ?? '') : text;
}

/** At most `max` characters (code points), ending in … when cut. */
export function truncate(text: string, max: number): { text: string; truncated: boolean } {
  const chars = Array.from(text);
  if (chars.length <= max) return { text, truncated: false };
  return { text: chars.slice(0, Math.max(1, max - 1)).join('') + '…', truncated: true };
}

/** Length in code points (what truncate counts). */
export function textLength(text: string): number {
  return Array.from(text).length;
}

/** A coordinate with at most two decimals, so output is short and identical everywhere. */
export function coord(n: number): string {
  const r = Math.round(n * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}
