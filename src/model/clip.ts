/**
 * ClipModel: the one engine the playground, the CLI, the benchmarks and the tests call.
 *
 *   const model = await ClipModel.load();   // the shipped model (weights/shapes-clip), or a hub id, URL, path
 *   const clip = await ClipModel.load('openai/clip-vit-base-patch32', { onProgress });
 *   const [img] = await model.encodeImage([photo]);            // projected, not normalized
 *   const txt = await model.encodeText(['a photo of a dog.']);
 *   const { probs } = await model.classify(photo, ['dog', 'cat'], { templates: IMAGENET_TEMPLATES });
 */
import { l2norm, matmul, softmax } from '../kernels/index.ts';
import type { AdapterSummary, GpuContext, Tensor } from '../kernels/runtime.ts';
import { checkConfigAgainstTensors, inferClipConfig, parseClipConfig, type ClipConfig } from './config.ts';
import { ClipError } from '../errors.ts';
import {
  filesFromInput,
  platform,
  type ImageInput,
  type ModelFiles,
  type ModelFilesInput,
  type ModelSource,
} from './platform.ts';
import { preprocessImage, type PreprocessedImage } from './preprocess/preprocess.ts';
import { SafetensorsFile } from './safetensors/reader.ts';
import { detect as detectPatches, type Detection, type DetectOptions, type DetectQuery } from './detect/index.ts';
import { segment as segmentImage, type SegmentOptions, type Segmentation } from './segment/index.ts';
import { gradcam as explainGradcam, type GradCam, type GradCamOptions } from './explain/index.ts';
import { DEFAULT_TEMPLATE } from './templates.ts';
import { batchTextLength, poolingIndex, textTower, type TextTrace } from './text.ts';
import type { ClipTokenizer } from './tokenizer/bpe.ts';
import { visionTower, type VisionTrace } from './vision.ts';
import { loadClipWeights, releaseClipWeights, type ClipWeights } from './weights.ts';
import { Trainer, type TrainerOptions } from './train/trainer.ts';
import type { ClipInternals } from './internals.ts';
import { WEIGHT_FORMATS, type WeightFormat } from '../kernels/matmul/weight-formats.ts';
import { checkProbe, META_WEIGHTS, PROBE_THRESHOLD, readProbe } from './compact/probe.ts';

export interface LoadProgress {
  phase: 'config' | 'tokenizer' | 'weights' | 'compile' | 'ready';
  /** Bytes of the weights file read so far (weights phase). */
  loaded: number;
  total: number;
  message: string;
}

export interface LoadOptions {
  onProgress?: (p: LoadProgress) => void;
  /** Use this GPU context instead of requesting one (it is then not destroyed by dispose()). */
  gpu?: GpuContext;
  /**
   * Keep the token embedding table [vocab, D] in CPU memory and gather prompts' rows there
   * (saves 100 MB of GPU memory for B/32). Automatic when the table exceeds the adapter's binding limit.
   */
  tokenTableOnCpu?: boolean;
  /**
   * Compile every kernel of an image and a text encode while loading, in parallel, and fill the
   * buffer pool for batch 1 (default true), so the first call runs at full speed.
   */
  precompile?: boolean;
  /**
   * The format of the big matrices on the GPU (q/k/v, out, fc1, fc2, projections; the rest stays F32):
   * 'f16' and 'bf16' halve their memory, 'int8' (per-row scales) quarters it, converted while loading.
   * Default: the format a `clip-webgpu convert` folder was written in, else 'f32'.
   */
  weights?: WeightFormat;
}

export interface EncodeOptions {
  /** Images or prompts per GPU pass (bounds memory). */
  batchSize?: number;
}

export interface TextOptions extends EncodeOptions {
  /** Cut prompts longer than 77 tokens as clip.tokenize(truncate=True) does, instead of failing. */
  truncate?: boolean;
}

export interface Similarity {
  /** exp(logit_scale) · cos(image, text): [images][texts]. */
  logitsPerImage: Float32Array[];
  /** softmax over texts, per image. */
  probs: Float32Array[];
}

