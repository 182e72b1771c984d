/**
 * Time per map: one `model.gradcam` call per explanation method and one `model.segment` call per
 * segmentation method (3 labels), on a noise image of the model's input size (its shapes are what
 * the time depends on): wall time around the public call (decode, upload, every dispatch, readback,
 * the CPU part of the map; the text embeddings are made once beforehand, except CLIP Surgery's
 * empty string, which each of its calls encodes), after a warm-up call that compiles the
 * pipelines; the median of `samples` calls is reported. A method the model cannot run (the
 * gradient methods on compact weights) is reported with its error instead of a time.
 */
import { throwIfAborted } from '../errors.ts';
import type { ClipModel } from '../model/clip.ts';
import { GRADCAM_METHODS } from '../model/explain/gradcam.ts';
import type { RawImage } from '../model/preprocess/preprocess.ts';
import { SEGMENT_METHODS } from '../model/segment/methods.ts';
import { median } from './harness.ts';

export interface MapTime {
  task: 'explain' | 'segment';
  method: string;
  /** Median wall ms of one map (null with `error`). */
  ms: number | null;
  error?: string;
  samples: number;
}

export interface MapTimeOptions {
  /** Timed calls per method after one warm-up call (default 3). */
  samples?: number;
  onStep?: (message: string) => void;
  signal?: AbortSignal;
}

/** Deterministic RGB noise (an LCG), so every run maps the same image. */
export function noiseImage(width: number, height: number, seed = 12345): RawImage {
  const data = new Uint8Array(width * height * 3);
  let s = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    data[i] = s >>> 24;
  }
  return { width, height, channels: 3, data };
}

export async function measureMaps(model: ClipModel, options: MapTimeOptions = {}): Promise<MapTime[]> {
  const samples = options.samples ?? 3;
  const S = model.config.vision.imageSize;
  const image = noiseImage(S, S);
  const [text] = await model.encodeText(['a photo of a dog.']);
  const labels = ['a dog', 'a cat', 'the sky'];
  const embeddings = await model.encodeText(labels);
  const time = async (task: MapTime['task'], method: string, call: () => Promise<unknown>): Promise<MapTime> => {
    options.onStep?.(`${task} ${method}: warm-up and ${samples} sample(s)`);
    try {
      await call();
    } catch (e) {
      return { task, method, ms: null, samples: 0, error: (e as Error).message ?? String(e) };
    }
    const ms: number[] = [];
    for (let i = 0; i < samples; i++) {
      throwIfAborted(options.signal, 'benchmark');
      const t0 = performance.now();
      await call();
      ms.push(performance.now() - t0);
    }
    return { task, method, ms: median(ms), samples };
  };
  const out: MapTime[] = [];
  for (const method of GRADCAM_METHODS) {
    out.push(await time('explain', method, () => model.gradcam(image, text, { method })));
  }
  for (const method of SEGMENT_METHODS) {
    out.push(await time('segment', method, () => model.segment(image, labels, { method, embeddings })));
  }
  return out;
}
