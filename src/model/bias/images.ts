/**
 * Images for probes and evaluations, from anywhere: the browser hands Files, Node hands paths
 * (src/node/image-folder.ts). Each image is encoded once per model and remembered by the SHA-256 of
 * its bytes, so a new label set or template re-scores without touching the vision tower again.
 * Decoding runs one batch at a time: however many images there are, at most one batch of decoded
 * pixels is alive.
 */
import type { ClipModel } from '../clip.ts';
import { ClipError, isClipError, throwIfAborted } from '../../errors.ts';
import type { ImageInput } from '../platform.ts';

/** One image of a probe (group = the probe group) or of a dataset (group = the class). */
export interface ImageItem {
  /** Shown in reports and CSV rows: a path, a file name. */
  id: string;
  group: string;
  /** The file's bytes: hashed for the cache, and decoded unless `load` is given. */
  bytes(): Promise<Uint8Array>;
  /** The image to decode when it is not the bytes themselves (e.g. a File, or raw pixels). */
  load?(): Promise<ImageInput>;
}

export type ImageItems = Iterable<ImageItem> | AsyncIterable<ImageItem>;

export interface EncodeProgress {
  /** Images whose embedding is known (from the cache or just encoded). */
  done: number;
  total: number;
  /**
   * Of `done`, how many were known already (from the cache, or an identical file earlier in the
   * list): `done - cached` images went through the vision tower.
   */
  cached: number;
}

export interface EmbedImagesOptions {
  /** Images decoded and encoded per GPU pass (default 16): bounds the pixels held at once. */
  batchSize?: number;
  onProgress?: (p: EncodeProgress) => void;
  /** Embeddings already known; new ones are added. Default: a cache private to the call. */
  cache?: EmbeddingCache;
  signal?: AbortSignal;
}

export interface EmbeddedImage {
  id: string;
  group: string;
  /** Hex SHA-256 of the image's bytes. */
  hash: string;
  /** Projected image embedding (not normalized). */
  embedding: Float32Array;
}

/** Image embeddings by content hash, kept per model (a model's embeddings never serve another). */
export class EmbeddingCache {
  private readonly byModel = new WeakMap<object, Map<string, Float32Array>>();

  private map(model: object): Map<string, Float32Array> {
    let m = this.byModel.get(model);
    if (!m) this.byModel.set(model, (m = new Map()));
    return m;
  }

  get(model: object, hash: string): Float32Array | undefined {
    return this.byModel.get(model)?.get(hash);
  }

  set(model: object, hash: string, embedding: Float32Array): void {
    this.map(model).set(hash, embedding);
  }

  size(model: object): number {
    return this.byModel.get(model)?.size ?? 0;
  }

  clear(model: object): void {
    this.byModel.get(model)?.clear();
  }
}

/** Hex SHA-256 (SubtleCrypto: browsers and Node ≥ 20). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** Collects items (metadata only) from a list or an async iterable. */
export async function collectItems(items: ImageItems): Promise<ImageItem[]> {
  const out: ImageItem[] = [];
  for await (const item of items as AsyncIterable<ImageItem>) out.push(item);
  return out;
}

/** Stops between batches with ClipError('aborted'); the batch on the GPU finishes first. */
function aborted(signal: AbortSignal | undefined): void {
  throwIfAborted(signal, 'image encoding');
}

/**
 * Embeds every item, in order: cached ones by hash, the others decoded and encoded `batchSize` at a
 * time (identical files are encoded once).
 */
export async function embedImages(
  model: ClipModel,
  items: ImageItems,
  options: EmbedImagesOptions = {},
): Promise<EmbeddedImage[]> {
  const list = await collectItems(items);
  const batch = options.batchSize ?? 16;
  if (!Number.isInteger(batch) || batch < 1)
    throw new ClipError('input', `batchSize must be a positive integer, got ${batch}.`);
  const cache = options.cache ?? new EmbeddingCache();
  const out: EmbeddedImage[] = [];
  let cached = 0;
  const report = () => options.onProgress?.({ done: out.length, total: list.length, cached });
  report();
  for (let start = 0; start < list.length; start += batch) {
    aborted(options.signal);
    const chunk = list.slice(start, start + batch);
    // Hash the chunk; decode only what the cache lacks (each distinct hash once).
    const hashes: string[] = [];
    const pending = new Map<string, Float32Array>(); // hash -> pixels
    for (const item of chunk) {
      const bytes = await item.bytes();
      const hash = await sha256Hex(bytes);
      hashes.push(hash);
      if (cache.get(model, hash) || pending.has(hash)) {
        cached++;
        continue;
      }
      const input: ImageInput = item.load ? await item.load() : bytes;
      pending.set(hash, await prepare(model, item, input));
    }
    aborted(options.signal);
    if (pending.size) {
      const embeds = await model.encodePixels([...pending.values()], { batchSize: batch });
      [...pending.keys()].forEach((hash, i) => cache.set(model, hash, embeds[i]));
    }
    chunk.forEach((item, i) =>
      out.push({ id: item.id, group: item.group, hash: hashes[i], embedding: cache.get(model, hashes[i])! }),
    );
    report();
  }
  return out;
}

async function prepare(model: ClipModel, item: ImageItem, input: ImageInput): Promise<Float32Array> {
  try {
    const [p] = await model.prepareImages(input);
    return p.pixels;
  } catch (e) {
    if (isClipError(e) && e.code !== 'image' && e.code !== 'not-found') throw e;
    const message = e instanceof Error ? e.message : String(e);
    throw new ClipError('image', message.includes(item.id) ? message : `${item.id}: ${message}`, { cause: e });
  }
}