export interface ClassifyOptions extends TextOptions {
  /** Prompt templates with "{}" for the label; several are ensembled (mean of normalized embeddings). */
  templates?: readonly string[];
  /** How a label fills a template (default: in place of "{}"); the world's prompts also fix "a"/"an". */
  fill?: (template: string, label: string) => string;
}

export interface Classification {
  labels: string[];
  /** Probability per label, in the order given. */
  probs: Float32Array;
  logits: Float32Array;
  /** Labels sorted by probability, highest first. */
  ranked: { label: string; prob: number }[];
}

export class ClipModel {
  private weights: ClipWeights | null;
  /** Cosines of the probe embeddings to the F32 ones a converted file records (null: the file has none). */
  probeCosine: { image: number; text: number } | null = null;
  private readonly zeroIndex: Tensor[] = []; // cached [B] zero tensors for CLS pooling

  private constructor(
    readonly name: string,
    readonly config: ClipConfig,
    readonly tokenizer: ClipTokenizer,
    private readonly ctx: GpuContext,
    weights: ClipWeights,
    private readonly ownsContext: boolean,
  ) {
    this.weights = weights;
  }

  /**
   * Load from a hub id, a URL, a path (Node), or files in hand. With no source (undefined), the
   * shipped model (`weights/shapes-clip/`): from the package's folder in Node, from the URL beside
   * the bundle in a page (see setShippedModelUrl).
   */
  static async load(source?: ModelSource, options: LoadOptions = {}): Promise<ClipModel> {
    const report = options.onProgress ?? (() => {});
    source ??= platform().shippedModel();
    const files: ModelFiles =
      typeof source === 'string' || source instanceof URL
        ? await platform().resolveModel(String(source))
        : 'tokenizer' in source && typeof source.tokenizer === 'function'
          ? (source as ModelFiles)
          : filesFromInput(source as ModelFilesInput);
    report({ phase: 'config', loaded: 0, total: 0, message: `Reading ${files.weights.name}` });
    const file = await SafetensorsFile.open(files.weights);
    const config = files.config ? parseClipConfig(files.config) : inferClipConfig(file.tensors, file.name);
    checkConfigAgainstTensors(config, file.tensors, file.name); // before any GPU work: bad files fail fast
    const stored = file.metadata[META_WEIGHTS] as WeightFormat | undefined;
    const format = options.weights ?? (stored && WEIGHT_FORMATS.includes(stored) ? stored : 'f32');
    if (!WEIGHT_FORMATS.includes(format)) {
      throw new ClipError('input', `Unknown weights format "${format}" (have ${WEIGHT_FORMATS.join(', ')}).`);
    }
    const probe = readProbe(file.metadata, file.name);
    report({ phase: 'tokenizer', loaded: 0, total: 0, message: 'Loading the tokenizer' });
    const tokenizer = await files.tokenizer();
    const ctx = options.gpu ?? (await platform().requestContext());
    try {
      const weights = await loadClipWeights(
        ctx,
        file,
        config,
        (p) => report({ phase: 'weights', loaded: p.loaded, total: p.total, message: p.tensor }),
        { tokenTableOnCpu: options.tokenTableOnCpu, weights: format },
      );
      const model = new ClipModel(files.name, config, tokenizer, ctx, weights, !options.gpu);
      try {
        if (options.precompile ?? true) {
          report({ phase: 'compile', loaded: file.size, total: file.size, message: 'Compiling the GPU kernels' });
          await model.precompile();
        }
        if (probe) {
          // The looser threshold of the two formats: an int8 file loaded as f32 computes with the int8 values.
          const checked = stored && PROBE_THRESHOLD[stored] < PROBE_THRESHOLD[format] ? stored : format;
          model.probeCosine = await checkProbe(model, probe, checked, file.name);
        }
      } catch (e) {
        model.dispose();
        throw e;
      }
      report({ phase: 'ready', loaded: file.size, total: file.size, message: 'Ready' });
      return model;
    } catch (e) {
      if (!options.gpu) {
        ctx.destroy();
        ctx.device.destroy();
      }
      throw e;
    }
  }

