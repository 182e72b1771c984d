/** Human-readable sizes, speeds and durations for progress lines. */

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  if (n < 1024) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n / 1000;
  let i = 0;
  for (; v >= 1000 && i < units.length - 1; i++) v /= 1000;
  // Three significant digits: "4.19 MB", "13.7 MB", "605 MB".
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

export function formatSpeed(bytesPerSecond: number): string {
  return bytesPerSecond > 0 ? `${formatBytes(bytesPerSecond)}/s` : '';
}

export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '';
  if (seconds < 1) return 'under a second';
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** "92.4%", "0.31%", "<0.01%": enough digits to tell small probabilities apart. */
export function formatPercent(p: number): string {
  const pc = p * 100;
  if (pc >= 99.95 && p < 1) return '>99.9%';
  if (pc >= 10) return `${pc.toFixed(1)}%`;
  if (pc >= 0.01) return `${pc.toPrecision(2)}%`;
  return pc > 0 ? '<0.01%' : '0%';
}

export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}
