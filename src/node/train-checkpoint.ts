/**
 * Checkpoints on disk: a Hugging Face folder (config.json, model.safetensors, vocab.json, merges.txt)
 * that ClipModel.load and HF CLIPModel.from_pretrained read, with optimizer.safetensors and
 * trainer.json beside it. Written into a hidden temporary folder and renamed into place, so the
 * output folder never holds a half-written checkpoint.
 */
import { copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { clipConfigToHfJson } from '../model/config.ts';
import { modelTensors, optimizerTensors, type CheckpointTensors } from '../model/train/checkpoint.ts';
import type { Trainer } from '../model/train/trainer.ts';
import { writeSafetensorsFile } from './safetensors-stream.ts';

export async function writeCheckpoint(
  out: string,
  name: string,
  t: Trainer,
  tokenizerDir: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  await mkdir(out, { recursive: true });
  const final = join(out, name);
  const tmp = join(out, `.${name}.tmp-${process.pid}`);
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp);
  try {
    const write = (file: string, c: CheckpointTensors) =>
      writeSafetensorsFile(join(tmp, file), c.specs, (s) => c.read(s.name), c.metadata);
    await writeFile(join(tmp, 'config.json'), `${JSON.stringify(clipConfigToHfJson(t.config), null, 2)}\n`);
    await write('model.safetensors', modelTensors(t));
    await write('optimizer.safetensors', optimizerTensors(t));
    for (const f of ['vocab.json', 'merges.txt']) await copyFile(join(tokenizerDir, f), join(tmp, f));
    await writeFile(join(tmp, 'trainer.json'), `${JSON.stringify({ step: t.step, ...extra }, null, 2)}\n`);
    await rm(final, { recursive: true, force: true });
    await rename(tmp, final);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  return final;
}
