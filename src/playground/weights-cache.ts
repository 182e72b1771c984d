/**
 * Model files in the browser's Cache Storage, downloaded in resumable chunks.
 *
 * A 600 MB checkpoint is stored as 4 MiB chunk entries plus one small JSON record per file, all
 * keyed by the file's URL with a `clip-webgpu=` query parameter. Chunks are written as they
 * arrive, so a dropped connection, a closed tab or a Cancel loses at most one chunk: the next
 * attempt asks for `Range: bytes=<saved>-`. A complete file comes back as one Blob made of the
 * chunks' Blobs, which Chrome keeps on disk, so nothing is held in memory twice.
 */
import { ClipError } from '../errors.ts';
import { errorText } from '../model/sources.ts';
import { RateMeter } from './rate-meter.ts';

export const CACHE_NAME = 'clip-webgpu-models-v1';
export const DEFAULT_CHUNK_SIZE = 4 * 1024 * 1024;

/** Progress of one file fetched through the browser's weights cache (Node's hub download has HubDownloadProgress). */
export interface CacheDownloadProgress {
  /** File name, e.g. "model.safetensors". */
  file: string;
  url: string;
  /** Bytes of this file in hand (cached chunks included). */
  loaded: number;
  /** File size, when the server said. */
  total: number | undefined;
  /** Bytes per second over the last seconds (0 when served from the cache). */
  speed: number;
  /** Seconds left at this speed. */
  eta: number | undefined;
  fromCache: boolean;
  done: boolean;
}

export interface FetchFileOptions {
  onProgress?: (p: CacheDownloadProgress) => void;
  signal?: AbortSignal;
  /** A 404 gives null instead of an error (and is remembered, so offline loads agree). */
  optional?: boolean;
  /** Resume attempts after a dropped connection. */
  retries?: number;
  /**
   * Throws when the bytes are not the file they should be (an HTML fallback page, broken JSON, a
   * bad safetensors header). A download that fails it is not kept; a cached copy that fails it is
   * dropped and downloaded again, so one bad answer never sticks to a URL.
   */
  check?: (blob: Blob) => Promise<void>;
}

/** What the cache knows about one file. */
export interface CachedFile {
  url: string;
  /** Bytes saved so far. */
  bytes: number;
  size: number | null;
  complete: boolean;
  /** The server said 404: remembered so that an offline load takes the same path. */
  missing: boolean;
  savedAt: number;
}

interface Meta extends CachedFile {
  chunkSize: number;
  chunks: number;
  etag: string | null;
}

export interface CacheUsage {
  /** Bytes of model files in this cache. */
  bytes: number;
  /** Per folder (a model), complete or partial. */
  models: { folder: string; bytes: number; complete: boolean }[];
  /** The whole origin's storage, as the browser reports it. */
  originUsage?: number;
  quota?: number;
}

const PARAM = 'clip-webgpu';
const fileName = (url: string) => decodeURIComponent(new URL(url).pathname.split('/').pop() || url);

export class WeightsCache {
  /** `store: false` downloads without keeping anything (e.g. for a one-off model). */
  constructor(
    readonly cacheName = CACHE_NAME,
    readonly chunkSize = DEFAULT_CHUNK_SIZE,
    private readonly store = true,
  ) {}

  /** Cache Storage exists only on secure pages (https, localhost); elsewhere files are not kept. */
  get available(): boolean {
    return this.store && typeof caches !== 'undefined';
  }

  /** The file as a Blob, from the cache or downloaded (and cached); null for a missing optional file. */
  async fetchFile(url: string, options: FetchFileOptions = {}): Promise<Blob | null> {
    if (!this.available) return this.fetchUncached(url, options);
    const cache = await caches.open(this.cacheName);
    const meta = await this.readMeta(cache, url);
    if (meta?.complete && meta.missing) {
      // A remembered 404 is asked again (the file may be there now); offline, the memory answers.
      return this.download(cache, url, null, options).catch((e) => {
        if (e instanceof ClipError && e.code === 'network' && !(e as { status?: number }).status)
          return this.missing(url, options);
        throw e;
      });
    }
    if (meta?.complete) {
      const blob = await this.assemble(cache, meta);
      if (blob && (await passes(blob, options))) {
        options.onProgress?.({
          file: fileName(url),
          url,
          loaded: blob.size,
          total: blob.size,
          speed: 0,
          eta: 0,
          fromCache: true,
          done: true,
        });
        return blob;
      }
      await this.forget(cache, meta); // gone, or not the file it claims to be: download it again
    }
    return this.download(
      cache,
      url,
      meta && !meta.complete && meta.chunkSize === this.chunkSize ? meta : null,
      options,
    );
  }

