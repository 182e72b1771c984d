/**
 * What differs between the browser and Node — where the GPU comes from, how a model name becomes
 * files, how images are decoded — behind one small interface. The browser implementation is the
 * default; `src/node/index.ts` installs the Node one. Everything above this file is shared.
 */
import { requestBrowserContext } from '../kernels/device.ts';
import type { GpuContext } from '../kernels/runtime.ts';
import { ClipError } from '../errors.ts';
import { parseJsonObject } from './file-checks.ts';
import { decodeImageBrowser, type BrowserImageSource } from './preprocess/decode-browser.ts';
import type { RawImage } from './preprocess/preprocess.ts';
import { UrlSource, resolveModelLocation, toByteSource, type ByteSource, type ByteSourceInput } from './sources.ts';
import { shippedModelUrl } from './shipped.ts';
import type { ClipTokenizer } from './tokenizer/bpe.ts';
import { fetchTokenizer, tokenizerFromSources, type TokenizerSources } from './tokenizer/load.ts';

/** A CLIP model's files, wherever they live. */
export interface ModelFiles {
  /** A name for messages and headers (hub id, folder, or file name). */
  name: string;
  /** Parsed config.json, or null to infer the config from tensor shapes. */
  config: unknown | null;
  weights: ByteSource;
  tokenizer: () => Promise<ClipTokenizer>;
}

/** What `ClipModel.load` accepts: a hub id, a folder URL or path, or the files themselves. */
export type ModelSource = string | URL | ModelFiles | ModelFilesInput;

/** Files as a user holds them (e.g. dropped in a page): weights plus tokenizer sources. */
export interface ModelFilesInput {
  name?: string;
  config?: unknown | null;
  weights: ByteSourceInput;
  tokenizer: TokenizerSources;
}

export type ImageInput = RawImage | BrowserImageSource | Uint8Array | ArrayBuffer;

export interface Platform {
  requestContext(): Promise<GpuContext>;
  resolveModel(source: string): Promise<ModelFiles>;
  /** What `ClipModel.load()` loads when given no source: the shipped model's folder (URL or path). */
  shippedModel(): string;
  decodeImage(input: ImageInput): Promise<RawImage>;
}

export function isRawImage(x: unknown): x is RawImage {
  const r = x as RawImage;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.width === 'number' &&
    typeof r.height === 'number' &&
    (r.channels === 3 || r.channels === 4) &&
    (r.data instanceof Uint8Array || r.data instanceof Uint8ClampedArray)
  );
}

export function filesFromInput(input: ModelFilesInput): ModelFiles {
  const weights = toByteSource(input.weights);
  return {
    name: input.name ?? weights.name,
    config: input.config ?? null,
    weights,
    tokenizer: () => tokenizerFromSources(input.tokenizer),
  };
}

/** A hub id ("openai/clip-vit-base-patch32") or a folder / model.safetensors URL (absolute or page-relative) -> folder URL. */
export function modelBaseUrl(source: string): string {
  return resolveModelLocation(source).folder;
}

/** Files from a folder URL laid out like a hub repo. */
export async function filesFromUrl(source: string, fetchImpl: typeof fetch = fetch): Promise<ModelFiles> {
  const { folder: base, weightsUrl } = resolveModelLocation(source);
  let config: unknown | null = null;
  let res: Response;
  try {
    res = await fetchImpl(base + 'config.json');
  } catch (e) {
    throw new ClipError('network', `Could not reach ${base}config.json: ${(e as Error).message}`, { cause: e });
  }
  if (res.ok) {
    config = parseJsonObject(await res.text(), `${base}config.json`, 'config');
  } else if (res.status !== 404) {
    throw new ClipError(
      res.status === 401 || res.status === 403 ? 'not-found' : 'network',
      `${base}config.json: HTTP ${res.status}${res.status === 401 ? ' (no such model, or it is private)' : ''}.`,
    );
  }
  return { name: source, config, weights: new UrlSource(weightsUrl), tokenizer: () => fetchTokenizer(base, fetchImpl) };
}

export const browserPlatform: Platform = {
  requestContext: () => requestBrowserContext(),
  resolveModel: (source) => filesFromUrl(source),
  shippedModel: () => shippedModelUrl(),
  async decodeImage(input) {
    if (isRawImage(input)) return input;
    if (input instanceof Uint8Array || input instanceof ArrayBuffer)
      return decodeImageBrowser(new Blob([input as BlobPart]));
    return decodeImageBrowser(input as BrowserImageSource);
  },
};

let current: Platform = browserPlatform;

export function platform(): Platform {
  return current;
}

export function setPlatform(p: Platform): void {
  current = p;
}
