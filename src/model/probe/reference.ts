/**
 * The linear probe fit in float64 on the CPU, step for step what fit.ts records on the GPU: the
 * oracle its test compares against. Composed from the kernels' own references (cross-entropy, AdamW).
 */
import { adamwRef } from '../../kernels/adamw/reference.ts';
import { crossEntropyRef } from '../../kernels/cross-entropy/reference.ts';
import { checkProbeData, type ProbeData } from './fit.ts';
import { featureScaling, PROBE_HYPER, probeInputs, type FeatureScaling, type ProbeHyper } from './hyper.ts';

export interface LinearProbeRef {
  weight: Float64Array;
  bias: Float64Array;
  scaling: FeatureScaling;
  /** The loss at the last step, before its update. */
  loss: number;
}

export function fitLinearProbeRef(data: ProbeData, options: Partial<ProbeHyper> = {}): LinearProbeRef {
  const h: ProbeHyper = { ...PROBE_HYPER, ...options };
  const n = checkProbeData(data);
  const { classes: C, dim: D } = data;
  const scaling = featureScaling(data.features, D);
  const x = Float64Array.from(probeInputs(data.features, D, scaling)); // the same f32 rows the GPU gets
  const W = new Float64Array(C * D);
  const b = new Float64Array(C);
  const [mW, vW, mb, vb] = [new Float64Array(C * D), new Float64Array(C * D), new Float64Array(C), new Float64Array(C)];
  let loss = NaN;
  for (let step = 1; step <= h.steps; step++) {
    const ce = crossEntropyRef(linearLogitsRef(x, W, b, D), data.labels, C);
    loss = ce.loss;
    const dW = new Float64Array(C * D);
    const db = new Float64Array(C);
    for (let i = 0; i < n; i++)
      for (let c = 0; c < C; c++) {
        const g = ce.dlogits[i * C + c];
        db[c] += g;
        for (let j = 0; j < D; j++) dW[c * D + j] += g * x[i * D + j];
      }
    adamwRef(W, dW, mW, vW, { ...h, step });
    adamwRef(b, db, mb, vb, { ...h, weightDecay: 0, step });
  }
  return { weight: W, bias: b, scaling, loss };
}

/** logits [n, C] = x·Wᵀ + b for x [n, D], W [C, D]. */
export function linearLogitsRef(
  x: ArrayLike<number>,
  W: ArrayLike<number>,
  b: ArrayLike<number>,
  D: number,
): Float64Array {
  const n = x.length / D;
  const C = b.length;
  const out = new Float64Array(n * C);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < C; c++) {
      let s = b[c];
      for (let j = 0; j < D; j++) s += x[i * D + j] * W[c * D + j];
      out[i * C + c] = s;
    }
  return out;
}
