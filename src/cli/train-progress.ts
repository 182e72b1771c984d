/**
 * What `clip-webgpu train` says while it runs, on stderr: at a terminal one line rewritten in place
 * (step/total, a bar, loss, lr, images/s, time left); otherwise plain lines, about twenty per run;
 * with --json nothing unless --verbose (then the plain lines). Validation results get lines of their own.
 */
import type { StepReport } from '../model/train/trainer.ts';
import type { CliStream } from './common.ts';

export type ProgressMode = 'bar' | 'lines' | 'quiet';

export function progressMode(stderr: CliStream, json: boolean, verbose: boolean): ProgressMode {
  if (json) return verbose ? 'lines' : 'quiet';
  return stderr.isTTY ? 'bar' : 'lines';
}

/** "1 h 02 min", "3 min 05 s", "12 s". */
export function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  if (s >= 60) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
}

export interface TrainProgress {
  /** After each step: `seconds` is the time the step took (data loading included, validation not). */
  step(r: StepReport, seconds: number): void;
  /** A validation result (e.g. "shape 42.0%  colour 57.5%") after `step`. */
  note(text: string): void;
  /** Ends the bar's line (the last step's numbers stay on screen). */
  done(): void;
}

export function trainProgress(
  stderr: CliStream,
  mode: ProgressMode,
  o: { total: number; batchSize: number; firstStep: number },
): TrainProgress {
  let trained = 0,
    seconds = 0,
    shown = false;
  const every = Math.max(1, Math.ceil((o.total - o.firstStep) / 20));
  const clear = () => {
    if (shown) stderr.write('\r\x1b[K');
    shown = false;
  };
  return {
    step(r, dt) {
      trained++;
      seconds += dt;
      const rate = (trained * o.batchSize) / Math.max(seconds, 1e-9);
      const left = ((o.total - r.step) * seconds) / trained;
      const numbers =
        `loss ${r.loss.toFixed(4)}  lr ${r.lr.toExponential(2)}  ${rate.toFixed(1)} images/s  ` +
        (r.step < o.total ? `ETA ${duration(left)}` : `${duration(seconds)}`);
      if (mode === 'bar') {
        const width = Math.max(10, Math.min(30, (stderr.columns ?? 80) - 90));
        const filled = Math.round((width * r.step) / o.total);
        const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
        const line = `step ${r.step}/${o.total} ${bar} ${numbers}`;
        stderr.write(`\r${line.slice(0, Math.max(20, (stderr.columns ?? 120) - 1))}\x1b[K`);
        shown = true;
      } else if (mode === 'lines') {
        const n = r.step - o.firstStep;
        if (n === 1 || n % every === 0 || r.step === o.total) {
          stderr.write(`step ${r.step}/${o.total}  ${numbers}  logit_scale ${r.logitScale.toFixed(4)}\n`);
        }
      }
    },
    note(text) {
      if (mode === 'quiet') return;
      clear();
      stderr.write(`${text}\n`);
    },
    done() {
      if (shown) stderr.write('\n');
      shown = false;
    },
  };
}
