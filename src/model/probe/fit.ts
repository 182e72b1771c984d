/**
 * The linear probe on our kernels: multinomial logistic regression fitted by full-batch AdamW
 * (hyper.ts says why). One step = matmul (logits) → cross-entropy (loss and dlogits) →
 * matmul backward (dW, db) → AdamW on W and b; steps are recorded in chunks, one submit per chunk.
 */
import { ClipError, throwIfAborted } from '../../errors.ts';
import { adamw, adamwHyper } from '../../kernels/adamw/adamw.ts';
import { crossEntropy } from '../../kernels/cross-entropy/cross-entropy.ts';
import { matmul } from '../../kernels/matmul/matmul.ts';
import { matmulBackwardBias, matmulBackwardWeight } from '../../kernels/matmul/matmul-backward.ts';
import type { GpuContext, Tensor } from '../../kernels/runtime.ts';
import { featureScaling, PROBE_HYPER, probeInputs, type LinearProbe, type ProbeHyper } from './hyper.ts';

/** Steps recorded per submit: few round trips, and a cancel is noticed between chunks. */
const CHUNK = 50;

/** Rows `features` [n, dim] (raw embeddings: normalized and standardized here) with `labels` [n] in 0..classes−1. */
export interface ProbeData {
  features: ArrayLike<number>;
  labels: ArrayLike<number>;
  classes: number;
  dim: number;
}

export function checkProbeData(d: ProbeData): number {
  const n = d.labels.length;
  if (!Number.isInteger(d.dim) || d.dim < 1)
    throw new ClipError('input', `A probe needs a positive dimension, got ${d.dim}.`);
  if (!Number.isInteger(d.classes) || d.classes < 2)
    throw new ClipError('input', `A linear probe needs at least 2 classes, got ${d.classes}.`);
  if (n === 0) throw new ClipError('input', 'A linear probe needs at least one training image.');
  if (d.features.length !== n * d.dim)
    throw new ClipError('input', `${d.features.length} feature values for ${n} rows of ${d.dim}.`);
  for (let i = 0; i < n; i++) {
    const y = d.labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= d.classes)
      throw new ClipError('input', `Training row ${i}: label ${y} is not a class index below ${d.classes}.`);
  }
  return n;
}

export async function fitLinearProbe(
  ctx: GpuContext,
  data: ProbeData,
  options: Partial<ProbeHyper> & { signal?: AbortSignal } = {},
): Promise<LinearProbe> {
  const h: ProbeHyper = { ...PROBE_HYPER, ...options };
  const n = checkProbeData(data);
  const { classes: C, dim: D } = data;
  const owned: Tensor[] = [];
  const keep = (shape: number[], init: Float32Array | Uint32Array) => {
    const t = ctx.tensor(shape, init, init instanceof Uint32Array ? 'u32' : 'f32', 'linear-probe');
    owned.push(t);
    return t;
  };
  const scaling = featureScaling(data.features, D);
  try {
    const x = keep([n, D], probeInputs(data.features, D, scaling));
    const y = keep([n], Uint32Array.from(data.labels));
    const W = { param: keep([C, D], new Float32Array(C * D)), grad: keep([C, D], new Float32Array(C * D)) };
    const b = { param: keep([C], new Float32Array(C)), grad: keep([C], new Float32Array(C)) };
    const Wm = { ...W, m: keep([C, D], new Float32Array(C * D)), v: keep([C, D], new Float32Array(C * D)) };
    const bm = { ...b, m: keep([C], new Float32Array(C)), v: keep([C], new Float32Array(C)) };
    const noClip = keep([2], Float32Array.of(0, 1)); // [norm, clip factor]: no clipping
    let loss = NaN;
    for (let first = 1; first <= h.steps; first += CHUNK) {
      throwIfAborted(options.signal, 'linear probe');
      const pass = ctx.pass();
      let last: Tensor | undefined;
      for (let step = first; step < Math.min(first + CHUNK, h.steps + 1); step++) {
        const logits = matmul(pass, x, W.param, b.param);
        const ce = crossEntropy(pass, logits, y);
        matmulBackwardWeight(pass, ce.dlogits, x, { out: W.grad });
        matmulBackwardBias(pass, ce.dlogits, b.grad);
        const hyper = pass.input([7], adamwHyper({ ...h, step }));
        adamw(pass, Wm, hyper, noClip, { decay: true });
        adamw(pass, bm, pass.input([7], adamwHyper({ ...h, weightDecay: 0, step })), noClip, { decay: false });
        pass.free(logits, ce.dlogits);
        if (last) pass.free(last);
        last = ce.loss;
      }
      [[loss]] = await pass.run(last ? [last] : []);
    }
    const [weight, bias] = await Promise.all([ctx.read(W.param), ctx.read(b.param)]);
    return { classes: C, dim: D, weight, bias, scaling, loss, steps: h.steps };
  } finally {
    owned.forEach((t) => ctx.release(t));
  }
}

/** The probe's logits [n, classes] for raw embeddings `features` [n, dim] (prepared as in training), on the GPU. */
export async function probeLogits(
  ctx: GpuContext,
  probe: LinearProbe,
  features: ArrayLike<number>,
): Promise<Float32Array> {
  const n = features.length / probe.dim;
  if (!Number.isInteger(n) || n < 1)
    throw new ClipError('input', `${features.length} feature values are not rows of ${probe.dim}.`);
  const pass = ctx.pass();
  const x = pass.input([n, probe.dim], probeInputs(features, probe.dim, probe.scaling));
  const W = pass.input([probe.classes, probe.dim], probe.weight);
  const b = pass.input([probe.classes], probe.bias);
  const [logits] = await pass.run([matmul(pass, x, W, b)]);
  return logits;
}