  /** True when every URL is complete in the cache (a load would not touch the network). */
  async hasAll(urls: readonly string[]): Promise<boolean> {
    if (!this.available) return false;
    const cache = await caches.open(this.cacheName);
    for (const url of urls) {
      if (!(await this.readMeta(cache, url))?.complete) return false;
    }
    return true;
  }

  async files(): Promise<CachedFile[]> {
    if (!this.available || !(await caches.has(this.cacheName))) return [];
    const cache = await caches.open(this.cacheName);
    const out: CachedFile[] = [];
    for (const req of await cache.keys()) {
      if (new URL(req.url).searchParams.get(PARAM) !== 'meta') continue;
      const m = (await (await cache.match(req))?.json()) as Meta | undefined;
      if (m)
        out.push({
          url: m.url,
          bytes: m.bytes,
          size: m.size,
          complete: m.complete,
          missing: m.missing,
          savedAt: m.savedAt,
        });
    }
    return out;
  }

  async usage(): Promise<CacheUsage> {
    const models = new Map<string, { folder: string; bytes: number; complete: boolean }>();
    let bytes = 0;
    for (const f of await this.files()) {
      if (f.missing) continue; // a remembered 404 is not a model
      const folder = f.url.slice(0, f.url.lastIndexOf('/') + 1);
      const m = models.get(folder) ?? { folder, bytes: 0, complete: true };
      m.bytes += f.bytes;
      m.complete &&= f.complete;
      models.set(folder, m);
      bytes += f.bytes;
    }
    const estimate = await navigator.storage?.estimate?.().catch(() => undefined);
    return { bytes, models: [...models.values()], originUsage: estimate?.usage, quota: estimate?.quota };
  }

  /** Forget every file under `folder` (a model), or everything. */
  async clear(folder?: string): Promise<void> {
    if (!this.available) return;
    if (!folder) {
      await caches.delete(this.cacheName);
      return;
    }
    const cache = await caches.open(this.cacheName);
    for (const req of await cache.keys()) {
      const u = new URL(req.url);
      u.searchParams.delete(PARAM);
      if (u.href.startsWith(folder)) await cache.delete(req);
    }
  }

  // ---- internals ------------------------------------------------------------------------------

  private key(url: string, what: string): string {
    const u = new URL(url);
    u.searchParams.set(PARAM, what);
    return u.href;
  }

  private async readMeta(cache: Cache, url: string): Promise<Meta | null> {
    const res = await cache.match(this.key(url, 'meta'));
    return res ? ((await res.json()) as Meta) : null;
  }

  private async writeMeta(cache: Cache, meta: Meta): Promise<void> {
    meta.savedAt = Date.now();
    await cache.put(
      this.key(meta.url, 'meta'),
      new Response(JSON.stringify(meta), { headers: { 'content-type': 'application/json' } }),
    );
  }

  /** The saved chunks as one Blob, or null if one has gone (evicted or cleared half-way). */
  private async assemble(cache: Cache, meta: Meta): Promise<Blob | null> {
    const parts: Blob[] = [];
    for (let i = 0; i < meta.chunks; i++) {
      const res = await cache.match(this.key(meta.url, `chunk-${i}`));
      if (!res) return null;
      parts.push(await res.blob());
    }
    const blob = new Blob(parts);
    return blob.size === meta.bytes ? blob : null;
  }

  private async missing(url: string, options: FetchFileOptions): Promise<null> {
    if (options.optional) return null;
    throw new ClipError('not-found', `Not found: ${url} (HTTP 404).`);
  }

