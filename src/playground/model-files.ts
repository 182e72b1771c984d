/**
 * Where a model's files come from in the browser: a hub id or folder URL (through the weights
 * cache), or files the user dropped. Both end as the ModelFilesInput that ClipModel.load takes.
 */
import { ClipError } from '../errors.ts';
import { checkModelFile, parseJsonObject } from '../model/file-checks.ts';
import { DEFAULT_HUB_ENDPOINT } from '../model/hub.ts';
import { resolveModelLocation, type ModelLocation } from '../model/sources.ts';
import type { ModelFilesInput } from '../model/platform.ts';
import type { CacheDownloadProgress, WeightsCache } from './weights-cache.ts';

/** The folder, weights URL and hub id of a remote model (the library's one resolver decides). */
export type RemoteModel = ModelLocation;

/** Hub id ("org/name"), absolute or page-relative folder URL, or a .safetensors URL -> file URLs. */
export function remoteModel(source: string, endpoint = DEFAULT_HUB_ENDPOINT): RemoteModel {
  return resolveModelLocation(source, { endpoint });
}

/** Every URL a remote load reads (for "is it all cached?"). The tokenizer may come from either set. */
export function remoteUrls(m: RemoteModel): string[] {
  return [m.folder + 'config.json', m.folder + 'vocab.json', m.folder + 'merges.txt', m.weightsUrl];
}

export interface FetchModelOptions {
  cache: WeightsCache;
  signal?: AbortSignal;
  onProgress?: (p: CacheDownloadProgress) => void;
  /** Called with config.json (if any) before the weights download: throw to stop early. */
  checkConfig?: (config: unknown) => void;
}

/** Downloads (or reads from the cache) config, tokenizer and weights; the weights last. */
export async function fetchModelFiles(
  source: string,
  m: RemoteModel,
  opts: FetchModelOptions,
): Promise<ModelFilesInput & { fromCache: boolean }> {
  let fromCache = true;
  const get = async (file: string, optional: boolean, url = m.folder + file) => {
    try {
      return await opts.cache.fetchFile(url, {
        optional,
        signal: opts.signal,
        check: (blob) => checkModelFile(file, blob, url),
        onProgress: (p) => {
          fromCache &&= p.fromCache;
          opts.onProgress?.(p);
        },
      });
    } catch (e) {
      throw explain(e, m, file);
    }
  };
  const configBlob = await get('config.json', true);
  let config: unknown = null;
  if (configBlob) config = parseJsonObject(await configBlob.text(), `${m.folder}config.json`, 'config');
  opts.checkConfig?.(config);
  // A folder without weights should say so now, not after its tokenizer has been looked for.
  if (!(await opts.cache.hasAll([m.weightsUrl])))
    await checkExists(m.weightsUrl, opts.signal).catch((e) => {
      throw explain(e, m, m.weightsUrl.slice(m.weightsUrl.lastIndexOf('/') + 1));
    });
  const vocab = await get('vocab.json', true);
  const merges = vocab && (await get('merges.txt', true));
  let tokenizer: ModelFilesInput['tokenizer'];
  if (vocab && merges) {
    tokenizer = { vocabJson: await vocab.text(), mergesTxt: await merges.text() };
  } else {
    const tj = await get('tokenizer.json', true);
    if (!tj) {
      throw new ClipError(
        'tokenizer',
        `${m.folder} has no tokenizer: it needs vocab.json and merges.txt, or tokenizer.json.`,
      );
    }
    tokenizer = { tokenizerJson: await tj.text() };
  }
  const weightsName = m.weightsUrl.slice(m.weightsUrl.lastIndexOf('/') + 1);
  const weights = (await get(weightsName, false, m.weightsUrl))!;
  return { name: m.repoId ?? source, config, tokenizer, weights, fromCache };
}

/** A HEAD request: throws not-found for 401/403/404; anything else is left to the download. */
async function checkExists(url: string, signal?: AbortSignal): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'HEAD', cache: 'no-store', signal });
  } catch {
    return; // the download that follows reports network failures with retries and resume
  }
  if (res.status === 404 || res.status === 410)
    throw new ClipError('not-found', `Not found: ${url} (HTTP ${res.status}).`);
  if (res.status === 401 || res.status === 403) throw new ClipError('not-found', `${url}: HTTP ${res.status}`);
}

/** Turn a file-level failure into one that names the model and what to do. */
function explain(e: unknown, m: RemoteModel, file: string): unknown {
  if (!(e instanceof ClipError)) return e;
  if (e.code === 'not-found' && /HTTP 40[13]|RepoNotFound|GatedRepo/.test(e.message)) {
    return new ClipError(
      'not-found',
      m.repoId
        ? `There is no model "${m.repoId}" on the hub, or it is private or gated. Check the spelling (for example openai/clip-vit-base-patch32).`
        : `${m.folder} refused access (${e.message.replace(/^.*: HTTP/, 'HTTP')}).`,
      { cause: e },
    );
  }
  if (e.code === 'not-found' && file.endsWith('.safetensors')) {
    return new ClipError(
      'not-found',
      `${m.repoId ?? m.folder} has no ${file}. This page reads Hugging Face CLIP checkpoints in the ` +
        'safetensors format (config.json, model.safetensors, vocab.json, merges.txt).',
      { cause: e },
    );
  }
  return e;
}

// ---- local files ---------------------------------------------------------------------------------

/** Files with the paths they had in a dropped folder (File.webkitRelativePath is empty for drops). */
export interface LocalFile {
  file: File;
  path: string;
}

/** Picks config, tokenizer and weights out of dropped or chosen files. */
export async function localModelFiles(files: readonly LocalFile[]): Promise<ModelFilesInput> {
  if (files.length === 0) throw new ClipError('input', 'No files were dropped.');
  const byName = new Map<string, LocalFile>();
  for (const f of files) byName.set(f.file.name, f); // later duplicates win; folders rarely repeat names
  const safetensors = files.filter((f) => f.file.name.endsWith('.safetensors'));
  const weights = byName.get('model.safetensors') ?? (safetensors.length === 1 ? safetensors[0] : undefined);
  const names =
    files
      .slice(0, 6)
      .map((f) => f.file.name)
      .join(', ') + (files.length > 6 ? ', …' : '');
  if (!weights) {
    throw new ClipError(
      'input',
      safetensors.length > 1
        ? `Several .safetensors files were dropped (${safetensors.map((f) => f.file.name).join(', ')}): name the one to use model.safetensors.`
        : `No .safetensors weights among the dropped files (${names}). Drop a CLIP folder with config.json, model.safetensors, vocab.json and merges.txt.`,
    );
  }
  const vocab = byName.get('vocab.json'),
    merges = byName.get('merges.txt'),
    tj = byName.get('tokenizer.json');
  let tokenizer: ModelFilesInput['tokenizer'];
  if (vocab && merges) tokenizer = { vocabJson: await vocab.file.text(), mergesTxt: await merges.file.text() };
  else if (tj) tokenizer = { tokenizerJson: await tj.file.text() };
  else {
    throw new ClipError(
      'tokenizer',
      `The dropped files have weights but no tokenizer: add vocab.json and merges.txt (or tokenizer.json) from the same model.`,
    );
  }
  const configFile = byName.get('config.json');
  let config: unknown = null;
  if (configFile) config = parseJsonObject(await configFile.file.text(), 'The dropped config.json', 'config');
  const folder = weights.path.includes('/') ? weights.path.slice(0, weights.path.lastIndexOf('/')) : '';
  return { name: folder ? folder.split('/').pop()! : weights.file.name, config, tokenizer, weights: weights.file };
}
