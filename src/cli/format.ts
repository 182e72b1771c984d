/** Text output: aligned tables (with East Asian wide characters counted as two columns), bars, numbers. */

/** Display width of a string in a terminal: wide CJK and emoji count 2, combining marks 0. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || (c >= 0x7f && c < 0xa0)) continue;
    if ((c >= 0x300 && c <= 0x36f) || c === 0x200d || (c >= 0xfe00 && c <= 0xfe0f) || (c >= 0x1f3fb && c <= 0x1f3ff))
      continue;
    w += isWide(c) ? 2 : 1;
  }
  return w;
}

function isWide(c: number): boolean {
  return (
    (c >= 0x1100 && c <= 0x115f) ||
    (c >= 0x2e80 && c <= 0xa4cf) ||
    (c >= 0xac00 && c <= 0xd7a3) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff00 && c <= 0xff60) ||
    (c >= 0xffe0 && c <= 0xffe6) ||
    (c >= 0x1f300 && c <= 0x1faff) ||
    (c >= 0x20000 && c <= 0x3fffd)
  );
}

function pad(s: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(s)));
  return align === 'left' ? s + fill : fill + s;
}

export interface TableOptions {
  /** Per column; default left. */
  align?: ('left' | 'right')[];
  /** Prefix of every line. */
  indent?: string;
  /** Draw a rule under the first row (the header). */
  header?: boolean;
}

/** Rows of cells -> aligned lines (no trailing spaces), '\n'-terminated. */
export function table(rows: string[][], { align = [], indent = '', header = true }: TableOptions = {}): string {
  if (rows.length === 0) return '';
  const cols = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: cols }, (_, c) => Math.max(...rows.map((r) => displayWidth(r[c] ?? ''))));
  const line = (r: string[]) =>
    indent +
    widths
      .map((w, c) => pad(r[c] ?? '', w, align[c] ?? 'left'))
      .join('  ')
      .trimEnd();
  const out = rows.map(line);
  if (header && rows.length > 1) out.splice(1, 0, indent + widths.map((w) => '─'.repeat(w)).join('  '));
  return out.join('\n') + '\n';
}

/** A horizontal bar of `width` cells for a value in [0, 1], in eighths. */
export function bar(fraction: number, width = 20): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const eighths = Math.round(f * width * 8);
  const partial = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'][eighths % 8];
  return '█'.repeat(Math.floor(eighths / 8)) + partial;
}

export function percent(p: number, digits = 2): string {
  return `${(100 * p).toFixed(digits)}%`;
}

/** Shortens to `max` display columns with an ellipsis. */
export function ellipsize(s: string, max: number): string {
  if (displayWidth(s) <= max) return s;
  let out = '';
  for (const ch of s) {
    if (displayWidth(out + ch) > max - 1) break;
    out += ch;
  }
  return out + '…';
}

/** A prompt as shown in tables: quoted, control characters escaped, shortened. */
export function quote(s: string, max = 40): string {
  const escaped = JSON.stringify(s).slice(1, -1);
  return `"${ellipsize(escaped, max - 2)}"`;
}

/** `[a, b, c, …, z]` with 4 significant digits. */
export function vectorPreview(v: ArrayLike<number>, head = 4): string {
  const n = (x: number) => (Number.isFinite(x) ? x.toPrecision(4) : String(x));
  const items = Array.from(v as ArrayLike<number>);
  if (items.length <= head + 1) return `[${items.map(n).join(', ')}]`;
  return `[${items.slice(0, head).map(n).join(', ')}, …, ${n(items[items.length - 1])}]`;
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** Nested number arrays from typed arrays, for JSON (full float precision). */
export function rows(arrays: readonly ArrayLike<number>[]): number[][] {
  return arrays.map((a) => Array.from(a));
}
