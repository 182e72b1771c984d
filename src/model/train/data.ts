/**
 * Platform-neutral pieces of the training data (the CLI's files and the playground's dropped ones
 * both use them): open_clip's delimited caption files, and the seeded order of each epoch.
 */
import { ClipError } from '../../errors.ts';

/** Rows of a delimited file; fields may be double-quoted ("" inside is a quote), as pandas writes them. */
export function parseDelimited(text: string, sep: string, file = 'text'): string[][] {
  const rows: string[][] = [];
  let row: string[] = [],
    field = '',
    quoted = false,
    i = 0,
    quoteRow = 0;
  const t = text.replace(/^\uFEFF/, '');
  while (i < t.length) {
    const c = t[i];
    if (quoted) {
      if (c === '"' && t[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') {
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      quoteRow = rows.length + 1;
      i++;
      continue;
    }
    if (t.startsWith(sep, i)) {
      row.push(field);
      field = '';
      i += sep.length;
      continue;
    }
    if (c === '\n' || c === '\r') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += c === '\r' && t[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    field += c;
    i++;
  }
  if (quoted) throw new ClipError('input', `${file} row ${quoteRow}: a quoted field is never closed.`);
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** mulberry32 of (seed, epoch): a deterministic shuffle per epoch. */
export function epochOrder(n: number, seed: number, epoch: number, shuffle: boolean): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  if (!shuffle) return order;
  let a = (seed * 0x9e3779b1 + epoch * 0x85ebca6b) >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
