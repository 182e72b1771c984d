/** Download progress for a terminal: one rewritten line on a TTY, occasional plain lines otherwise. */
import type { HubDownloadProgress } from './download.ts';

const MB = 1e6;

function duration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '--:--';
  const s = Math.round(seconds),
    h = Math.floor(s / 3600),
    m = Math.floor((s % 3600) / 60);
  const mmss = `${String(m).padStart(h ? 2 : 1, '0')}:${String(s % 60).padStart(2, '0')}`;
  return h ? `${h}:${mmss}` : mmss;
}

/** e.g. `model.safetensors  45%  270.1/600.0 MB  35.2 MB/s  ETA 0:09`. */
export function formatProgress(p: HubDownloadProgress): string {
  if (p.skipped) return `${p.file}  already complete (${(p.bytes / MB).toFixed(1)} MB)`;
  const known = p.total !== undefined && p.total > 0;
  const pct = known ? `${Math.floor((100 * p.bytes) / p.total!)}%`.padStart(4) : '   ?';
  const size = known
    ? `${(p.bytes / MB).toFixed(1)}/${(p.total! / MB).toFixed(1)} MB`
    : `${(p.bytes / MB).toFixed(1)} MB`;
  const speed = `${(p.speed / MB).toFixed(1)} MB/s`;
  const tail = p.done ? 'done' : `ETA ${known && p.speed > 0 ? duration((p.total! - p.bytes) / p.speed) : '--:--'}`;
  return `${p.file}  ${pct}  ${size}  ${speed}  ${tail}`;
}

export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** An `onProgress` callback that renders to `stream` (default stderr). */
export function createProgressRenderer(stream: ProgressStream = process.stderr): (p: HubDownloadProgress) => void {
  let lastAt = 0,
    lastStep = -1,
    lastFile = '';
  return (p) => {
    const now = Date.now();
    if (p.file !== lastFile) {
      lastFile = p.file;
      lastAt = 0;
      lastStep = -1;
    }
    if (stream.isTTY) {
      if (!p.done && now - lastAt < 100) return; // ~10 redraws a second
      lastAt = now;
      const line = formatProgress(p).slice(0, Math.max(20, (stream.columns ?? 80) - 1));
      stream.write(`\r${line}\x1b[K${p.done ? '\n' : ''}`);
      return;
    }
    // Logs: a line per 10% (or per 10 s when the size is unknown), and one at the end.
    const step = p.total ? Math.floor((10 * p.bytes) / p.total) : Math.floor(now / 10_000);
    if (!p.done && step === lastStep) return;
    lastStep = step;
    stream.write(formatProgress(p) + '\n');
  };
}
