/**
 * The one encoder layer with hooks (src/model/encoder.ts), as a training step uses it: both towers
 * (the text one causal) keep every intermediate of every layer; each layer's kept tensors equal the
 * layer's float64 CPU oracle run on the layer's own kept input, and the towers' outputs equal plain
 * inference (keeping f splits fc1 and the activation, with the same arithmetic). On both adapters.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { resolve } from 'node:path';
import { ClipModel } from '../../src/node/index.ts';
import type { Tensor } from '../../src/kernels/runtime.ts';
import { LAYER_TENSOR_NAMES, type LayerTensorName } from '../../src/model/encoder.ts';
import { encoderLayerRef } from '../../src/model/encoder-reference.ts';
import { poolingIndex, textTower, type TextTrace } from '../../src/model/text.ts';
import { visionTower, type VisionTrace } from '../../src/model/vision.ts';
import { expectClose, gpu, maxAbsDiff, TEST_ADAPTERS } from '../helpers/gpu.ts';
import { TINY, TINY_IMAGES } from '../helpers/fixtures.ts';
import { cpuLayer } from '../helpers/models.ts';
import { measured } from '../helpers/measurements.ts';

/** The kept tensors in a fixed order, for one readback. */
function keptList(trace: VisionTrace | TextTrace): Tensor[] {
  return trace.layers!.flatMap((kept) => LAYER_TENSOR_NAMES.map((n) => kept[n]!));
}

for (const adapter of TEST_ADAPTERS) {
  describe(`encoder layer hooks on tiny-clip, ${adapter}`, () => {
    let model: ClipModel;
    beforeAll(async () => {
      model = await ClipModel.load(resolve(TINY, 'model.safetensors'), { gpu: await gpu(adapter) });
    });
    afterAll(() => model.dispose());

    async function checkLayers(
      tower: 'vision' | 'text',
      read: Float32Array[],
      B: number,
      T: number,
      hidden: Float32Array,
    ): Promise<void> {
      const c = model.config[tower];
      const names = LAYER_TENSOR_NAMES;
      for (let i = 0; i < c.numLayers; i++) {
        const got = Object.fromEntries(names.map((n, j) => [n, read[i * names.length + j]])) as Record<
          LayerTensorName,
          Float32Array
        >;
        const next = i + 1 < c.numLayers ? read[(i + 1) * names.length] : hidden;
        const want = encoderLayerRef(
          Float64Array.from(got.x),
          await cpuLayer(model, `${tower}_model.encoder.layers.${i}`),
          {
            B,
            T,
            heads: c.numHeads,
            eps: c.layerNormEps,
            act: c.hiddenAct,
            causal: tower === 'text',
          },
        );
        for (const n of names) expectClose(got[n], want[n], 1e-4, `${tower} layer ${i} ${n}`);
        expectClose(next, want.y, 1e-4, `${tower} layer ${i} output`);
        measured(
          `${adapter} ${tower} layer ${i}: max |diff| vs CPU oracle ` +
            names.map((n) => `${n} ${maxAbsDiff(got[n], want[n]).toExponential(1)}`).join(', ') +
            `, y ${maxAbsDiff(next, want.y).toExponential(1)}`,
        );
      }
    }

    it('vision: every intermediate of every layer kept (2 images), equal to the layer oracle; embeddings as plain inference', async () => {
      const { ctx, weights, config, zeros } = model.internals();
      const pixels = (await model.prepareImages(TINY_IMAGES.slice(0, 2))).map((p) => p.pixels);
      const S = config.vision.imageSize;
      const pass = ctx.pass();
      const input = pass.input([2, 3, S, S], Float32Array.from([...pixels[0], ...pixels[1]]));
      const trace: VisionTrace = { keep: LAYER_TENSOR_NAMES };
      const embeds = visionTower(pass, input, weights.vision, config.vision, zeros(2), trace);
      expect(trace.layers!.length).toBe(config.vision.numLayers);
      expect(trace.hiddenStates!.length).toBe(config.vision.numLayers + 1);
      const [got, last, ...kept] = await pass.run([embeds, trace.lastHidden!, ...keptList(trace)]);
      await checkLayers('vision', kept, 2, 1 + (S / config.vision.patchSize) ** 2, last);
      const plain = await model.encodePixels(pixels);
      expectClose(got, Float32Array.from([...plain[0], ...plain[1]]), 1e-6, 'image embeds, all kept vs plain');
    });

    it('text (causal, 77 positions): every intermediate of every layer kept, equal to the layer oracle; embeddings as plain inference', async () => {
      const { ctx, weights, config } = model.internals();
      const t = config.text;
      const [ids] = model.tokenize(['a photo of a small dog.']);
      const flatIds = Uint32Array.from(ids);
      const pass = ctx.pass();
      const trace: TextTrace = { keep: LAYER_TENSOR_NAMES };
      const embeds = textTower(
        pass,
        pass.input([1, t.maxPositions], flatIds),
        flatIds,
        pass.input([1], new Uint32Array([poolingIndex(ids, t.eosTokenId)])),
        weights.text,
        t,
        trace,
      );
      const hidden = trace.hiddenStates!;
      const [got, last, ...kept] = await pass.run([embeds, hidden[hidden.length - 1], ...keptList(trace)]);
      await checkLayers('text', kept, 1, t.maxPositions, last);
      const [plain] = await model.encodeIds([ids]);
      expectClose(got, plain, 1e-6, 'text embeds, all kept vs plain');
    });
  });
}
