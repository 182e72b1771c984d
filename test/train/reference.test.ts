/**
 * The float64 CPU oracle of a whole training step (src/model/train/reference.ts) against PyTorch's
 * float64 autograd (golden_train.json): loss, logits, every gradient including the token rows, and the
 * parameters after two AdamW steps. Both are float64 from the same f32 weights, so the bound is the
 * golden's 9 significant digits, far inside the fp32 tolerances the GPU trainer is held to.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { adamwStepRef, lossAndGradsRef, newAdamStateRef, type ParamsRef } from '../../src/model/train/reference.ts';
import { isDecayed, LOGIT_SCALE_MAX } from '../../src/model/train/decay.ts';
import { expectedClipTensors } from '../../src/model/config.ts';
import { diff, goldenTrain, tinyConfig, tinyParams64, tinyPixels, TOKEN_TABLE } from './golden-train.ts';

const REL = 1e-7; // 9 significant digits in the golden

describe('training step oracle (float64) vs golden_train.json', () => {
  const g = goldenTrain();
  const cfg = tinyConfig();
  const batch = { pixels: tinyPixels(), ids: g.batch.input_ids };
  const D = cfg.text.hiddenSize;
  let params: ParamsRef;
  let first: ReturnType<typeof lossAndGradsRef>;
  beforeAll(async () => {
    params = await tinyParams64();
    first = lossAndGradsRef(params, cfg, batch);
  });

  it("the decay mask is the golden optimizer's", () => {
    const decayed = expectedClipTensors(cfg)
      .filter((t) => isDecayed(t.name, t.shape))
      .map((t) => t.name)
      .sort();
    expect(decayed).toEqual([...g.optimizer.decay].sort());
    expect(LOGIT_SCALE_MAX).toBeCloseTo(g.optimizer.logit_scale_max, 15);
  });

  it('loss and logits before step 1', () => {
    expect(Math.abs(first.loss - g.loss[0]) / g.loss[0]).toBeLessThan(REL);
    const d = diff(first.logitsPerImage, g.logits_per_image[0]);
    expect(d.max / d.scale).toBeLessThan(REL);
  });

  it('every gradient, k_proj.bias zero', () => {
    const names = Object.keys(g.grads);
    expect(names.length).toBe(expectedClipTensors(cfg).length - 1); // all but the token table
    for (const name of names) {
      const d = diff(first.grads.get(name)!, g.grads[name].data);
      if (name.endsWith('k_proj.bias')) expect(d.max, name).toBeLessThan(1e-12);
      else expect(d.max / d.scale, name).toBeLessThan(REL);
      expect(Math.sqrt(first.grads.get(name)!.reduce((s, v) => s + v * v, 0)), name).toBeCloseTo(g.grad_norms[name], 6);
    }
  });

  it("token embedding gradient: the batch's rows, repeated ids summed, all others zero", () => {
    const table = first.grads.get(TOKEN_TABLE)!;
    const rows = g.token_embedding_grad_rows;
    let scale = 0;
    for (const r of Object.values(rows)) for (const v of r) scale = Math.max(scale, Math.abs(v));
    for (const [id, want] of Object.entries(rows)) {
      expect(diff(table.subarray(Number(id) * D, (Number(id) + 1) * D), want).max / scale, `row ${id}`).toBeLessThan(
        REL,
      );
    }
    let elsewhere = 0;
    for (let id = 0; id < cfg.text.vocabSize; id++) {
      if (rows[id] === undefined)
        for (let d = 0; d < D; d++) elsewhere = Math.max(elsewhere, Math.abs(table[id * D + d]));
    }
    expect(elsewhere).toBe(0);
  });

  it('two AdamW steps: losses and every parameter', () => {
    const p: ParamsRef = new Map([...params].map(([k, v]) => [k, Float64Array.from(v)]));
    const state = newAdamStateRef();
    const o = g.optimizer;
    const opt = { lr: o.lr, beta1: o.betas[0], beta2: o.betas[1], eps: o.eps, weightDecay: o.weight_decay };
    adamwStepRef(p, first.grads, state, cfg, opt);
    const second = lossAndGradsRef(p, cfg, batch);
    expect(Math.abs(second.loss - g.loss[1]) / g.loss[1]).toBeLessThan(REL);
    const dl = diff(second.logitsPerImage, g.logits_per_image[1]);
    expect(dl.max / dl.scale).toBeLessThan(REL);
    adamwStepRef(p, second.grads, state, cfg, opt);
    expect(Math.abs(lossAndGradsRef(p, cfg, batch).loss - g.loss[2]) / g.loss[2]).toBeLessThan(REL);
    for (const [name, want] of Object.entries(g.after_2_steps))
      expect(diff(p.get(name)!, want.data).max, name).toBeLessThan(1e-8);
    const table = p.get(TOKEN_TABLE)!;
    for (const [id, want] of Object.entries(g.token_embedding_rows_after_2_steps)) {
      expect(diff(table.subarray(Number(id) * D, (Number(id) + 1) * D), want).max, `token row ${id}`).toBeLessThan(
        1e-8,
      );
    }
    expect(diff(table, params.get(TOKEN_TABLE)!).max).toBeGreaterThan(0);
  });
});
