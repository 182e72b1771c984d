/**
 * Random-access byte sources for weights files. Browser-safe (no Node imports).
 *
 * The safetensors reader only ever asks for the 8-byte prefix, the header and one tensor's byte
 * range at a time, so a 600 MB checkpoint is never held in memory twice.
 */
import { ClipError } from '../errors.ts';
import { DEFAULT_HUB_ENDPOINT, hubFileUrl, validateRepoId } from './hub.ts';

export interface ByteSource {
  /** File name, path or URL: used in error messages. */
  readonly name: string;
  size(): Promise<number>;
  /**
   * Exactly `length` bytes starting at `offset`. The result may be a view of the source's own
   * storage (for in-memory sources): treat it as read-only.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
}

function checkRange(name: string, offset: number, length: number, size: number): void {
  if (
    !Number.isSafeInteger(offset) ||
    !Number.isSafeInteger(length) ||
    offset < 0 ||
    length < 0 ||
    offset + length > size
  ) {
    throw new RangeError(`${name}: cannot read ${length} bytes at offset ${offset} (size ${size})`);
  }
}

/** An ArrayBuffer or any typed-array view, read without copying. */
export class MemorySource implements ByteSource {
  readonly name: string;
  private readonly bytes: Uint8Array;

  constructor(data: ArrayBuffer | ArrayBufferView, name = 'buffer') {
    this.bytes =
      data instanceof ArrayBuffer
        ? new Uint8Array(data)
        : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    this.name = name;
  }

  async size(): Promise<number> {
    return this.bytes.byteLength;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(this.name, offset, length, this.bytes.byteLength);
    return this.bytes.subarray(offset, offset + length);
  }
}

/** A Blob or File (e.g. from <input type=file> or drag-and-drop): slices are read lazily. */
export class BlobSource implements ByteSource {
  readonly name: string;

  constructor(
    private readonly blob: Blob,
    name?: string,
  ) {
    this.name = name ?? ((blob as { name?: unknown }).name as string | undefined) ?? 'blob';
  }

  async size(): Promise<number> {
    return this.blob.size;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(this.name, offset, length, this.blob.size);
    return new Uint8Array(await this.blob.slice(offset, offset + length).arrayBuffer());
  }
}

/**
 * A URL read with HTTP Range requests (`Range: bytes=a-b`, expecting 206).
 *
 * Fallback: a server that ignores Range answers 200 with the whole body. We then keep that body
 * and serve every later read from it, so such a server costs one full download and the whole file
 * in memory, but never more than one request.
 */
export class UrlSource implements ByteSource {
  readonly name: string;
  private knownSize: number | undefined;
  private whole: Promise<Uint8Array> | undefined;

  constructor(
    readonly url: string,
    private readonly init: RequestInit = {},
  ) {
    this.name = url;
  }

  async size(): Promise<number> {
    if (this.knownSize !== undefined) return this.knownSize;
    if (this.whole) return (await this.whole).byteLength;
    const head = await this.fetch({ method: 'HEAD' });
    const len = head.ok ? parseLength(head.headers.get('content-length')) : undefined;
    if (len !== undefined) return (this.knownSize = len);
    // No usable HEAD (405, no Content-Length): probe with a one-byte range instead.
    const res = await this.fetch({ headers: { Range: 'bytes=0-0' } });
    if (res.status === 206) {
      const total = parseLength(res.headers.get('content-range')?.split('/')[1] ?? null);
      await res.body?.cancel();
      if (total !== undefined) return (this.knownSize = total);
      throw new ClipError('network', `${this.url}: the server sent no file size (Content-Range)`);
    }
    return (await this.keepWhole(res)).byteLength;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    if (length === 0) return new Uint8Array(0); // `bytes=a-(a-1)` is not a valid range
    if (this.whole) return sliceWhole(this.name, await this.whole, offset, length);
    const end = offset + length - 1;
    const res = await this.fetch({ headers: { Range: `bytes=${offset}-${end}` } });
    if (res.status === 206) {
      const bytes = new Uint8Array(await this.body(res));
      if (bytes.byteLength !== length) {
        throw new ClipError(
          'network',
          `${this.url}: asked for bytes ${offset}..${end + 1}, got ${bytes.byteLength} bytes`,
        );
      }
      return bytes;
    }
    return sliceWhole(this.name, await this.keepWhole(res), offset, length);
  }

  /** A 200 answer to a range request: the server ignored Range; keep the full body. */
  private keepWhole(res: Response): Promise<Uint8Array> {
    if (!this.whole) {
      this.whole = this.body(res).then((b) => new Uint8Array(b));
      this.whole.catch(() => {
        this.whole = undefined;
      }); // a failed body may be retried
    } else {
      void res.body?.cancel();
    }
    return this.whole;
  }

