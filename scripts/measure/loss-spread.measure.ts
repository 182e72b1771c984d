/**
 * How far fp32 noise alone moves golden_train.json's loss after two AdamW steps (loss[2]): the same
 * batch in all 24 orders of its 4 (image, caption) pairs. The loss and its exact gradients do not
 * depend on the order; only the order of the batch sums does. Prints each order's relative errors of
 * loss[0..2] and the spread of loss[2], per adapter. scripts/torch-loss-spread.py measures PyTorch's
 * own float32 the same way; scripts/loss-spread.sh runs both.
 */
import { it } from 'vitest';
import { resolve } from 'node:path';
import { gpu, TEST_ADAPTERS } from '../../test/helpers/gpu.ts';
import { TINY } from '../../test/helpers/fixtures.ts';
import { goldenHyper, goldenTrain, tinyConfig, tinyPixels } from '../../test/train/golden-train.ts';
import { SafetensorsFile } from '../../src/model/safetensors/reader.ts';
import { FileSource } from '../../src/node/file-source.ts';
import { loadClipWeights, releaseClipWeights } from '../../src/model/weights.ts';
import { Trainer } from '../../src/model/train/trainer.ts';

const g = goldenTrain();
const cfg = tinyConfig();
const pixels = tinyPixels();
const opt = goldenHyper(g);

function orders(a: readonly number[]): number[][] {
  if (a.length <= 1) return [[...a]];
  return a.flatMap((x, i) => orders([...a.slice(0, i), ...a.slice(i + 1)]).map((r) => [x, ...r]));
}

const rel = (got: number, i: number) => (got - g.loss[i]) / g.loss[i];

for (const adapter of TEST_ADAPTERS)
  it(`loss[2] over the 24 orders of the batch on ${adapter}`, async () => {
    const ctx = await gpu(adapter);
    const image = pixels.length / 4;
    const errors: number[] = [];
    const file = await SafetensorsFile.open(new FileSource(resolve(TINY, 'model.safetensors')));
    for (const order of orders([0, 1, 2, 3])) {
      const px = new Float32Array(pixels.length);
      order.forEach((from, to) => px.set(pixels.subarray(from * image, (from + 1) * image), to * image));
      const batch = { pixels: px, ids: order.map((i) => g.batch.input_ids[i]) };
      const t = new Trainer(ctx, cfg, await loadClipWeights(ctx, file, cfg), opt);
      const l0 = (await t.trainStep(batch)).loss;
      const l1 = (await t.trainStep(batch)).loss;
      const l2 = (await t.gradients(batch)).loss;
      t.dispose();
      releaseClipWeights(ctx, t.weights);
      errors.push(rel(l2, 2));
      console.log(
        `${adapter} order ${order.join('')}: loss rel ${[l0, l1, l2].map((l, i) => rel(l, i).toExponential(2)).join(' ')}`,
      );
    }
    const abs = errors.map(Math.abs).sort((a, b) => a - b);
    console.log(
      `${adapter}: |loss[2] rel| over 24 orders: median ${abs[12].toExponential(2)}, max ${abs[23].toExponential(2)}, ` +
        `over 1e-5: ${abs.filter((e) => e > 1e-5).length}, positive: ${errors.filter((e) => e > 0).length}`,
    );
  });
