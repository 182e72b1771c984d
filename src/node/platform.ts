/**
 * The Node platform: a Dawn GPU, models from folders or .safetensors paths (or URLs), and
 * PNG/JPEG decoding from paths and buffers.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ClipError } from '../errors.ts';
import { filesFromUrl, isRawImage, type ModelFiles, type Platform } from '../model/platform.ts';
import { decodeImage } from './decode-image.ts';
import { loadTokenizerFromDir } from './tokenizer-files.ts';
import { FileSource } from './file-source.ts';
import { requestNodeContext } from './gpu.ts';
import { shippedModelPath } from './shipped-model.ts';

/** A folder (config.json, model.safetensors, tokenizer files) or a .safetensors file in one. */
export function filesFromPath(path: string): ModelFiles {
  const full = resolve(path);
  if (!existsSync(full)) {
    const hint =
      /^[\w.-]+\/[\w.-]+$/.test(path) && !path.startsWith('.')
        ? ` To fetch it from the Hugging Face hub: npx clip-webgpu download ${path}`
        : '';
    throw new ClipError('not-found', `Model path does not exist: ${path}.${hint}`);
  }
  let dir = full;
  let weights = join(full, 'model.safetensors');
  if (statSync(full).isFile()) {
    dir = dirname(full);
    weights = full;
  } else if (!existsSync(weights)) {
    const candidates = readdirSync(full).filter((f) => f.endsWith('.safetensors'));
    if (candidates.length !== 1) {
      throw new ClipError(
        'not-found',
        candidates.length
          ? `${path} has several .safetensors files (${candidates.join(', ')}): name the one to load.`
          : `${path} has no model.safetensors (a Hugging Face CLIP folder holds config.json, model.safetensors, vocab.json and merges.txt).`,
      );
    }
    weights = join(full, candidates[0]);
  }
  const configPath = join(dir, 'config.json');
  let config: unknown | null = null;
  if (existsSync(configPath)) {
    try {
      config = JSON.parse(readFileSync(configPath, 'utf8'));
    } catch (e) {
      throw new ClipError('config', `${configPath} is not valid JSON: ${(e as Error).message}`);
    }
  }
  return {
    name: basename(weights) === 'model.safetensors' ? basename(dir) : `${basename(dir)}/${basename(weights)}`,
    config,
    weights: new FileSource(weights),
    tokenizer: async () => loadTokenizerFromDir(dir),
  };
}

export const nodePlatform: Platform = {
  requestContext: () => requestNodeContext(),
  async resolveModel(source) {
    return /^https?:/i.test(source) ? filesFromUrl(source) : filesFromPath(source);
  },
  shippedModel: () => shippedModelPath(),
  async decodeImage(input) {
    if (isRawImage(input)) return input;
    if (typeof input === 'string') return decodeImage(input);
    if (input instanceof Uint8Array) return decodeImage(input);
    if (input instanceof ArrayBuffer) return decodeImage(new Uint8Array(input));
    throw new ClipError(
      'image',
      'In Node, images are file paths, Buffers/Uint8Arrays of PNG or JPEG bytes, or raw RGB(A) pixels.',
    );
  },
};
