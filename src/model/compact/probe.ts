/**
 * No silent error: a converted folder carries the F32 embeddings of a fixed probe image and prompt,
 * computed at conversion time (safetensors `__metadata__`, key `clip_webgpu.probe`). Loading it runs
 * the same probe through the compact weights and refuses the model when either cosine falls below
 * the format's threshold.
 */
import { ClipError } from '../../errors.ts';
import type { WeightFormat } from '../../kernels/matmul/weight-formats.ts';
import type { RawImage } from '../preprocess/preprocess.ts';

export const PROBE_PROMPT = 'a photo of a red circle next to a blue square';
export const PROBE_FORMAT = 'clip-webgpu-probe/1';
/** The metadata keys of a converted file. */
export const META_WEIGHTS = 'clip_webgpu.weights';
export const META_PROBE = 'clip_webgpu.probe';

/** The lowest cosine to the F32 embeddings each format may give (issue 15's targets). */
export const PROBE_THRESHOLD: Readonly<Record<WeightFormat, number>> = {
  f32: 0.99999,
  f16: 0.9999,
  bf16: 0.9999,
  int8: 0.999,
};

export interface Probe {
  format: typeof PROBE_FORMAT;
  prompt: string;
  /** F32 embeddings (projected, not normalized) of probeImage() and the prompt. */
  image: number[];
  text: number[];
}

/** A fixed 64x64 RGB image (smooth gradients and a disc: integer arithmetic, the same everywhere). */
export function probeImage(): RawImage {
  const S = 64;
  const data = new Uint8Array(S * S * 3);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const i = 3 * (y * S + x);
      const inDisc = (x - 24) ** 2 + (y - 28) ** 2 < 14 ** 2;
      data[i] = inDisc ? 220 : 4 * x;
      data[i + 1] = inDisc ? 30 : 4 * y;
      data[i + 2] = inDisc ? 40 : (x * y) % 256;
    }
  }
  return { width: S, height: S, channels: 3, data };
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ab = 0,
    aa = 0,
    bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

/** What ClipModel offers the probe (kept narrow so this module needs no ClipModel import). */
export interface ProbeEncoder {
  encodeImage(images: RawImage[]): Promise<Float32Array[]>;
  encodeText(texts: string[]): Promise<Float32Array[]>;
}

export async function computeProbe(model: ProbeEncoder): Promise<Probe> {
  const [image] = await model.encodeImage([probeImage()]);
  const [text] = await model.encodeText([PROBE_PROMPT]);
  return { format: PROBE_FORMAT, prompt: PROBE_PROMPT, image: Array.from(image), text: Array.from(text) };
}

/** The probe stored in a file's metadata, or null when it has none; a damaged one is an error. */
export function readProbe(metadata: Record<string, string>, file: string): Probe | null {
  const raw = metadata[META_PROBE];
  if (raw === undefined) return null;
  let p: Probe;
  try {
    p = JSON.parse(raw) as Probe;
  } catch {
    throw new ClipError('weights', `${file}: its ${META_PROBE} metadata is not JSON: the converted file is damaged.`);
  }
  const isNums = (x: unknown) => Array.isArray(x) && x.length > 0 && x.every((v) => typeof v === 'number');
  if (p?.format !== PROBE_FORMAT || typeof p.prompt !== 'string' || !isNums(p.image) || !isNums(p.text)) {
    throw new ClipError(
      'weights',
      `${file}: its ${META_PROBE} metadata is not a ${PROBE_FORMAT} probe: the converted file is damaged.`,
    );
  }
  return p;
}

/** Run the probe through the loaded weights; refuse (ClipError 'weights') below the threshold. */
export async function checkProbe(
  model: ProbeEncoder,
  probe: Probe,
  format: WeightFormat,
  file: string,
): Promise<{ image: number; text: number }> {
  const [image] = await model.encodeImage([probeImage()]);
  const [text] = await model.encodeText([probe.prompt]);
  if (image.length !== probe.image.length || text.length !== probe.text.length) {
    throw new ClipError(
      'weights',
      `${file}: its probe embeddings do not have the model's projection size: the converted file is damaged.`,
    );
  }
  const cos = { image: cosine(image, probe.image), text: cosine(text, probe.text) };
  const min = PROBE_THRESHOLD[format];
  // NaN compares false: a NaN embedding is refused too.
  if (!(cos.image >= min && cos.text >= min)) {
    throw new ClipError(
      'weights',
      `${file}: the ${format} weights give embeddings too far from the F32 ones recorded at conversion ` +
        `(cosine image ${cos.image.toFixed(6)}, text ${cos.text.toFixed(6)}; at least ${min} required): ` +
        'the file is damaged or the format loses too much for this model. Convert it again, or to f16/f32.',
    );
  }
  return cos;
}
