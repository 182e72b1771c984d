/**
 * The GPU training step against PyTorch's float64 golden (golden_train.json) at the fp32 tolerances
 * of ../shared/README.md: loss 1e-5 relative, every gradient 1e-4 of its tensor's largest magnitude
 * (the four k_proj.bias: below 1e-4 absolute), parameters after two AdamW steps 5e-5 absolute
 * (k_proj.bias left out: AdamW turns their zero gradient's rounding noise into steps of up to lr).
 * Also with micro-batches (accumFreq 2 and 4 must give the full batch's gradient).
 *
 * OPEN: the loss after step 2 (loss[2]) is logged, not asserted at 1e-5: that tolerance sits at
 * float32's own noise floor, not above it. scripts/loss-spread.sh measures it over the 24 orders of the
 * batch (the exact loss and gradients do not depend on the order, only the order of float32 sums):
 *   PyTorch 1.13 float32, 1 and 2 threads (48 runs): |rel| median 3.0e-6, max 8.9e-6 (golden order,
 *     1 thread: 8.4e-6; ../shared/README's "loss 2e-8" holds for loss[0..1], not loss[2]);
 *   ours, SwiftShader: median 4.5e-6, max 8.2e-6; llvmpipe: median 1.2e-5, max 1.9e-5 (19 of 24 over),
 *     llvmpipe's every order on the same side (backward v2 kernels, 2026-12-03; with the workgroup-tiled
 *     v1 backward: 4.4e-6 / 9.0e-6 and 1.2e-5 / 1.9e-5, 16 over).
 * One value dominates: three patch-embedding weights share a step-1 gradient of -3.478e-6 (3.5 times
 * AdamW's eps), the cancelling sum over all patches of a pre-layernorm gradient, so float32 gets it
 * to only ~6% (PyTorch: -3.703e-6; ours: -3.255e-6 on llvmpipe) and lr·g/(|g| + eps) turns that into
 * ±5e-6 of parameter, which moves loss[2] by ~8e-6. Which side of 1e-5 a run lands on is luck of the
 * rounding: trying an exp() within 1.3 ulp (the adapters' builtin is off by up to 11 ulp) moved llvmpipe's
 * median to 5.8e-6 and SwiftShader's to 1.7e-5. With golden gradients our loss[2] is 2.5e-7 off.
 * scripts/measure/fp32-floor.measure.ts replays the two steps on the float64 oracle with each intermediate
 * rounded to f32 (loss[2] 4.1e-6 off) or noised by 2 / 4 units of roundoff (max 1.4e-5 / 3.0e-5 over 12
 * seeds): the spread comes from the whole chain, both towers, not from one kernel.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { resolve } from 'node:path';
import { gpu, TEST_ADAPTERS } from '../helpers/gpu.ts';
import { TINY } from '../helpers/fixtures.ts';
import type { GpuContext } from '../../src/kernels/runtime.ts';
import { SafetensorsFile } from '../../src/model/safetensors/reader.ts';
import { FileSource } from '../../src/node/file-source.ts';
import { loadClipWeights, releaseClipWeights } from '../../src/model/weights.ts';
import { Trainer } from '../../src/model/train/trainer.ts';
import { measured } from '../helpers/measurements.ts';
import { diff, goldenHyper, goldenTrain, tinyConfig, tinyPixels, TOKEN_TABLE } from './golden-train.ts';

const g = goldenTrain();
const cfg = tinyConfig();
const batch = { pixels: tinyPixels(), ids: g.batch.input_ids };
const D = cfg.text.hiddenSize;
const opt = goldenHyper(g);
const isKBias = (name: string) => name.endsWith('k_proj.bias');

async function trainer(ctx: GpuContext, accumFreq = 1): Promise<Trainer> {
  const file = await SafetensorsFile.open(new FileSource(resolve(TINY, 'model.safetensors')));
  return new Trainer(ctx, cfg, await loadClipWeights(ctx, file, cfg), { ...opt, accumFreq });
}

function dispose(t: Trainer): void {
  t.dispose();
  releaseClipWeights(t.ctx, t.weights);
}

/** Every gradient against the golden; returns the worst relative diff (k_proj.bias apart). */
async function checkGradients(
  t: Trainer,
  what: string,
): Promise<{ worst: number; worstName: string; kBias: number; tokens: number }> {
  let worst = 0,
    worstName = '',
    kBias = 0;
  for (const [name, want] of Object.entries(g.grads)) {
    const d = diff(await t.read(name, 'grad'), want.data);
    if (isKBias(name)) {
      kBias = Math.max(kBias, d.max);
      expect(d.max, `${what} ${name}`).toBeLessThan(1e-4);
    } else {
      expect(d.max / d.scale, `${what} ${name}`).toBeLessThan(1e-4);
      if (d.max / d.scale > worst) [worst, worstName] = [d.max / d.scale, name];
    }
  }
  const table = await t.read(TOKEN_TABLE, 'grad');
  const rows = g.token_embedding_grad_rows;
  let scale = 0,
    tokens = 0;
  for (const r of Object.values(rows)) for (const v of r) scale = Math.max(scale, Math.abs(v));
  for (const [id, want] of Object.entries(rows))
    tokens = Math.max(tokens, diff(table.subarray(Number(id) * D, (Number(id) + 1) * D), want).max);
  expect(tokens / scale, `${what} token rows`).toBeLessThan(1e-4);
  for (let id = 0; id < cfg.text.vocabSize; id++) {
    if (rows[id] === undefined)
      for (let d = 0; d < D; d++) if (table[id * D + d] !== 0) expect.fail(`${what}: token row ${id} has a gradient`);
  }
  return { worst, worstName, kBias, tokens: tokens / scale };
}

