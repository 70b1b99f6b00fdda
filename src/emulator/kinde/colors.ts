/**
 * Brand colours: written as hex strings, read back as `{raw, hex, hsl}` objects (the spec's read shape), so a client
 * that compares what it wrote with what it reads has to look inside the object.
 */
import { badRequest } from './replies.js';

export interface ColorView {
  readonly raw: string;
  readonly hex: string;
  readonly hsl: string;
}

const hexPattern = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

/** Throws the 400 Kinde gives for a colour it cannot read. */
export function checkColor(field: string, value: string): string {
  if (!hexPattern.test(value)) throw badRequest('INVALID_COLOR', `${field} must be a hex colour such as #0056f1 or #fff`);
  return value;
}

/** `raw` is what was written; `hex` spells shorthand out (`#fff` → `#ffffff`) and keeps the letters' case, as the spec's examples do. */
export function colorView(raw: string): ColorView {
  const digits = raw.slice(1);
  const hex = `#${digits.length === 3 ? [...digits].map((d) => d + d).join('') : digits}`;
  return { raw, hex, hsl: toHsl(hex) };
}

function toHsl(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  const d = max - min;
  let h = 0;
  let s = 0;
  if (d !== 0) {
    s = d / (1 - Math.abs(2 * l - 1));
    if (max === r) h = ((g - b) / d) % 6;
    else if (max === g) h = (b - r) / d + 2;
    else h = (r - g) / d + 4;
    h = (h * 60 + 360) % 360;
  }
  return `hsl(${Math.round(h)}, ${Math.round(s * 100)}%, ${Math.round(l * 100)}%)`;
}
