/** A local file as a ByteSource: each read opens the file and reads only the requested range. */
import { open, stat } from 'node:fs/promises';
import { ClipError } from '../errors.ts';
import type { ByteSource } from '../model/sources.ts';

function notFound(path: string, e: unknown): never {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') throw new ClipError('not-found', `No such file: ${path}`, { cause: e });
  if (code === 'EISDIR') throw new ClipError('not-found', `${path} is a directory, not a file`, { cause: e });
  throw e;
}

export class FileSource implements ByteSource {
  readonly name: string;

  constructor(readonly path: string) {
    this.name = path;
  }

  async size(): Promise<number> {
    const s = await stat(this.path).catch((e: unknown) => notFound(this.path, e));
    if (s.isDirectory()) notFound(this.path, Object.assign(new Error('EISDIR'), { code: 'EISDIR' }));
    return s.size;
  }

  // Open per read rather than holding a handle: no close() to forget, and ~200 tensors cost
  // ~200 opens, which is nothing next to reading the data.
  async read(offset: number, length: number): Promise<Uint8Array> {
    const fh = await open(this.path, 'r').catch((e: unknown) => notFound(this.path, e));
    try {
      const out = new Uint8Array(length); // not Buffer.allocUnsafe: small ones share a pool
      let done = 0;
      while (done < length) {
        const { bytesRead } = await fh.read(out, done, length - done, offset + done);
        if (bytesRead === 0) {
          throw new ClipError(
            'safetensors',
            `${this.path}: wanted bytes ${offset}..${offset + length} but the file ends at ${offset + done} (did it change while reading?)`,
          );
        }
        done += bytesRead;
      }
      return out;
    } finally {
      await fh.close();
    }
  }
}
