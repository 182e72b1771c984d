/**
 * safetensors reader: `[u64 LE header length N][N bytes of JSON header][data]`.
 * Validates the whole header up front, then reads one tensor's byte range per call.
 */
import { ClipError } from '../../errors.ts';
import type { ByteSource } from '../sources.ts';
import { ITEM_SIZE, bytesToF32, bytesToI64, isFloatDtype, isKnownDtype } from './dtypes.ts';
import type { Dtype } from './dtypes.ts';

export interface TensorInfo {
  readonly dtype: Dtype;
  readonly shape: number[];
  /** Absolute byte offsets in the file: [begin, end). */
  readonly begin: number;
  readonly end: number;
}

/** Real headers are kilobytes; anything this large is corruption, not a model. */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024;

export function numElements(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1); // [] (0-d) -> 1
}

function fail(message: string): never {
  throw new ClipError('safetensors', message);
}

export class SafetensorsFile {
  private constructor(
    readonly source: ByteSource,
    readonly size: number,
    readonly tensors: Map<string, TensorInfo>,
    readonly metadata: Record<string, string>,
    /** Absolute offset of the data section (8 + header length). */
    readonly dataStart: number,
  ) {}

  get name(): string {
    return this.source.name;
  }

  static async open(source: ByteSource): Promise<SafetensorsFile> {
    const file = source.name;
    const size = await source.size();
    if (size < 8) fail(`${file}: too short to be a safetensors file (${size} bytes; the header length alone needs 8)`);
    const prefix = await source.read(0, 8);
    if (/^\s*<(!doctyp|html|head|body)/i.test(String.fromCharCode(...prefix))) {
      fail(`${file} is an HTML page, not a safetensors file (a server's page for a file it does not have?)`);
    }
    const n = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
    if (n > BigInt(MAX_HEADER_BYTES)) {
      fail(
        `${file}: header length ${n} is absurd (limit ${MAX_HEADER_BYTES}, file is ${size} bytes): not a safetensors file?`,
      );
    }
    const headerLen = Number(n);
    if (8 + headerLen > size) {
      fail(`${file} is truncated: the header needs bytes 8..${8 + headerLen} but the file has ${size}`);
    }
    const header = parseHeader(file, await source.read(8, headerLen));
    const dataStart = 8 + headerLen;
    const { tensors, metadata } = validateEntries(file, header, dataStart, size);
    return new SafetensorsFile(source, size, tensors, metadata, dataStart);
  }

  info(name: string): TensorInfo {
    const t = this.tensors.get(name);
    if (!t) throw new ClipError('weights', `no tensor named "${name}" in ${this.name}`);
    return t;
  }

  /** The tensor's raw little-endian bytes (may be a view of the source's storage: read-only). */
  async readRaw(name: string): Promise<Uint8Array> {
    const t = this.info(name);
    const bytes = await this.source.read(t.begin, t.end - t.begin);
    if (bytes.byteLength !== t.end - t.begin) {
      fail(`${this.name}: reading tensor "${name}" returned ${bytes.byteLength} of ${t.end - t.begin} bytes`);
    }
    return bytes;
  }

  /** F32/F16/BF16/F64 tensor as a new Float32Array (row-major, `numElements(shape)` long). */
  async readF32(name: string): Promise<Float32Array> {
    const t = this.info(name);
    if (!isFloatDtype(t.dtype)) {
      fail(`${this.name}: tensor "${name}" is ${t.dtype}, not a float tensor (use readI64)`);
    }
    return bytesToF32(t.dtype, await this.readRaw(name), numElements(t.shape));
  }

  async readI64(name: string): Promise<BigInt64Array> {
    const t = this.info(name);
    if (t.dtype !== 'I64') fail(`${this.name}: tensor "${name}" is ${t.dtype}, not I64`);
    return bytesToI64(await this.readRaw(name), numElements(t.shape));
  }
}

function parseHeader(file: string, bytes: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    fail(`${file}: the safetensors header is not valid UTF-8`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    fail(`${file}: the safetensors header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    fail(`${file}: the safetensors header is not a JSON object`);
  }
  const duplicate = firstDuplicateKey(text);
  if (duplicate !== undefined) fail(`${file}: the safetensors header names tensor ${JSON.stringify(duplicate)} twice`);
  return json as Record<string, unknown>;
}

/**
 * The first top-level key that appears twice in a JSON object's text (JSON.parse silently keeps the
 * last one, so two readers could see different tensors). The text is known to be valid JSON.
 */
function firstDuplicateKey(text: string): string | undefined {
  const seen = new Set<string>();
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (depth === 1 && expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (seen.has(key)) return key;
        seen.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === '{' || c === '[') {
      depth++;
      expectKey = depth === 1 && c === '{';
    } else if (c === '}' || c === ']') {
      depth--;
    } else if (c === ',' && depth === 1) {
      expectKey = true;
    }
  }
  return undefined;
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

function validateEntries(file: string, header: Record<string, unknown>, dataStart: number, size: number) {
  const tensors = new Map<string, TensorInfo>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        fail(`${file}: __metadata__ must be an object of strings`);
      }
      metadata = Object.fromEntries(
        Object.entries(entry).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
      );
      continue;
    }
    const where = `tensor "${name}" in ${file}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      fail(`${where}: header entry is not an object`);
    const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
    if (dtype === undefined) fail(`${where}: header entry has no "dtype"`);
    if (shape === undefined) fail(`${where}: header entry has no "shape"`);
    if (offsets === undefined) fail(`${where}: header entry has no "data_offsets"`);
    if (!isKnownDtype(dtype)) {
      fail(`${where} has unsupported dtype ${JSON.stringify(dtype)} (supported: ${Object.keys(ITEM_SIZE).join(', ')})`);
    }
    if (!Array.isArray(shape) || !shape.every(isCount))
      fail(`${where}: shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
    if (!Array.isArray(offsets) || offsets.length !== 2)
      fail(`${where}: data_offsets ${JSON.stringify(offsets)} is not a pair [begin, end]`);
    const [b, e] = offsets as unknown[];
    if (!isCount(b) || !isCount(e))
      fail(`${where}: data_offsets ${JSON.stringify(offsets)} must be non-negative integers`);
    if (e < b) fail(`${where}: data_offsets [${b}, ${e}] are out of order (end before begin)`);
    const need = numElements(shape) * ITEM_SIZE[dtype];
    if (e - b !== need) {
      fail(`${where}: ${dtype} [${shape.join(', ')}] needs ${need} bytes but data_offsets [${b}, ${e}] span ${e - b}`);
    }
    tensors.set(name, { dtype, shape: [...shape], begin: dataStart + b, end: dataStart + e });
  }
  // In file order: the first tensor that does not fit is where a truncated download stopped.
  const byOffset = [...tensors].sort((x, y) => x[1].begin - y[1].begin || x[1].end - y[1].end);
  let prev: [string, TensorInfo] | undefined;
  for (const cur of byOffset) {
    const [name, t] = cur;
    if (t.end > size) {
      fail(`${file} is truncated: tensor "${name}" needs bytes ${t.begin}..${t.end} but the file has ${size}`);
    }
    if (prev && t.begin < prev[1].end && t.end > t.begin) {
      fail(
        `${file}: tensors "${prev[0]}" (data_offsets [${prev[1].begin - dataStart}, ${prev[1].end - dataStart}]) ` +
          `and "${name}" ([${t.begin - dataStart}, ${t.end - dataStart}]) overlap`,
      );
    }
    if (t.end > t.begin) prev = cur; // empty tensors overlap nothing
  }
  return { tensors, metadata };
}
