const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for HTML content and attribute values. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** A number in at most 4 significant digits (exponent form when tiny or huge); `–` when absent. */
export function formatNumber(value: number | undefined): string {
  if (value === undefined) return '–';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-4 || magnitude >= 1e6) return value.toExponential(3);
  const text = value.toPrecision(4);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text; // 0.5000 → 0.5, but 1000 stays 1000
}
