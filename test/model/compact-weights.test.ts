/**
 * Compact weights end to end on the tiny model: `convert` folders (f16, bf16, int8) load in their
 * format and pass their probe; embeddings stay within the format's cosine threshold of F32; converting
 * on load gives the same model as loading a converted folder; the matrices' GPU memory halves /
 * quarters; a corrupted converted file is refused with the message.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ClipModel, filesFromPath, isClipError, writeConvertedModel, PROBE_THRESHOLD } from '../../src/node/index.ts';
import { computeProbe, cosine } from '../../src/model/compact/probe.ts';
import { isCompactMatrix } from '../../src/model/compact/matrices.ts';
import { SafetensorsFile } from '../../src/model/safetensors/reader.ts';
import { FileSource } from '../../src/node/file-source.ts';
import { gpu, TEST_ADAPTERS } from '../helpers/gpu.ts';
import { TINY, TINY_IMAGES, golden } from '../helpers/fixtures.ts';

const FORMATS = ['f16', 'bf16', 'int8'] as const;
/** SwiftShader (a second per pipeline compile) runs f16 and int8: bf16 differs from f16 only in its unpack
 * line, which the kernel tests run on both adapters (matmul-compact, embedding-compact, patch-embed-versions). */
const FORMATS_ON: Record<string, readonly (typeof FORMATS)[number][]> = { swiftshader: ['f16', 'int8'] };
const SRC = resolve(TINY, 'model.safetensors');
const PROMPTS = golden('f32').prompts;

for (const adapter of TEST_ADAPTERS)
  describe(`compact weights on ${adapter}`, () => {
    let dir: string;
    let f32: { image: Float32Array[]; text: Float32Array[]; bytes: number };
    /** Bytes of the matrices kept compact, in F32. */
    let matrixBytes = 0,
      matrixRows = 0;

    const encode = async (m: ClipModel) => ({
      image: await m.encodeImage(TINY_IMAGES),
      text: await m.encodeText(PROMPTS, { truncate: true }),
    });
    const loadMeasured = async (path: string, options: { weights?: (typeof FORMATS)[number] | 'f32' } = {}) => {
      const ctx = await gpu(adapter);
      const before = ctx.stats.liveBytes;
      const model = await ClipModel.load(path, { gpu: ctx, precompile: false, ...options });
      return { model, bytes: ctx.stats.liveBytes - before };
    };

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'clip-compact-'));
      const { model, bytes } = await loadMeasured(SRC);
      f32 = { ...(await encode(model)), bytes };
      const probe = await computeProbe(model);
      model.dispose();
      for (const format of FORMATS_ON[adapter] ?? FORMATS)
        await writeConvertedModel(SRC, join(dir, format), format, probe);
      const file = await SafetensorsFile.open(new FileSource(SRC));
      for (const [name, t] of file.tensors)
        if (isCompactMatrix(name)) {
          matrixBytes += t.shape.reduce((a, b) => a * b, 1) * 4;
          matrixRows += t.shape[0];
        }
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    for (const format of FORMATS_ON[adapter] ?? FORMATS) {
      it(`a ${format} folder loads as ${format}, passes its probe, and stays within cosine ${PROBE_THRESHOLD[format]} of F32`, async () => {
        const { model, bytes } = await loadMeasured(join(dir, format));
        expect(model.weightFormat).toBe(format);
        expect(model.probeCosine!.image).toBeGreaterThanOrEqual(PROBE_THRESHOLD[format]);
        expect(model.probeCosine!.text).toBeGreaterThanOrEqual(PROBE_THRESHOLD[format]);
        const got = await encode(model);
        model.dispose();
        got.image.forEach((e, i) => expect(cosine(e, f32.image[i])).toBeGreaterThanOrEqual(PROBE_THRESHOLD[format]));
        got.text.forEach((e, i) => expect(cosine(e, f32.text[i])).toBeGreaterThanOrEqual(PROBE_THRESHOLD[format]));
        // The matrices take 1/2 (16-bit) or 1/4 (int8, plus one f32 scale per row) of their F32 bytes.
        const saved = f32.bytes - bytes;
        const expected = format === 'int8' ? matrixBytes * (3 / 4) - 4 * matrixRows : matrixBytes / 2;
        expect(Math.abs(saved - expected) / expected).toBeLessThan(0.02);
      });

      it(`converting on load to ${format} gives the converted folder's embeddings exactly`, async () => {
        const onLoad = await loadMeasured(SRC, { weights: format });
        const fromFolder = await loadMeasured(join(dir, format));
        expect(onLoad.model.weightFormat).toBe(format);
        expect(onLoad.model.probeCosine).toBeNull(); // a plain file carries no probe
        const [a, b] = [await encode(onLoad.model), await encode(fromFolder.model)];
        onLoad.model.dispose();
        fromFolder.model.dispose();
        expect(a).toEqual(b);
        // Within the probe run's few uniform buffers (the folder's load encodes the probe).
        expect(Math.abs(onLoad.bytes - fromFolder.bytes)).toBeLessThan(1024);
      });
    }

    it('refuses a corrupted converted file, naming the cosines', async () => {
      const bad = join(dir, 'bad');
      cpSync(join(dir, 'int8'), bad, { recursive: true });
      // Overwrite the first layer's fc1 with noise: the header stays valid, the values do not.
      const path = join(bad, 'model.safetensors');
      const file = await SafetensorsFile.open(new FileSource(path));
      const t = file.info('vision_model.encoder.layers.0.mlp.fc1.weight');
      const bytes = new Uint8Array(readFileSync(path));
      for (let i = t.begin; i < t.end; i++) bytes[i] = (i * 131) & 0xff;
      writeFileSync(path, bytes);
      const err = await ClipModel.load(filesFromPath(bad), { gpu: await gpu(adapter), precompile: false }).catch(
        (e: unknown) => e,
      );
      expect(isClipError(err) && err.code).toBe('weights');
      expect((err as Error).message).toMatch(
        /too far from the F32 ones recorded at conversion \(cosine image [\d.-]+, text [\d.]+; at least 0\.999 required\)/,
      );
    });

    it('refuses gradients and readback of compact matrices with a clear error', async () => {
      const { model } = await loadMeasured(join(dir, 'int8'));
      const err = await model.gradcam(TINY_IMAGES[0], 'a cat').catch((e: unknown) => e);
      const read = await model.readWeight('text_projection.weight').catch((e: unknown) => e);
      expect(await model.readWeight('logit_scale')).toBeInstanceOf(Float32Array); // F32 tensors still read back
      model.dispose();
      expect(isClipError(read) && read.code).toBe('input');
      expect((read as Error).message).toMatch(/held as int8 on the GPU/);
      expect(isClipError(err) && err.code).toBe('input');
      expect((err as Error).message).toMatch(/Gradients need F32 weights/);
    });
  });