  get adapter(): AdapterSummary {
    return this.ctx.adapter;
  }

  /**
   * The GPU context the model runs on, for work that must share its device (the kernel benchmark
   * of <clip-benchmark>). The model owns it: never destroy it, release what you create on it.
   */
  get gpu(): GpuContext {
    return this.ctx;
  }

  /** The runtime's counters (buffers created and alive, pipelines, submits). */
  get gpuStats() {
    return { ...this.ctx.stats };
  }

  /** The logit scale as stored (log space) and exp(logit_scale) as used, both f32. */
  get logitScale(): { raw: number; exp: number } {
    const raw = this.live().logitScale;
    return { raw, exp: Math.fround(Math.exp(raw)) };
  }

  // ---- images ------------------------------------------------------------------------------

  /** Decode and preprocess (resize, centre crop, normalize) without touching the GPU. */
  async prepareImages(images: ImageInput | readonly ImageInput[]): Promise<PreprocessedImage[]> {
    const list = asList(images);
    const S = this.config.vision.imageSize;
    const out: PreprocessedImage[] = [];
    for (const img of list) out.push(preprocessImage(await platform().decodeImage(img), S));
    return out;
  }

  /** Image embeddings (projected, not normalized), one per image. */
  async encodeImage(images: ImageInput | readonly ImageInput[], options: EncodeOptions = {}): Promise<Float32Array[]> {
    const list = asList(images);
    const batch = options.batchSize ?? 16;
    const out: Float32Array[] = [];
    // Decode one batch at a time: a folder of 1,000 photos never holds more than a batch of pixels.
    for (let i = 0; i < list.length; i += batch) {
      const prepared = await this.prepareImages(list.slice(i, i + batch));
      out.push(...(await this.encodePixels(prepared.map((p) => p.pixels))));
    }
    return out;
  }

  /** Embeddings of already-normalized pixel arrays [3, S, S]. */
  async encodePixels(pixels: readonly Float32Array[], options: EncodeOptions = {}): Promise<Float32Array[]> {
    const w = this.live();
    const v = this.config.vision;
    const S = v.imageSize;
    const batch = options.batchSize ?? 16;
    const out: Float32Array[] = [];
    for (let i = 0; i < pixels.length; i += batch) {
      const chunk = pixels.slice(i, i + batch);
      for (const p of chunk) {
        if (p.length !== 3 * S * S)
          throw new ClipError('input', `pixels must be [3, ${S}, ${S}] (${3 * S * S} values), got ${p.length}`);
      }
      const pass = this.ctx.pass();
      const input = pass.input([chunk.length, 3, S, S], concat(chunk));
      const embeds = visionTower(pass, input, w.vision, v, this.zeros(chunk.length));
      const [flat] = await pass.run([embeds]);
      out.push(...split(flat, chunk.length));
    }
    return out;
  }

  /** Every intermediate of the vision tower for one batch (tests, explanations). */
  async inspectVision(pixels: readonly Float32Array[]): Promise<{
    embeddings: Float32Array;
    hiddenStates: Float32Array[];
    pooled: Float32Array;
    imageEmbeds: Float32Array;
  }> {
    const w = this.live();
    const S = this.config.vision.imageSize;
    const pass = this.ctx.pass();
    const trace: VisionTrace = {};
    const input = pass.input([pixels.length, 3, S, S], concat(pixels));
    const embeds = visionTower(pass, input, w.vision, this.config.vision, this.zeros(pixels.length), trace);
    const [embeddings, pooled, imageEmbeds, ...hiddenStates] = await pass.run([
      trace.embeddings!,
      trace.pooled!,
      embeds,
      ...trace.hiddenStates!,
    ]);
    return { embeddings, hiddenStates, pooled, imageEmbeds };
  }

  // ---- text --------------------------------------------------------------------------------

  /** Token ids as CLIP's tokenizer makes them: [n][77]. */
  tokenize(texts: string | readonly string[], options: { truncate?: boolean } = {}): Int32Array[] {
    return this.tokenizer.tokenize(texts, this.config.text.maxPositions, { truncate: options.truncate ?? false }).ids;
  }

