/**
 * safetensors writer. `buildHeader` + `encodeTensor` are shared with the streaming Node writer
 * (src/node/safetensors-stream.ts), which writes one tensor at a time for 600 MB models.
 */
import { ClipError } from '../../errors.ts';
import { ITEM_SIZE, LITTLE_ENDIAN, f32ToBf16Bits, f32ToF16Bits } from './dtypes.ts';
import { numElements } from './reader.ts';

export type WritableDtype = 'F32' | 'F16' | 'BF16' | 'I64' | 'I8';
const WRITABLE: ReadonlySet<string> = new Set(['F32', 'F16', 'BF16', 'I64', 'I8']);

/**
 * Tensor data: float values (Float32Array / Float64Array / number[]; converted to F16/BF16 with
 * round-to-nearest-even), raw F16/BF16 bits as a Uint16Array, I64 as BigInt64Array or number[],
 * or the already-encoded little-endian bytes as a Uint8Array (the only form I8 takes).
 */
export type TensorData = Float32Array | Float64Array | Uint16Array | BigInt64Array | Uint8Array | readonly number[];

export interface TensorSpec {
  name: string;
  dtype: WritableDtype;
  shape: number[];
}

export interface TensorToWrite extends TensorSpec {
  data: TensorData;
}

export interface TensorLayout extends TensorSpec {
  /** Offsets relative to the data section, as in the header. */
  begin: number;
  end: number;
}

/**
 * The header bytes (8-byte length prefix included) and the layout of the data section.
 * Larger item sizes go first (stable otherwise), as the reference implementation does, so every
 * tensor is aligned to its item size; the JSON is padded with spaces to a multiple of 8.
 */
export function buildHeader(
  specs: readonly TensorSpec[],
  metadata?: Record<string, string>,
): {
  header: Uint8Array;
  layout: TensorLayout[];
  dataBytes: number;
} {
  const seen = new Set<string>();
  for (const s of specs) {
    if (s.name === '__metadata__' || seen.has(s.name)) {
      throw new ClipError('input', `safetensors writer: duplicate or reserved tensor name "${s.name}"`);
    }
    if (!WRITABLE.has(s.dtype)) {
      throw new ClipError('input', `safetensors writer: cannot write dtype ${s.dtype} (tensor "${s.name}")`);
    }
    seen.add(s.name);
  }
  const ordered = [...specs].sort((a, b) => ITEM_SIZE[b.dtype] - ITEM_SIZE[a.dtype]);
  const json: Record<string, unknown> = {};
  if (metadata) json.__metadata__ = metadata;
  const layout: TensorLayout[] = [];
  let offset = 0;
  for (const s of ordered) {
    const end = offset + numElements(s.shape) * ITEM_SIZE[s.dtype];
    layout.push({ name: s.name, dtype: s.dtype, shape: [...s.shape], begin: offset, end });
    json[s.name] = { dtype: s.dtype, shape: s.shape, data_offsets: [offset, end] };
    offset = end;
  }
  let text = JSON.stringify(json);
  const raw = new TextEncoder().encode(text);
  text += ' '.repeat((8 - (raw.byteLength % 8)) % 8);
  const body = new TextEncoder().encode(text);
  const header = new Uint8Array(8 + body.byteLength);
  new DataView(header.buffer).setBigUint64(0, BigInt(body.byteLength), true);
  header.set(body, 8);
  return { header, layout, dataBytes: offset };
}

/** Little-endian bytes of one tensor, checked against its shape. */
export function encodeTensor(spec: TensorSpec, data: TensorData): Uint8Array {
  const count = numElements(spec.shape);
  const nbytes = count * ITEM_SIZE[spec.dtype];
  const bad = (got: string): never => {
    throw new ClipError(
      'input',
      `safetensors writer: tensor "${spec.name}" ${spec.dtype} [${spec.shape.join(', ')}] ` +
        `needs ${count} elements (${nbytes} bytes), got ${got}`,
    );
  };
  if (data instanceof Uint8Array) {
    if (data.byteLength !== nbytes) bad(`${data.byteLength} bytes`);
    return data;
  }
  if (data.length !== count) bad(`${data.length} elements`);
  if (spec.dtype === 'F32' && data instanceof Float32Array && LITTLE_ENDIAN) {
    return new Uint8Array(data.buffer, data.byteOffset, nbytes); // already the file format: no second copy
  }
  const out = new Uint8Array(nbytes);
  const dv = new DataView(out.buffer);
  switch (spec.dtype) {
    case 'F32':
      for (let i = 0; i < count; i++) dv.setFloat32(4 * i, Number(data[i]), true);
      break;
    case 'F16':
    case 'BF16': {
      const conv = spec.dtype === 'F16' ? f32ToF16Bits : f32ToBf16Bits;
      if (data instanceof Uint16Array) for (let i = 0; i < count; i++) dv.setUint16(2 * i, data[i], true);
      else for (let i = 0; i < count; i++) dv.setUint16(2 * i, conv(Number(data[i])), true);
      break;
    }
    case 'I8':
      bad('values: I8 is written from its bytes (a Uint8Array)');
      break;
    case 'I64':
      for (let i = 0; i < count; i++) dv.setBigInt64(8 * i, BigInt(data[i] as number | bigint), true);
      break;
  }
  return out;
}

/** The whole file in one buffer: fine for tests and small models; use the Node streaming writer for big ones. */
export function writeSafetensors(tensors: readonly TensorToWrite[], metadata?: Record<string, string>): Uint8Array {
  const { header, layout, dataBytes } = buildHeader(tensors, metadata);
  const out = new Uint8Array(header.byteLength + dataBytes);
  out.set(header);
  const byName = new Map(tensors.map((t) => [t.name, t]));
  for (const l of layout) out.set(encodeTensor(l, byName.get(l.name)!.data), header.byteLength + l.begin);
  return out;
}
