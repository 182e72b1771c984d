/**
 * Where golden_train.json's loss after two AdamW steps (loss[2]) meets float32's floor, on the float64
 * oracle: every intermediate the oracle names (each layer's activations and backward values, the vision
 * embeddings and their gradients) is perturbed by random relative noise of k units of float32 roundoff
 * (u = 2^-24), as each f32 kernel's few-ulp error would, and the two steps are replayed. Prints the spread
 * of loss[2]'s relative error (stated tolerance 1e-5) and of the patch-embedding gradient that dominates it
 * (three weights at 3.5x AdamW's eps; see test/train/trainer.test.ts), per noise size and per place.
 *   npx vitest run --config scripts/measure/vitest.config.ts fp32-floor
 */
import { it } from 'vitest';
import { adamwStepRef, lossAndGradsRef, newAdamStateRef, type ParamsRef } from '../../src/model/train/reference.ts';
import type { Probe } from '../../src/model/train/reference-layer.ts';
import { goldenHyper, goldenTrain, tinyConfig, tinyParams64, tinyPixels } from '../../test/train/golden-train.ts';

const g = goldenTrain();
const cfg = tinyConfig();
const batch = { pixels: tinyPixels(), ids: g.batch.input_ids };
const opt = goldenHyper(g);
const PATCH = 'vision_model.embeddings.patch_embedding.weight';
const U = 2 ** -24;

/** A deterministic uniform in [-1, 1) (xorshift32), so every run prints the same table. */
function uniform(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 31 - 1;
  };
}

/** Relative noise of k·u on every intermediate whose name passes `where`. */
function noisy(k: number, seed: number, where: (name: string) => boolean): Probe {
  const r = uniform(seed);
  return (name, a) => (where(name) ? a.map((v) => v * (1 + k * U * r())) : a);
}

const f32: Probe = (_name, a) => Float64Array.from(Float32Array.from(a));

it('loss[2] under float32-sized noise on the oracle', async () => {
  const params = await tinyParams64();
  const want = g.grads[PATCH].data;
  let dominant = 0;
  for (let i = 1; i < want.length; i++) if (Math.abs(want[i]) < Math.abs(want[dominant])) dominant = i;

  /** Two AdamW steps with `probe` on both gradients; loss[2] (exact) and the step-1 dominant gradient. */
  const replay = (probe: Probe) => {
    const p: ParamsRef = new Map([...params].map(([k, v]) => [k, Float64Array.from(v)]));
    const state = newAdamStateRef();
    const first = lossAndGradsRef(p, cfg, batch, probe);
    adamwStepRef(p, first.grads, state, cfg, opt);
    adamwStepRef(p, lossAndGradsRef(p, cfg, batch, probe).grads, state, cfg, opt);
    const loss = lossAndGradsRef(p, cfg, batch).loss;
    return {
      loss: (loss - g.loss[2]) / g.loss[2],
      grad: (first.grads.get(PATCH)![dominant] - want[dominant]) / Math.abs(want[dominant]),
    };
  };
  const spread = (label: string, runs: { loss: number; grad: number }[]) => {
    const abs = runs.map((r) => Math.abs(r.loss)).sort((a, b) => a - b);
    const rms = Math.sqrt(runs.reduce((s, r) => s + r.grad * r.grad, 0) / runs.length);
    console.log(
      `${label.padEnd(34)} |loss[2] rel| median ${abs[abs.length >> 1].toExponential(1)}, max ${abs.at(-1)!.toExponential(1)}, ` +
        `over 1e-5: ${abs.filter((e) => e > 1e-5).length}/${abs.length}; dominant gradient off ${(100 * rms).toFixed(1)}% (rms)`,
    );
  };

  console.log(
    `dominant patch-embedding gradient: element ${dominant}, ${want[dominant].toExponential(3)} (eps ${opt.eps})`,
  );
  spread('float64 (no noise)', [replay((_n, a) => a)]);
  spread('every intermediate stored as f32', [replay(f32)]);
  const SEEDS = 12;
  const runs = (k: number, where: (name: string) => boolean) =>
    Array.from({ length: SEEDS }, (_, s) => replay(noisy(k, 0x9e3779b9 * (s + 1), where)));
  for (const k of [1, 2, 4])
    spread(
      `${k} u on every intermediate`,
      runs(k, () => true),
    );
  const places: [string, (name: string) => boolean][] = [
    ['text tower only', (n) => n.startsWith('text_model')],
    ['vision tower only', (n) => !n.startsWith('text_model')],
    ['vision forward (h qkv a x1 h2 f g y)', (n) => n.startsWith('vision_model') && /\.(h|qkv|a|x1|h2|f|g|y)$/.test(n)],
    ['vision backward', (n) => n.startsWith('vision_model') && !/\.(h|qkv|a|x1|h2|f|g|y)$/.test(n)],
    ['emb, dx0, dEmb only', (n) => ['emb', 'dx0', 'dEmb'].includes(n)],
  ];
  for (const [label, where] of places) spread(`2 u, ${label}`, runs(2, where));
}, 1_800_000);