  /** Text embeddings (projected, not normalized), one per text. */
  async encodeText(texts: string | readonly string[], options: TextOptions = {}): Promise<Float32Array[]> {
    const list = asList(texts);
    const ids = this.tokenize(list, options);
    const batch = options.batchSize ?? 64;
    const out: Float32Array[] = [];
    for (let i = 0; i < ids.length; i += batch) out.push(...(await this.encodeIds(ids.slice(i, i + batch))));
    return out;
  }

  /** Embeddings of token id rows (each maxPositions long). */
  async encodeIds(ids: readonly Int32Array[]): Promise<Float32Array[]> {
    const { pass, embeds } = this.recordText(ids);
    const [flat] = await pass.run([embeds]);
    return split(flat, ids.length);
  }

  /** Every intermediate of the text tower for one batch (tests, explanations). */
  async inspectText(
    texts: readonly string[],
    options: { truncate?: boolean } = {},
  ): Promise<{
    inputIds: Int32Array[];
    hiddenStates: Float32Array[];
    lastHiddenState: Float32Array;
    pooled: Float32Array;
    textEmbeds: Float32Array;
  }> {
    const inputIds = this.tokenize(texts, options);
    const trace: TextTrace = {};
    const { pass, embeds } = this.recordText(inputIds, trace);
    const [lastHiddenState, pooled, textEmbeds, ...hiddenStates] = await pass.run([
      trace.lastHidden!,
      trace.pooled!,
      embeds,
      ...trace.hiddenStates!,
    ]);
    return { inputIds, hiddenStates, lastHiddenState, pooled, textEmbeds };
  }

  /**
   * Record the text tower for `ids` rows. Plain encoding runs only the first `max(pooling index) + 1`
   * positions of the batch: the mask is causal, so no later position can reach a pooled token, and
   * the embeddings are those of the full 77 (a 10-token prompt costs 10 positions, not 77; batches
   * pad to their longest prompt, as transformers.js does). A trace keeps all 77 (HF's hidden states).
   */
  private recordText(ids: readonly Int32Array[], trace?: TextTrace) {
    const w = this.live();
    const t = this.config.text;
    const maxT = t.maxPositions;
    const pool = new Uint32Array(ids.length);
    ids.forEach((row, b) => {
      if (row.length !== maxT) throw new ClipError('input', `token rows must have ${maxT} ids, got ${row.length}`);
      for (let i = 0; i < maxT; i++) {
        if (row[i] < 0 || row[i] >= t.vocabSize)
          throw new ClipError('input', `token id ${row[i]} is outside the vocabulary (${t.vocabSize})`);
      }
      pool[b] = poolingIndex(row, t.eosTokenId);
    });
    const T = trace ? maxT : batchTextLength(ids, t.eosTokenId);
    const flat = new Uint32Array(ids.length * T);
    ids.forEach((row, b) => flat.set(row.subarray(0, T), b * T));
    const pass = this.ctx.pass();
    const idsT = pass.input([ids.length, T], flat);
    const poolT = pass.input([ids.length], pool);
    const embeds = textTower(pass, idsT, flat, poolT, w.text, t, trace);
    return { pass, embeds };
  }

  // ---- similarity and classification -------------------------------------------------------

  /** Logits and probabilities as HF CLIPModel computes them, on the GPU. */
  async similarity(imageEmbeds: readonly Float32Array[], textEmbeds: readonly Float32Array[]): Promise<Similarity> {
    const P = this.config.projectionDim;
    if (imageEmbeds.length === 0 || textEmbeds.length === 0) {
      throw new ClipError('input', 'similarity needs at least one image embedding and one text embedding.');
    }
    const pass = this.ctx.pass();
    const img = l2norm(pass, pass.input([imageEmbeds.length, P], concat(imageEmbeds))); // [I, P]
    const txt = l2norm(pass, pass.input([textEmbeds.length, P], concat(textEmbeds))); // [N, P]
    const logits = matmul(pass, img, txt, null, { alpha: this.logitScale.exp }); // [I, N]
    const probs = softmax(pass, logits); // [I, N]
    const [l, p] = await pass.run([logits, probs]);
    return { logitsPerImage: split(l, imageEmbeds.length), probs: split(p, imageEmbeds.length) };
  }