  private async download(
    cache: Cache,
    url: string,
    resume: Meta | null,
    options: FetchFileOptions,
  ): Promise<Blob | null> {
    const meta: Meta = resume ?? {
      url,
      bytes: 0,
      size: null,
      complete: false,
      missing: false,
      savedAt: 0,
      chunkSize: this.chunkSize,
      chunks: 0,
      etag: null,
    };
    const retries = options.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      try {
        const done = await this.downloadOnce(cache, meta, options);
        if (done === 'missing') return this.missing(url, options);
        const blob = await this.assemble(cache, meta);
        if (!blob)
          throw new ClipError(
            'network',
            `${fileName(url)} could not be stored in the browser cache (is the disk full?).`,
          );
        try {
          await options.check?.(blob);
        } catch (e) {
          await this.forget(cache, meta); // never keep a wrong answer under this URL
          throw e;
        }
        return blob;
      } catch (e) {
        const retryable = e instanceof ClipError && e.code === 'network' && (e as { retryable?: boolean }).retryable;
        if (!retryable || attempt >= retries || options.signal?.aborted) throw e;
        await sleep(500 * 2 ** attempt, options.signal);
      }
    }
  }

  /** One request: from meta.bytes to the end. Chunks and meta are saved as they complete. */
  private async downloadOnce(cache: Cache, meta: Meta, options: FetchFileOptions): Promise<'done' | 'missing'> {
    const { url } = meta;
    const file = fileName(url);
    const offset = meta.bytes;
    const res = await fetchOrThrow(url, offset, options.signal);
    if (res.status === 404 || res.status === 410) {
      void res.body?.cancel();
      if (!options.optional) throw new ClipError('not-found', `Not found: ${url} (HTTP ${res.status}).`);
      Object.assign(meta, { complete: true, missing: true });
      await this.writeMeta(cache, meta);
      return 'missing';
    }
    if (res.status === 416 || (offset > 0 && !sameFile(res, meta, offset))) {
      // The file changed on the server (or the saved part is wrong): start over.
      void res.body?.cancel();
      await this.resetChunks(cache, meta);
      return this.downloadOnce(cache, meta, options);
    }
    if (!res.ok) {
      void res.body?.cancel();
      throw httpError(url, res);
    }
    if (offset > 0 && res.status === 200) await this.resetChunks(cache, meta); // Range ignored: whole file again
    const start = meta.bytes;
    const total = res.status === 206 ? (rangeTotal(res) ?? start + (contentLength(res) ?? NaN)) : contentLength(res);
    meta.size = total !== undefined && Number.isFinite(total) ? total : null;
    meta.etag = res.headers.get('etag') ?? meta.etag;
    await this.writeMeta(cache, meta);

    const meter = new RateMeter();
    let loaded = start;
    let lastReport = 0;
    const report = (done: boolean) => {
      const speed = meter.add(loaded - start);
      const left = meta.size !== null ? meta.size - loaded : undefined;
      options.onProgress?.({
        file,
        url,
        loaded,
        total: meta.size ?? undefined,
        speed,
        eta: left !== undefined && speed > 0 ? left / speed : undefined,
        fromCache: false,
        done,
      });
    };
    report(false);
    let pending: Blob[] = [];
    let pendingBytes = 0;
    const flush = async (bytes: number) => {
      const all = new Blob(pending);
      const chunk = all.slice(0, bytes);
      pending = bytes < all.size ? [all.slice(bytes)] : [];
      pendingBytes -= bytes;
      await cache.put(this.key(url, `chunk-${meta.chunks}`), new Response(chunk));
      meta.chunks += 1;
      meta.bytes += bytes;
      await this.writeMeta(cache, meta);
    };
    const reader = res.body!.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        pending.push(new Blob([value as Uint8Array<ArrayBuffer>]));
        pendingBytes += value.byteLength;
        loaded += value.byteLength;
        while (pendingBytes >= meta.chunkSize) await flush(meta.chunkSize);
        const now = performance.now();
        if (now - lastReport > 100) {
          lastReport = now;
          report(false);
        }
      }
    } catch (e) {
      if (options.signal?.aborted) throw options.signal.reason ?? e;
      throw stopped(file, meta, e);
    }
    if (meta.size !== null && loaded !== meta.size) {
      throw stopped(file, meta, new Error(`the connection closed after ${loaded} of ${meta.size} bytes`));
    }
    if (pendingBytes > 0) await flush(pendingBytes);
    meta.complete = true;
    meta.size = meta.bytes;
    await this.writeMeta(cache, meta);
    report(true);
    return 'done';
  }

  /** Drops a file's chunks and record. */
  private async forget(cache: Cache, meta: Meta): Promise<void> {
    await this.resetChunks(cache, meta);
    await cache.delete(this.key(meta.url, 'meta'));
  }

  private async resetChunks(cache: Cache, meta: Meta): Promise<void> {
    for (let i = 0; i < meta.chunks; i++) await cache.delete(this.key(meta.url, `chunk-${i}`));
    Object.assign(meta, { chunks: 0, bytes: 0, size: null, etag: null, complete: false });
  }

  /** No Cache Storage (insecure page): one plain download into memory, with progress. */
  private async fetchUncached(url: string, options: FetchFileOptions): Promise<Blob | null> {
    const res = await fetchOrThrow(url, 0, options.signal);
    if (res.status === 404 || res.status === 410) {
      void res.body?.cancel();
      return this.missing(url, options);
    }
    if (!res.ok) throw httpError(url, res);
    const total = contentLength(res);
    const meter = new RateMeter();
    const parts: Blob[] = [];
    let loaded = 0;
    const reader = res.body!.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(new Blob([value as Uint8Array<ArrayBuffer>]));
        loaded += value.byteLength;
        const speed = meter.add(loaded);
        options.onProgress?.({
          file: fileName(url),
          url,
          loaded,
          total,
          speed,
          eta: total && speed > 0 ? (total - loaded) / speed : undefined,
          fromCache: false,
          done: false,
        });
      }
    } catch (e) {
      if (options.signal?.aborted) throw options.signal.reason ?? e;
      throw new ClipError('network', `Download of ${fileName(url)} failed: ${errorText(e)}`, { cause: e });
    }
    if (total !== undefined && loaded !== total) {
      throw new ClipError('network', `Download of ${fileName(url)} stopped after ${loaded} of ${total} bytes.`);
    }
    const blob = new Blob(parts);
    await options.check?.(blob);
    return blob;
  }
}

