/**
 * safetensors files, broken every way the format allows: bit flips, truncation, a wrong or absurd
 * header length, absurd / overlapping / reversed offsets, dtype and shape that disagree with the
 * byte span, duplicate names, non-UTF-8, a huge header. Small synthetic files are read tensor by
 * tensor; the tiny CLIP checkpoint's header is mutated and checked against its config as a load does.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkConfigAgainstTensors, inferClipConfig, parseClipConfig } from '../../../src/model/config.ts';
import { isFloatDtype } from '../../../src/model/safetensors/dtypes.ts';
import { SafetensorsFile } from '../../../src/model/safetensors/reader.ts';
import { writeSafetensors } from '../../../src/model/safetensors/writer.ts';
import { MemorySource, type ByteSource } from '../../../src/model/sources.ts';
import { TINY } from '../../helpers/fixtures.ts';
import type { CaseGenerator, Rng } from '../harness.ts';
import { bitFlips, oddValue, scribble, truncate, utf8 } from '../mutate.ts';

const SMALL = writeSafetensors(
  [
    { name: 'a', dtype: 'F32', shape: [2, 3], data: [1, 2, 3, 4, 5, 6] },
    { name: 'b', dtype: 'F16', shape: [4], data: [0.5, -1, 65504, 1e-7] },
    { name: 'c', dtype: 'BF16', shape: [2, 2], data: [1, 2, 3, 4] },
    { name: 'd', dtype: 'I64', shape: [3], data: [1, -2, 3] },
    { name: 'scalar', dtype: 'F32', shape: [], data: [7] },
    { name: 'empty', dtype: 'F32', shape: [0, 5], data: [] },
  ],
  { format: 'pt' },
);

let tiny: { bytes: Uint8Array; headerLen: number; config: unknown } | undefined;
function tinyFile() {
  if (!tiny) {
    const bytes = new Uint8Array(readFileSync(resolve(TINY, 'model.safetensors')));
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    tiny = { bytes, headerLen, config: JSON.parse(readFileSync(resolve(TINY, 'config.json'), 'utf8')) };
  }
  return tiny;
}

/** A new header in front of an existing data section, without copying the 14 MB of data. */
class HeaderOverSource implements ByteSource {
  readonly name = 'fuzzed.safetensors';
  constructor(
    private readonly head: Uint8Array,
    private readonly data: Uint8Array,
  ) {}
  async size() {
    return this.head.length + this.data.length;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; ) {
      const at = offset + i;
      const [src, pos] = at < this.head.length ? [this.head, at] : [this.data, at - this.head.length];
      const n = Math.min(length - i, src.length - pos);
      if (n <= 0) throw new RangeError(`read past the end at ${at}`);
      out.set(src.subarray(pos, pos + n), i);
      i += n;
    }
    return out;
  }
}

function headerOf(file: Uint8Array): { json: Record<string, any>; len: number } {
  const len = Number(new DataView(file.buffer, file.byteOffset).getBigUint64(0, true));
  return { json: JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + len))), len };
}

function prefixed(text: Uint8Array, claimed: bigint = BigInt(text.length)): Uint8Array {
  const out = new Uint8Array(8 + text.length);
  new DataView(out.buffer).setBigUint64(0, claimed, true);
  out.set(text, 8);
  return out;
}

const DTYPES = ['F32', 'F16', 'BF16', 'F64', 'I64', 'I32', 'U8', 'BOOL', 'f32', 'F8_E4M3', 5, null, ''];