  /**
   * One embedding per label: the mean of its normalized prompt embeddings over the templates,
   * normalized again (the CLIP paper's prompt ensembling; one template = plain prompting).
   */
  async labelEmbeddings(labels: readonly string[], options: ClassifyOptions = {}): Promise<Float32Array[]> {
    const templates = options.templates ?? [DEFAULT_TEMPLATE];
    if (labels.length === 0) throw new ClipError('input', 'No labels given: classification needs at least one label.');
    if (templates.length === 0)
      throw new ClipError('input', 'No templates given: use at least one, e.g. "a photo of a {}."');
    for (const t of templates) {
      if (!t.includes('{}')) throw new ClipError('input', `Template "${t}" has no {} where the label goes.`);
    }
    labels.forEach((l, i) => {
      if (!l.trim()) throw new ClipError('input', `Label ${i + 1} is empty.`);
    });
    const fill = options.fill ?? ((t: string, l: string) => t.replaceAll('{}', l));
    const prompts = labels.flatMap((l) => templates.map((t) => fill(t, l)));
    const embeds = await this.encodeText(prompts, options);
    return labels.map((_, i) => {
      const mean = new Float32Array(this.config.projectionDim);
      for (let j = 0; j < templates.length; j++) {
        const e = normalized(embeds[i * templates.length + j]);
        for (let k = 0; k < mean.length; k++) mean[k] += e[k];
      }
      return normalized(mean);
    });
  }

  /** Zero-shot classification of one image over `labels`. */
  async classify(image: ImageInput, labels: readonly string[], options: ClassifyOptions = {}): Promise<Classification> {
    const labelEmbeds = await this.labelEmbeddings(labels, options);
    const [imageEmbed] = await this.encodeImage([image]);
    const { logitsPerImage, probs } = await this.similarity([imageEmbed], labelEmbeds);
    const ranked = labels.map((label, i) => ({ label, prob: probs[0][i] })).sort((a, b) => b.prob - a.prob);
    return { labels: [...labels], probs: probs[0], logits: logitsPerImage[0], ranked };
  }

  // ---- detection ---------------------------------------------------------------------------

  /**
   * Zero-shot patch detection: where in `image` each query matches, as a map on the patch grid
   * (modes 'patches' and 'values') or a crop grid ('crops'), with boxes in the image's pixels.
   * The logic lives in ./detect/; it gets this model's internals.
   */
  async detect(image: ImageInput, queries: readonly DetectQuery[], options: DetectOptions = {}): Promise<Detection> {
    return detectPatches(this.internals(), image, queries, options);
  }

  // ---- segmentation ------------------------------------------------------------------------

  /**
   * Training-free segmentation: a label (or background) per pixel of `image`, from the patch
   * tokens of the last vision block as `options.method` changes it ('maskclip', 'sclip',
   * 'clearclip', 'naclip' (default), or 'raw'), with the logits on the patch grid. The logic
   * lives in ./segment/; it gets this model's internals.
   */
  async segment(image: ImageInput, labels: readonly string[], options: SegmentOptions = {}): Promise<Segmentation> {
    return segmentImage(this.internals(), image, labels, options);
  }

  // ---- explanation -------------------------------------------------------------------------

  /**
   * Grad-CAM: where in `image` the text matches, from the gradient of logits_per_image[image, text]
   * w.r.t. the `layer_norm1` output of vision layer `layer` (default −1), computed by our backward
   * kernels on the GPU. Methods 'gradcam', 'gradcam++', 'relevance' (Chefer et al.), 'legrad'
   * (Bousselham et al.) and 'surgery' (CLIP Surgery, forward only). The logic lives
   * in ./explain/; plain inference is unchanged (activations are kept only here).
   */
  async gradcam(image: ImageInput, text: string | Float32Array, options: GradCamOptions = {}): Promise<GradCam> {
    return explainGradcam(this.internals(), image, text, options);
  }

