/**
 * The whole model against the PyTorch goldens of ../shared/fixtures/tiny-clip, for the F32 file
 * and the F16 file (compared with its own golden), at the README's tolerances.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { resolve } from 'node:path';
import { ClipModel } from '../../src/node/index.ts';
import { expectClose, flat, gpu, TEST_ADAPTERS } from '../helpers/gpu.ts';
import { TINY, TINY_IMAGES, golden, json } from '../helpers/fixtures.ts';

for (const adapter of TEST_ADAPTERS)
  for (const dtype of ['f32', 'f16'] as const) {
    describe(`tiny-clip ${dtype} on ${adapter}`, () => {
      const g = golden(dtype);
      let model: ClipModel;
      beforeAll(async () => {
        model = await ClipModel.load(resolve(TINY, dtype === 'f32' ? 'model.safetensors' : 'model-f16.safetensors'), {
          gpu: await gpu(adapter),
        });
      });
      afterAll(() => model.dispose());

      it('tokenizes the prompts exactly', () => {
        expect(model.tokenize(g.prompts, { truncate: true }).map((r) => Array.from(r))).toEqual(g.input_ids);
      });

      it('image embeddings (atol 1e-4)', async () => {
        const embeds = await model.encodeImage(TINY_IMAGES);
        expectClose(flat(embeds.map((e) => Array.from(e))), flat(g.image_embeds), 1e-4, 'image_embeds');
      });

      it('text embeddings (atol 1e-4)', async () => {
        const embeds = await model.encodeText(g.prompts, { truncate: true });
        expectClose(flat(embeds.map((e) => Array.from(e))), flat(g.text_embeds), 1e-4, 'text_embeds');
      });

      it('logits (atol 2e-3) and probs (atol 1e-4)', async () => {
        expect(model.logitScale.raw).toBeCloseTo(g.logit_scale, 6);
        expect(Math.abs(model.logitScale.exp - g.logit_scale_exp)).toBeLessThan(1e-4);
        const { logitsPerImage, probs } = await model.similarity(
          await model.encodeImage(TINY_IMAGES),
          await model.encodeText(g.prompts, { truncate: true }),
        );
        expectClose(flat(logitsPerImage.map((r) => Array.from(r))), flat(g.logits_per_image), 2e-3, 'logits_per_image');
        expectClose(flat(probs.map((r) => Array.from(r))), flat(g.probs), 1e-4, 'probs');
      });

      it('vision tower per layer (atol 1e-4)', async () => {
        const [pixels] = (await model.prepareImages([TINY_IMAGES[0]])).map((p) => p.pixels);
        const v = await model.inspectVision([pixels]);
        expectClose(v.embeddings, flat(g.vision_image0.embeddings), 1e-4, 'embeddings');
        expect(v.hiddenStates.length).toBe(g.vision_image0.hidden_states.length);
        v.hiddenStates.forEach((h, i) =>
          expectClose(h, flat(g.vision_image0.hidden_states[i]), 1e-4, `hidden_states[${i}]`),
        );
        expectClose(v.pooled, flat(g.vision_image0.pooled), 1e-4, 'pooled');
      });

      it('text embeddings with the token table kept on the CPU (atol 1e-4)', async () => {
        const cpuTable = await ClipModel.load(
          resolve(TINY, dtype === 'f32' ? 'model.safetensors' : 'model-f16.safetensors'),
          { gpu: await gpu(adapter), tokenTableOnCpu: true },
        );
        expect(cpuTable.weightNames()).not.toContain('text_model.embeddings.token_embedding.weight');
        const embeds = await cpuTable.encodeText(g.prompts, { truncate: true });
        cpuTable.dispose();
        expectClose(flat(embeds.map((e) => Array.from(e))), flat(g.text_embeds), 1e-4, 'text_embeds');
      });

      it('text tower per layer (atol 1e-4)', async () => {
        const t = await model.inspectText([g.prompts[0]]);
        expect(t.hiddenStates.length).toBe(g.text_prompt0.hidden_states.length);
        t.hiddenStates.forEach((h, i) =>
          expectClose(h, flat(g.text_prompt0.hidden_states[i]), 1e-4, `hidden_states[${i}]`),
        );
        expectClose(t.lastHiddenState, flat(g.text_prompt0.last_hidden_state), 1e-4, 'last_hidden_state');
        expectClose(t.pooled, flat(g.text_prompt0.pooled), 1e-4, 'pooled');
      });

      it('every tensor is loaded and routed (tensor_stats.json)', async () => {
        const stats = json<
          Record<
            string,
            Record<string, { dtype: string; shape: number[]; first8: number[]; sum: number; sumsq: number }>
          >
        >(resolve(TINY, 'tensor_stats.json'));
        const file = dtype === 'f32' ? 'model.safetensors' : 'model-f16.safetensors';
        const entries = Object.entries(stats[file] ?? stats);
        const names = new Set(model.weightNames());
        let checked = 0;
        for (const [name, s] of entries) {
          if (name === '__metadata__' || name.endsWith('position_ids')) continue; // int64 buffers are skipped by design
          expect(names.has(name), `${name} loaded`).toBe(true);
          const data = await model.readWeight(name);
          expect(data.length).toBe(s.shape.reduce((a, b) => a * b, 1));
          let sum = 0,
            sumsq = 0;
          for (const x of data) {
            sum += x;
            sumsq += x * x;
          }
          expect(Math.abs(sum - s.sum), `${name} sum`).toBeLessThan(1e-6 * Math.max(1, Math.abs(s.sumsq)));
          expect(Math.abs(sumsq - s.sumsq), `${name} sum of squares`).toBeLessThan(1e-6 * Math.max(1, s.sumsq));
          expectClose(
            data.slice(0, 8),
            s.first8,
            1e-6 * Math.max(1, ...s.first8.map(Math.abs)),
            `${name} first values`,
          );
          checked++;
        }
        expect(checked).toBeGreaterThan(40);
      });
    });
  }
