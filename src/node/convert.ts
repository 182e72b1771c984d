/**
 * `clip-webgpu convert`: a smaller Hugging Face folder whose big matrices (compact/matrices.ts) are
 * F16, BF16 or I8 with `<name>_scale` F32 [rows] beside each; every other tensor is copied as it is,
 * and so are the folder's other files (config, tokenizer). The `__metadata__` names the format and
 * carries the probe (F32 embeddings of a fixed image and prompt) that loading checks.
 */
import { copyFile, mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ClipError } from '../errors.ts';
import type { PackedMatrix, WeightFormat } from '../kernels/matmul/weight-formats.ts';
import {
  convertMatrix,
  isCompactMatrix,
  matrixShape,
  readMatrixF32,
  scaleName,
  STORED_DTYPE,
} from '../model/compact/matrices.ts';
import { META_PROBE, META_WEIGHTS, type Probe } from '../model/compact/probe.ts';
import { SafetensorsFile } from '../model/safetensors/reader.ts';
import type { TensorData, TensorSpec } from '../model/safetensors/writer.ts';
import { FileSource } from './file-source.ts';
import { writeSafetensorsFile } from './safetensors-stream.ts';

/** The files of a Hugging Face CLIP folder besides its weights. */
const FOLDER_FILES = new Set([
  'config.json',
  'vocab.json',
  'merges.txt',
  'tokenizer.json',
  'tokenizer_config.json',
  'special_tokens_map.json',
  'preprocessor_config.json',
  'README.md',
]);

/** Write `out/model.safetensors` in `format` from the model at `weightsPath`, and copy its folder's other files. */
export async function writeConvertedModel(
  weightsPath: string,
  out: string,
  format: WeightFormat,
  probe: Probe,
): Promise<{ bytes: number }> {
  if (format === 'f32') throw new ClipError('input', 'convert writes a compact format: f16, bf16 or int8.');
  const srcDir = dirname(resolve(weightsPath));
  if (resolve(out) === srcDir) throw new ClipError('input', `--out ${out} is the source folder: choose a new one.`);
  const file = await SafetensorsFile.open(new FileSource(weightsPath));
  const names = [...file.tensors.keys()];
  const isOldScale = (n: string) => n.endsWith('_scale') && isCompactMatrix(n.slice(0, -'_scale'.length));
  const specs: TensorSpec[] = [];
  for (const name of names.filter((n) => !isOldScale(n))) {
    const info = file.info(name);
    if (isCompactMatrix(name)) {
      specs.push({ name, dtype: STORED_DTYPE[format], shape: info.shape });
      if (format === 'int8') specs.push({ name: scaleName(name), dtype: 'F32', shape: [info.shape[0]] });
    } else {
      if (info.dtype === 'F64')
        throw new ClipError('input', `${file.name}: ${name} is F64, which convert does not copy.`);
      specs.push({ name, dtype: info.dtype as TensorSpec['dtype'], shape: info.shape });
    }
  }
  // Scales (F32) are written before their I8 matrices (the layout puts wider items first): quantize once, keep both halves.
  const packed = new Map<string, PackedMatrix>();
  const pack = async (name: string): Promise<PackedMatrix> => {
    let p = packed.get(name);
    if (!p) {
      const [rows, cols] = matrixShape(file.info(name).shape);
      p = convertMatrix(await readMatrixF32(file, name), rows, cols, format, `${file.name}: ${name}`);
      if (format === 'int8') packed.set(name, p);
    }
    return p;
  };
  const produce = async (spec: TensorSpec): Promise<TensorData> => {
    if (spec.name.endsWith('_scale') && isCompactMatrix(spec.name.slice(0, -'_scale'.length))) {
      return (await pack(spec.name.slice(0, -'_scale'.length))).scale!;
    }
    if (!isCompactMatrix(spec.name)) return file.readRaw(spec.name);
    const p = await pack(spec.name);
    packed.delete(spec.name);
    const bytes = p.rows * p.cols * (format === 'int8' ? 1 : 2);
    return new Uint8Array(p.words.buffer, p.words.byteOffset, bytes);
  };
  await mkdir(out, { recursive: true });
  const metadata = { ...file.metadata, format: 'pt', [META_WEIGHTS]: format, [META_PROBE]: JSON.stringify(probe) };
  const result = await writeSafetensorsFile(join(out, 'model.safetensors'), specs, produce, metadata);
  for (const f of await readdir(srcDir)) {
    const from = join(srcDir, f);
    if (FOLDER_FILES.has(f) && (await stat(from)).isFile()) await copyFile(from, join(out, f));
  }
  return result;
}
