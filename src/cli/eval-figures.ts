/** `clip-webgpu eval`'s two figures as text: zero-shot vs the linear probe (k-shot), accuracy per shift (JSON: model/probe/format.ts). */
import type { ProbeCurve } from '../model/probe/index.ts';
import type { ShiftResult } from '../model/bias/index.ts';
import { bar, percent, table } from './format.ts';

export function probeText(c: ProbeCurve): string {
  const rows = c.kShot.map((p) => [
    p.shots === 'all' ? 'all' : String(p.shots),
    String(Math.round(p.trainImages * 10) / 10),
    percent(p.accuracy),
    p.accuracies.length > 1 ? `${percent(p.min)}–${percent(p.max)}` : '',
    bar(p.accuracy),
  ]);
  return (
    `\nLinear probe (logistic regression on the image embeddings, our kernels) vs zero-shot, ` +
    `${c.testImages} test images, ${c.trainImages} training images, ${c.seeds} draws per k\n` +
    `zero-shot       ${percent(c.zeroShot)}  ${bar(c.zeroShot)}\n` +
    `probe (all)     ${percent(c.probe)}  ${bar(c.probe)}\n\n` +
    table([['shots/class', 'train', 'accuracy', 'range', ''], ...rows], {
      align: ['right', 'right', 'right', 'right', 'left'],
    })
  );
}

export function shiftsText(results: readonly ShiftResult[]): string {
  const rows = results.map(({ shift, evaluation: e }) => [
    shift === 'none' ? 'clean' : shift,
    String(e.n),
    percent(e.accuracy),
    `${percent(e.accuracyCi[0], 1)}–${percent(e.accuracyCi[1], 1)}`,
    bar(e.accuracy),
  ]);
  return (
    '\nZero-shot accuracy on the clean world and each shift (same scenes, same prompts)\n' +
    table([['world', 'n', 'accuracy', '95% CI', ''], ...rows], { align: ['left', 'right', 'right', 'right', 'left'] })
  );
}