for (const adapter of TEST_ADAPTERS)
  describe(`GPU training step on ${adapter} vs golden_train.json`, () => {
    let ctx: GpuContext;
    beforeAll(async () => {
      ctx = await gpu(adapter);
    });

    describe('one batch, two AdamW steps', () => {
      let t: Trainer;
      beforeAll(async () => {
        t = await trainer(ctx);
      });
      afterAll(() => dispose(t));

      it('loss, logits and every gradient of the first step; then two steps', async ({ annotate }) => {
        const first = await t.gradients(batch);
        const lossRel = Math.abs(first.loss - g.loss[0]) / g.loss[0];
        expect(lossRel).toBeLessThan(1e-5);
        const logits = diff(first.logitsPerImage, g.logits_per_image[0]).max;
        expect(logits).toBeLessThan(2e-3);
        const grads = await checkGradients(t, 'step 1');

        // The gradients are in place: finish step 1 with them, then step 2 on the same batch.
        await t.update();
        const second = await t.trainStep(batch);
        const loss2Rel = Math.abs(second.loss - g.loss[1]) / g.loss[1];
        expect(loss2Rel).toBeLessThan(1e-5);
        expect(diff(second.logitsPerImage, g.logits_per_image[1]).max).toBeLessThan(2e-3);

        let params = 0,
          paramsName = '';
        for (const [name, want] of Object.entries(g.after_2_steps)) {
          if (isKBias(name)) continue;
          const d = diff(await t.read(name), want.data).max;
          expect(d, name).toBeLessThan(5e-5);
          if (d > params) [params, paramsName] = [d, name];
        }
        const table = await t.read(TOKEN_TABLE);
        let tokenRows = 0;
        for (const [id, want] of Object.entries(g.token_embedding_rows_after_2_steps)) {
          tokenRows = Math.max(tokenRows, diff(table.subarray(Number(id) * D, (Number(id) + 1) * D), want).max);
        }
        expect(tokenRows).toBeLessThan(5e-5);
        // loss[2] (after step 2): measured, not yet asserted at 1e-5 — see the note at the top.
        const loss3Rel = Math.abs((await t.gradients(batch)).loss - g.loss[2]) / g.loss[2];
        const summary =
          `${adapter}: loss rel ${lossRel.toExponential(2)} / ${loss2Rel.toExponential(2)} / after 2 steps ${loss3Rel.toExponential(2)}, ` +
          `logits ${logits.toExponential(2)}, grads ${grads.worst.toExponential(2)} of max (${grads.worstName}), ` +
          `token rows ${grads.tokens.toExponential(2)}, k_proj.bias |grad| ${grads.kBias.toExponential(2)}, ` +
          `params after 2 steps ${params.toExponential(2)} (${paramsName}), token rows ${tokenRows.toExponential(2)}`;
        measured(summary); // test-results/measurements.txt, for the closing notes
        await annotate(summary);
      });
    });

    for (const accumFreq of [2, 4]) {
      it(`accumFreq ${accumFreq}: the full batch's loss and gradients`, async ({ annotate }) => {
        const t = await trainer(ctx, accumFreq);
        try {
          const r = await t.gradients(batch);
          expect(Math.abs(r.loss - g.loss[0]) / g.loss[0]).toBeLessThan(1e-5);
          const grads = await checkGradients(t, `accumFreq ${accumFreq}`);
          const summary = `${adapter} accumFreq ${accumFreq}: grads ${grads.worst.toExponential(2)} of max (${grads.worstName})`;
          measured(summary);
          await annotate(summary);
        } finally {
          dispose(t);
        }
      });
    }
  });