/** One JSON-level change to a header; returns the header text (maybe with a duplicated key). */
function mutateHeader(json: Record<string, any>, rng: Rng): { text: string; label: string } {
  const names = Object.keys(json).filter((k) => k !== '__metadata__');
  const name = rng.pick(names);
  const e = json[name];
  const other = json[rng.pick(names)];
  switch (rng.int(12)) {
    case 0:
      e.data_offsets = oddValue(rng);
      return { text: JSON.stringify(json), label: `offsets of ${name} odd` };
    case 1:
      e.data_offsets = [e.data_offsets[1], e.data_offsets[0]];
      return { text: JSON.stringify(json), label: `offsets of ${name} reversed` };
    case 2:
      e.data_offsets = [...other.data_offsets];
      return { text: JSON.stringify(json), label: `offsets of ${name} overlap another` };
    case 3:
      e.data_offsets = [rng.pick([0, 2 ** 40, 2 ** 53 - 1, 2 ** 60]), rng.pick([2 ** 41, 2 ** 53, 1e300, 8])];
      return { text: JSON.stringify(json), label: `absurd offsets of ${name}` };
    case 4:
      e.dtype = rng.pick(DTYPES);
      return { text: JSON.stringify(json), label: `dtype of ${name} -> ${String(e.dtype)}` };
    case 5:
      e.shape = rng.pick([
        oddValue(rng),
        [-1],
        [2 ** 31, 2 ** 31],
        [0],
        [1e9, 1e9, 1e9],
        [1.5],
        ['2'],
        [...(e.shape ?? []), 1],
        (e.shape ?? []).slice(1),
      ]);
      return { text: JSON.stringify(json), label: `shape of ${name}` };
    case 6:
      delete e[rng.pick(['dtype', 'shape', 'data_offsets'])];
      return { text: JSON.stringify(json), label: `field of ${name} deleted` };
    case 7:
      json[name] = oddValue(rng);
      return { text: JSON.stringify(json), label: `entry ${name} not an object` };
    case 8:
      json.__metadata__ = rng.pick([oddValue(rng), { a: { b: 1 } }, ['x']]);
      return { text: JSON.stringify(json), label: 'odd __metadata__' };
    case 9: {
      // The same name twice: JSON.parse would silently keep the last entry.
      const text = JSON.stringify(json);
      const dup = `${JSON.stringify(name)}:${JSON.stringify(other)},`;
      return { text: `{${dup}${text.slice(1)}`, label: `duplicate name ${name}` };
    }
    case 10:
      return { text: JSON.stringify(rng.pick([[], null, 42, 'x', [json]])), label: 'header not an object' };
    default: {
      // A huge header: many (empty) tensors, or megabytes of padding.
      if (rng.chance(0.5)) {
        for (let i = 0; i < 20_000 + rng.int(30_000); i++)
          json[`pad.${i}`] = { dtype: 'F32', shape: [0], data_offsets: [0, 0] };
        return { text: JSON.stringify(json), label: 'tens of thousands of tensors' };
      }
      return { text: JSON.stringify(json) + ' '.repeat(1 << (20 + rng.int(4))), label: 'megabytes of header padding' };
    }
  }
}

/** Reads every tensor, as a load does. */
async function readAll(file: SafetensorsFile): Promise<number> {
  let n = 0;
  for (const [name, t] of file.tensors)
    n += (isFloatDtype(t.dtype) ? await file.readF32(name) : await file.readI64(name)).length;
  return n;
}

function smallCase(rng: Rng): { bytes: Uint8Array; label: string } {
  const op = rng.int(7);
  const { json, len } = headerOf(SMALL);
  const data = SMALL.subarray(8 + len);
  if (op === 0) return { bytes: bitFlips(SMALL, rng, 1 + rng.int(8)), label: 'bit flips anywhere' };
  if (op === 1) return { bytes: bitFlips(SMALL, rng, 1 + rng.int(3), 8, 8 + len), label: 'bit flips in the header' };
  if (op === 2) return { bytes: truncate(SMALL, rng), label: 'truncated' };
  if (op === 3) {
    const claimed = rng.pick([
      0n,
      1n,
      7n,
      BigInt(len - 1),
      BigInt(len + 1),
      BigInt(SMALL.length),
      2n ** 32n,
      2n ** 63n,
      2n ** 64n - 1n,
      100n * 1024n * 1024n + 1n,
    ]);
    const out = SMALL.slice();
    new DataView(out.buffer).setBigUint64(0, claimed, true);
    return { bytes: out, label: `header length ${claimed}` };
  }
  if (op === 4) return { bytes: scribble(SMALL, rng, 8, 8 + len), label: 'non-UTF-8 / odd bytes in the header' };
  const { text, label } = mutateHeader(json, rng);
  const head = prefixed(utf8(text), rng.chance(0.1) ? BigInt(rng.int(text.length * 2)) : undefined);
  const bytes = new Uint8Array(head.length + data.length);
  bytes.set(head);
  bytes.set(data, head.length);
  return { bytes, label };
}

export const safetensorsCases: CaseGenerator = (rng) => {
  if (rng.chance(0.6)) {
    const { bytes, label } = smallCase(rng);
    return {
      label: `small file: ${label}`,
      run: async () => readAll(await SafetensorsFile.open(new MemorySource(bytes, 'fuzzed.safetensors'))),
    };
  }
  const t = tinyFile();
  const { json } = headerOf(t.bytes);
  const data = t.bytes.subarray(8 + t.headerLen);
  const { text, label } = mutateHeader(json, rng);
  const withConfig = rng.chance(0.5);
  return {
    label: `tiny checkpoint: ${label}${withConfig ? ' (with config.json)' : ''}`,
    run: async () => {
      const file = await SafetensorsFile.open(new HeaderOverSource(prefixed(utf8(text)), data));
      const config = withConfig ? parseClipConfig(t.config) : inferClipConfig(file.tensors, file.name);
      checkConfigAgainstTensors(config, file.tensors, file.name);
      const names = [...file.tensors.keys()];
      await file.readF32('text_projection.weight');
      return (await file.readF32(rng.pick(names.filter((n) => isFloatDtype(file.tensors.get(n)!.dtype))))).length;
    },
  };
};
