/**
 * Which tensors of a CLIP checkpoint are kept compact (the big matrices every matmul reads: q/k/v,
 * out, fc1, fc2 and both projections, the token table the embedding gathers rows from and the patch
 * embedding's conv weight, read as a matrix by im2col + matmul; position embeddings, biases and layer
 * norms stay F32), and reading one
 * of them from a safetensors file in a given format: as stored when the file already holds that
 * format (F16 / BF16 / I8 + `<name>_scale`), else converted from F32 by the one quantizer
 * (kernels/matmul/weight-formats.ts), refusing a conversion that is not finite (f16 overflow).
 */
import { ClipError } from '../../errors.ts';
import { packingError, packMatrix, type PackedMatrix, type WeightFormat } from '../../kernels/matmul/weight-formats.ts';
import type { SafetensorsFile } from '../safetensors/reader.ts';

/** Is this HF tensor one of the matrices kept in the compact format (the token table among them)? */
export function isCompactMatrix(name: string): boolean {
  return (
    /\.(self_attn\.[qkvo]\w*_proj|mlp\.fc[12])\.weight$/.test(name) ||
    name === 'visual_projection.weight' ||
    name === 'text_projection.weight' ||
    name === 'text_model.embeddings.token_embedding.weight' ||
    name === 'vision_model.embeddings.patch_embedding.weight'
  );
}

/** A compact matrix's [rows, cols]: a conv weight [out, C, P, P] is the matrix [out, C·P·P] im2col multiplies. */
export function matrixShape(shape: readonly number[]): [number, number] {
  return [shape[0], shape.slice(1).reduce((a, b) => a * b, 1)];
}

/** The safetensors dtype each format is stored as. */
export const STORED_DTYPE: Readonly<Record<WeightFormat, 'F32' | 'F16' | 'BF16' | 'I8'>> = {
  f32: 'F32',
  f16: 'F16',
  bf16: 'BF16',
  int8: 'I8',
};

export const scaleName = (name: string) => `${name}_scale`;

/** A matrix as F32 values, whatever its stored dtype (I8 dequantized with its scales). */
export async function readMatrixF32(file: SafetensorsFile, name: string): Promise<Float32Array> {
  const info = file.info(name);
  if (info.dtype !== 'I8') return file.readF32(name);
  const [rows, cols] = matrixShape(info.shape);
  const q = new Int8Array((await file.readRaw(name)).slice().buffer);
  const scale = await file.readF32(scaleName(name));
  if (scale.length !== rows)
    throw new ClipError('weights', `${file.name}: ${scaleName(name)} has ${scale.length} scales for ${rows} rows`);
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = q[i] * scale[Math.floor(i / cols)];
  return out;
}

/** One matrix in `format`: as stored when the file holds that format, else converted from F32. */
export async function readMatrix(file: SafetensorsFile, name: string, format: WeightFormat): Promise<PackedMatrix> {
  const info = file.info(name);
  const [rows, cols] = matrixShape(info.shape);
  if (format !== 'f32' && info.dtype === STORED_DTYPE[format]) {
    const raw = await file.readRaw(name);
    const words = new Uint32Array(Math.ceil(raw.byteLength / 4));
    new Uint8Array(words.buffer).set(raw);
    const scale = format === 'int8' ? await file.readF32(scaleName(name)) : null;
    if (scale && scale.length !== rows)
      throw new ClipError('weights', `${file.name}: ${scaleName(name)} has ${scale.length} scales for ${rows} rows`);
    return { format, rows, cols, words, scale };
  }
  return convertMatrix(await readMatrixF32(file, name), rows, cols, format, `${file.name}: ${name}`);
}

/** The one conversion both loading and `convert` use, with its guard: a non-finite result is refused. */
export function convertMatrix(
  w: Float32Array,
  rows: number,
  cols: number,
  format: WeightFormat,
  what: string,
): PackedMatrix {
  const packed = packMatrix(w, rows, cols, format);
  if (format !== 'f32' && !packingError(w, packed).finite) {
    throw new ClipError(
      'weights',
      `${what} does not fit in ${format} (a value overflows to infinity): load it as f32 or bf16.`,
    );
  }
  return packed;
}

/** Several matrices stacked along rows (q | k | v) into one. */
export function stackMatrices(parts: readonly PackedMatrix[]): PackedMatrix {
  const { format, cols } = parts[0];
  const rows = parts.reduce((s, p) => s + p.rows, 0);
  const bytes = { f32: 4, f16: 2, bf16: 2, int8: 1 }[format];
  const out = new Uint8Array(4 * Math.ceil((rows * cols * bytes) / 4));
  let at = 0;
  for (const p of parts) {
    const n = p.rows * p.cols * bytes;
    out.set(new Uint8Array(p.words.buffer, p.words.byteOffset, n), at);
    at += n;
  }
  const scale = format === 'int8' ? Float32Array.from(parts.flatMap((p) => [...p.scale!])) : null;
  return { format, rows, cols, words: new Uint32Array(out.buffer), scale };
}
