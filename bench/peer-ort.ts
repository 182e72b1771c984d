/**
 * The peer: onnxruntime-web (what transformers.js runs) on the same weights, exported to ONNX by
 * shared/tools/export_onnx.py (onnx/vision_model.onnx: pixel_values -> image_embeds,
 * onnx/text_model.onnx: input_ids int64 -> text_embeds). Platform-neutral: the caller hands in
 * the `onnxruntime-web` module (the page imports it, Node loads it through peer-ort-node.ts).
 * onnxruntime-web is a dev dependency of the benchmark only, never of src/.
 *
 * Timing matches e2e.ts: wall time around session.run (input upload, every kernel, readback) after
 * one warm-up run, median of the samples. The outputs are compared with ours on the same inputs.
 */
import type * as Ort from 'onnxruntime-web';
import { maxAbsDiff, median } from '../src/bench/harness.ts';
import { timeIt, type E2eInputs } from '../src/bench/e2e.ts';
import type { InterleavedImage, PeerProvider, PeerResult } from '../src/bench/report.ts';
import { batchTextLength } from '../src/model/text.ts';

export type OrtModule = typeof Ort;
export type { PeerProvider, PeerResult };

export interface PeerOptions {
  provider: PeerProvider;
  /** ONNX bytes or a URL (browser). */
  vision: Uint8Array | string;
  text: Uint8Array | string;
  /** Our inputs and outputs (e2e.ts): the peer runs the same pixels and token ids. */
  inputs: E2eInputs;
  samples?: number;
  /** Images in the throughput batch (0 or 1: skipped). */
  imageBatch?: number;
  /** Prompts per text batch (at most the rows in `inputs.ids`). */
  textBatch?: number;
  /** The text config's eos_token_id (2 for every openai/* config: pool at the largest id). */
  eosTokenId?: number;
  onStep?: (message: string) => void;
  /**
   * Our batch-1 image encode of the same pixels: when given, `pairs` more samples time ours and the
   * peer call by call, alternating which goes first (`interleaved` in the result).
   */
  ours?: { image: () => Promise<unknown>; pairs?: number };
}

/** Time `a` and `b` in `pairs` back-to-back pairs, alternating the order; medians and the median ratio. */
async function interleave(
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  pairs: number,
  step: (i: number) => void,
): Promise<InterleavedImage> {
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < pairs; i++) {
    step(i);
    if (i % 2) {
      tb.push(await timeIt(b));
      ta.push(await timeIt(a));
    } else {
      ta.push(await timeIt(a));
      tb.push(await timeIt(b));
    }
  }
  return { pairs, ours_ms: median(ta), peer_ms: median(tb), ratio: median(ta.map((x, i) => x / tb[i])) };
}

function flatten(rows: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(rows.reduce((s, r) => s + r.length, 0));
  let o = 0;
  for (const r of rows) {
    out.set(r, o);
    o += r.length;
  }
  return out;
}

export async function runPeer(ort: OrtModule, o: PeerOptions): Promise<PeerResult> {
  const samples = Math.max(1, o.samples ?? 3);
  const step = o.onStep ?? (() => {});
  const { pixels, ids } = o.inputs;
  const textBatch = Math.min(o.textBatch ?? ids.length, ids.length);
  const imageBatch = Math.min(o.imageBatch ?? pixels.length, pixels.length);
  const S = Math.round(Math.sqrt(pixels[0].length / 3));
  // Pad the batch to its longest prompt, as transformers.js's CLIP pipelines do (`padding: true`);
  // our engine runs the same positions (clip.ts recordText). The ONNX text model has a dynamic length.
  const T = batchTextLength(ids.slice(0, textBatch), o.eosTokenId ?? 2);
  const sessionOptions: Ort.InferenceSession.SessionOptions = {
    executionProviders: [o.provider],
    graphOptimizationLevel: 'all',
    logSeverityLevel: 3,
  };

  step(`${o.provider}: creating sessions`);
  const t0 = performance.now();
  const create = (m: Uint8Array | string) =>
    typeof m === 'string'
      ? ort.InferenceSession.create(m, sessionOptions)
      : ort.InferenceSession.create(m, sessionOptions);
  const vision = await create(o.vision);
  const text = await create(o.text);
  const sessionMs = performance.now() - t0;
  try {
    const image = async (n: number) => {
      const feeds = { pixel_values: new ort.Tensor('float32', flatten(pixels.slice(0, n)), [n, 3, S, S]) };
      const out = await vision.run(feeds);
      return out.image_embeds.data as Float32Array;
    };
    const idsTensor = () => {
      const flat = new BigInt64Array(textBatch * T);
      for (let b = 0; b < textBatch; b++) for (let t = 0; t < T; t++) flat[b * T + t] = BigInt(ids[b][t]);
      return new ort.Tensor('int64', flat, [textBatch, T]);
    };
    const encodeText = async () => (await text.run({ input_ids: idsTensor() })).text_embeds.data as Float32Array;
    const timed = async (label: string, fn: () => Promise<unknown>, warmedUp = false): Promise<number> => {
      if (!warmedUp) {
        step(`${o.provider}: ${label} (warm-up)`);
        await fn();
      }
      const times: number[] = [];
      for (let i = 0; i < samples; i++) {
        step(`${o.provider}: ${label} (${i + 1}/${samples})`);
        const t = performance.now();
        await fn();
        times.push(performance.now() - t);
      }
      return median(times);
    };

    step(`${o.provider}: image encode, batch 1 (warm-up)`);
    const firstImage = await image(1);
    const imageMs = await timed('image encode, batch 1', () => image(1), true);
    const pairs = Math.max(1, o.ours?.pairs ?? 2 * samples);
    const interleaved = o.ours
      ? await interleave(
          o.ours.image,
          () => image(1),
          pairs,
          (i) => step(`${o.provider}: image encode, batch 1, ours and the peer in turn (${i + 1}/${pairs})`),
        )
      : undefined;
    const batchMs = imageBatch > 1 ? await timed(`image encode, batch ${imageBatch}`, () => image(imageBatch)) : null;
    step(`${o.provider}: text encode, ${textBatch} prompts (warm-up)`);
    const firstText = await encodeText();
    const textMs = await timed(`text encode, ${textBatch} prompts`, encodeText, true);
    const ourText = flatten(o.inputs.textEmbeds.slice(0, textBatch));
    return {
      provider: o.provider,
      session_ms: sessionMs,
      image_ms: imageMs,
      image_batch: imageBatch,
      image_batch_ms: batchMs,
      text_batch: textBatch,
      text_tokens: T,
      text_ms: textMs,
      text_prompts_per_s: textBatch / (textMs / 1000),
      samples,
      image_max_abs_diff: maxAbsDiff(firstImage, o.inputs.imageEmbeds[0]),
      text_max_abs_diff: maxAbsDiff(firstText, ourText),
      ...(interleaved ? { interleaved } : {}),
    };
  } finally {
    await vision.release();
    await text.release();
  }
}