  private async body(res: Response): Promise<ArrayBuffer> {
    try {
      return await res.arrayBuffer();
    } catch (e) {
      throw new ClipError('network', `Network error reading ${this.url}: ${errorText(e)}`, { cause: e });
    }
  }

  /** fetch + status check: 404/410 -> not-found, other failures -> network. */
  private async fetch(extra: RequestInit): Promise<Response> {
    let res: Response;
    try {
      const headers = new Headers(this.init.headers);
      new Headers(extra.headers).forEach((v, k) => headers.set(k, v));
      res = await fetch(this.url, { ...this.init, ...extra, headers });
    } catch (e) {
      throw new ClipError('network', `Network error fetching ${this.url}: ${errorText(e)}`, { cause: e });
    }
    if (res.status === 404 || res.status === 410) {
      void res.body?.cancel();
      throw new ClipError('not-found', `Not found: ${this.url} (HTTP ${res.status})`);
    }
    if (!res.ok && extra.method !== 'HEAD') {
      // a failed HEAD falls back to a range probe
      void res.body?.cancel();
      throw new ClipError('network', `HTTP ${res.status} ${res.statusText} fetching ${this.url}`);
    }
    return res;
  }
}

function sliceWhole(name: string, whole: Uint8Array, offset: number, length: number): Uint8Array {
  checkRange(name, offset, length, whole.byteLength);
  return whole.subarray(offset, offset + length);
}

function parseLength(v: string | null): number | undefined {
  if (v === null || !/^\d+$/.test(v.trim())) return undefined;
  return Number(v.trim());
}

export function errorText(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause;
    return cause instanceof Error ? `${e.message} (${cause.message})` : e.message;
  }
  return String(e);
}

/** Anything a user may hand us: a ByteSource, bytes, a Blob/File, or an http(s) URL. */
export type ByteSourceInput = ByteSource | ArrayBuffer | ArrayBufferView | Blob | string | URL;

export function toByteSource(input: ByteSourceInput): ByteSource {
  if (typeof input === 'string' || input instanceof URL) {
    const url = String(input);
    if (!/^(https?:|blob:|data:)/i.test(url)) {
      throw new ClipError('input', `Not a URL: ${url} (in Node, open files with FileSource)`);
    }
    return new UrlSource(url);
  }
  if (input instanceof ArrayBuffer || ArrayBuffer.isView(input)) return new MemorySource(input);
  if (typeof Blob !== 'undefined' && input instanceof Blob) return new BlobSource(input);
  return input as ByteSource;
}

/** Where a model's files are read from: a folder URL, its weights URL, and the hub id if it was one. */
export interface ModelLocation {
  /** Absolute folder URL, ending in "/". */
  folder: string;
  weightsUrl: string;
  /** A hub id when the source was one. */
  repoId: string | null;
}

const SAFETENSORS_URL = /\.safetensors([?#].*)?$/i;

/** True for what is a URL rather than a hub id: a scheme, "/", "./", "../", or a trailing "/" or ".safetensors". */
export function isModelUrl(source: string): boolean {
  return (
    /^(https?:|blob:)/i.test(source) ||
    /^\.{0,2}\//.test(source) ||
    source.endsWith('/') ||
    SAFETENSORS_URL.test(source)
  );
}

/**
 * The one resolver of model sources for the library and the playground: a hub id ("org/name"), an
 * absolute URL, or a URL relative to the page ("/models/clip/", "./clip/", "clip/model.safetensors")
 * -> absolute folder and weights URLs. `base` defaults to the page's address.
 */
export function resolveModelLocation(
  source: string,
  options: { endpoint?: string; base?: string } = {},
): ModelLocation {
  const s = source.trim();
  if (!isModelUrl(s)) {
    const repoId = validateRepoId(s);
    const folder = hubFileUrl(repoId, '', { endpoint: options.endpoint || DEFAULT_HUB_ENDPOINT });
    return { folder, weightsUrl: folder + 'model.safetensors', repoId };
  }
  const base = options.base ?? (globalThis as { location?: { href?: string } }).location?.href;
  let abs: string;
  try {
    abs = new URL(s, base).href;
  } catch {
    throw new ClipError(
      'input',
      base
        ? `Not a valid model URL: ${JSON.stringify(s)}.`
        : `${JSON.stringify(s)} is a relative URL, and there is no page to resolve it against: give an absolute URL${
            /^https?:/i.test(s) ? '' : ' (in Node, a folder path)'
          }.`,
    );
  }
  if (SAFETENSORS_URL.test(abs)) {
    const path = abs.replace(/[?#].*$/, '');
    return { folder: path.slice(0, path.lastIndexOf('/') + 1), weightsUrl: abs, repoId: null };
  }
  const folder = abs.replace(/[?#].*$/, '').replace(/\/?$/, '/');
  return { folder, weightsUrl: folder + 'model.safetensors', repoId: null };
}
