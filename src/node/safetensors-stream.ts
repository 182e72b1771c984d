/**
 * Streaming safetensors writer: the header is computed from shapes alone, then each tensor's data
 * is produced, encoded and written one at a time, so a 600 MB model never sits in memory whole.
 * Writes `<path>.tmp` and renames it, so a crash never leaves a half-written model behind.
 */
import { open, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { buildHeader, encodeTensor } from '../model/safetensors/writer.ts';
import type { TensorData, TensorSpec } from '../model/safetensors/writer.ts';

export async function writeSafetensorsFile(
  path: string,
  specs: readonly TensorSpec[],
  produce: (spec: TensorSpec, index: number) => TensorData | Promise<TensorData>,
  metadata?: Record<string, string>,
): Promise<{ bytes: number }> {
  const { header, layout, dataBytes } = buildHeader(specs, metadata);
  const index = new Map(specs.map((s, i) => [s.name, i]));
  const tmp = `${path}.tmp`;
  const fh = await open(tmp, 'w');
  try {
    await writeAll(fh, header, 0);
    for (const l of layout) {
      const i = index.get(l.name)!;
      const bytes = encodeTensor(specs[i], await produce(specs[i], i));
      await writeAll(fh, bytes, header.byteLength + l.begin);
    }
    await fh.close();
  } catch (e) {
    await fh.close().catch(() => {});
    await rm(tmp, { force: true });
    throw e;
  }
  await rename(tmp, path);
  return { bytes: header.byteLength + dataBytes };
}

/** FileHandle.write may write less than asked: loop until done. */
export async function writeAll(fh: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < bytes.byteLength; ) {
    const { bytesWritten } = await fh.write(bytes, done, bytes.byteLength - done, position + done);
    done += bytesWritten;
  }
}