  /**
   * @internal The model's GPU context, live weights, config, logit scale and pooling indices for
   * the tasks built on them (./detect, ./explain, training); not for components or the CLI.
   */
  internals(): ClipInternals {
    const weights = this.live();
    return {
      model: this,
      ctx: this.ctx,
      weights,
      config: this.config,
      logitScale: this.logitScale.exp,
      zeros: (n) => this.zeros(n),
    };
  }

  // ---- weights and lifetime ----------------------------------------------------------------

  /** A loaded tensor, read back from the GPU by its Hugging Face name. */
  async readWeight(name: string): Promise<Float32Array> {
    const slice = this.live().slices.get(name);
    if (!slice) throw new ClipError('weights', `No loaded tensor named ${name}`);
    if (slice.tensor.dtype !== 'f32') {
      throw new ClipError(
        'input',
        `${name} is held as ${this.weightFormat} on the GPU: load the model with { weights: 'f32' } to read it back.`,
      );
    }
    const all = await this.ctx.read(slice.tensor);
    return all.slice(slice.offset, slice.offset + slice.size);
  }

  /**
   * A contrastive trainer over this model's own weights: each step updates them in place, so the
   * model's embeddings follow the training. Dispose the trainer (its gradients and moments) first.
   */
  trainer(options: TrainerOptions = {}): Trainer {
    return new Trainer(this.ctx, this.config, this.live(), options);
  }

  /** Names of the tensors held on the GPU. */
  weightNames(): string[] {
    return [...this.live().slices.keys()];
  }

  /** The format of the big matrices on the GPU ('f32', or compact: 'f16', 'bf16', 'int8'). */
  get weightFormat(): WeightFormat {
    return this.live().format;
  }

  /** Free every GPU buffer; the model cannot be used afterwards. */
  dispose(): void {
    if (!this.weights) return;
    releaseClipWeights(this.ctx, this.weights);
    this.zeroIndex.forEach((t) => this.ctx.release(t));
    this.weights = null;
    if (this.ownsContext) {
      this.ctx.destroy();
      this.ctx.device.destroy();
    }
  }

  private live(): ClipWeights {
    if (!this.weights) throw new ClipError('disposed', 'This model was disposed; load it again to use it.');
    this.ctx.check();
    return this.weights;
  }

  /**
   * Compile the pipelines of a batch-1 image encode and a full-length text encode (all at once,
   * asynchronously) and pool their buffers. Returns how many pipelines were compiled.
   */
  async precompile(): Promise<number> {
    const w = this.live();
    const { vision: v, text: t } = this.config;
    return this.ctx.precompile((pass) => {
      const pixels = pass.input([1, 3, v.imageSize, v.imageSize], new Float32Array(0));
      const image = visionTower(pass, pixels, w.vision, v, this.zeros(1)); // [1, proj]
      pass.free(image);
      const ids = new Uint32Array(t.maxPositions);
      const text = textTower(
        pass,
        pass.input([1, t.maxPositions], ids),
        ids,
        pass.input([1], new Uint32Array(1)),
        w.text,
        t,
      );
      return [image, text];
    });
  }

  private zeros(n: number): Tensor {
    return (this.zeroIndex[n] ??= this.ctx.tensor([n], new Uint32Array(n), 'u32', 'cls-index'));
  }
}

function asList<T>(x: T | readonly T[]): T[] {
  return Array.isArray(x) ? [...(x as T[])] : [x as T];
}

function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function split(flat: Float32Array, n: number): Float32Array[] {
  const size = flat.length / n;
  return Array.from({ length: n }, (_, i) => flat.slice(i * size, (i + 1) * size));
}

function normalized(v: Float32Array): Float32Array {
  let s = 0;
  for (const x of v) s += x * x;
  const inv = 1 / Math.sqrt(s);
  return v.map((x) => x * inv);
}