async function fetchOrThrow(url: string, offset: number, signal?: AbortSignal): Promise<Response> {
  try {
    // no-store: the Cache Storage copy is the only one (the HTTP cache would keep a second 600 MB).
    return await fetch(url, { headers: offset > 0 ? { Range: `bytes=${offset}-` } : {}, cache: 'no-store', signal });
  } catch (e) {
    if (signal?.aborted) throw signal.reason ?? e;
    const host = new URL(url).host;
    const err = new ClipError(
      'network',
      `Could not reach ${host} for ${fileName(url)} (${errorText(e)}). Check your connection; if the server is up, ` +
        'it may not allow downloads from this page (CORS).',
      { cause: e },
    );
    throw Object.assign(err, { retryable: offset > 0 });
  }
}

/** What a failed answer means: the hub's terms only when the hub said so (its X-Error-Code). */
function httpError(url: string, res: Response): ClipError {
  const code = res.headers.get('x-error-code');
  const status = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
  let err: ClipError;
  if (code === 'RepoNotFound' || code === 'GatedRepo') {
    err = new ClipError(
      'not-found',
      `${url}: HTTP ${res.status} (${code}): the repository does not exist, or it is private or gated.`,
    );
  } else if (res.status === 401 || res.status === 403) {
    err = new ClipError('not-found', `${url}: ${status}: the server refused access to this file.`);
  } else {
    err = Object.assign(new ClipError('network', `${url}: ${status}`), { retryable: res.status >= 500 });
  }
  return Object.assign(err, { status: res.status });
}

/** Whether a cached copy passes the caller's check (a failing copy is dropped by the caller). */
async function passes(blob: Blob, options: FetchFileOptions): Promise<boolean> {
  try {
    await options.check?.(blob);
    return true;
  } catch {
    return false;
  }
}

function stopped(file: string, meta: Meta, e: unknown): ClipError {
  const of = meta.size !== null ? ` of ${meta.size}` : '';
  const err = new ClipError(
    'network',
    `The download of ${file} stopped (${errorText(e)}). ${meta.bytes}${of} bytes are saved; loading again resumes from there.`,
    { cause: e },
  );
  return Object.assign(err, { retryable: true });
}

/** A 206 that continues our saved bytes of the same file. */
function sameFile(res: Response, meta: Meta, offset: number): boolean {
  if (res.status !== 206) return true; // a 200 restarts from zero, handled by the caller
  const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(res.headers.get('content-range') ?? '');
  if (m && Number(m[1]) !== offset) return false;
  const total = rangeTotal(res);
  if (meta.size !== null && total !== undefined && total !== meta.size) return false;
  const etag = res.headers.get('etag');
  return !(etag && meta.etag && etag !== meta.etag);
}

function rangeTotal(res: Response): number | undefined {
  const m = /\/(\d+)$/.exec(res.headers.get('content-range') ?? '');
  return m ? Number(m[1]) : undefined;
}

function contentLength(res: Response): number | undefined {
  // A compressed body's Content-Length is not the size of the bytes we read.
  if (res.headers.get('content-encoding')) return undefined;
  const v = res.headers.get('content-length');
  return v !== null && /^\d+$/.test(v) ? Number(v) : undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
