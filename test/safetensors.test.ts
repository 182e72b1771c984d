import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ClipError } from '../src/errors.ts';
import { BlobSource, MemorySource, UrlSource, toByteSource } from '../src/model/sources.ts';
import type { ByteSource } from '../src/model/sources.ts';
import { SafetensorsFile } from '../src/model/safetensors/reader.ts';
import { writeSafetensors } from '../src/model/safetensors/writer.ts';
import type { TensorToWrite } from '../src/model/safetensors/writer.ts';
import { f16BitsToF32Bits, f32ToBf16Bits, f32ToF16Bits } from '../src/model/safetensors/dtypes.ts';
import { FileSource } from '../src/node/file-source.ts';
import { writeSafetensorsFile } from '../src/node/safetensors-stream.ts';
import { closedPort, startWeightsServer } from './helpers/weights-server.ts';

const FIXTURES = path.resolve(__dirname, '../../shared/fixtures');
const DTYPES = path.join(FIXTURES, 'safetensors-dtypes/dtypes.safetensors');
const TINY = path.join(FIXTURES, 'tiny-clip');
const TINY_F32 = path.join(TINY, 'model.safetensors');

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'clip-st-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const parseValue = (s: string) =>
  s === 'NaN' ? NaN : s === 'Infinity' ? Infinity : s === '-Infinity' ? -Infinity : Number(s);

function hexWords(raw: Uint8Array, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.byteLength; i += size) {
    let h = '';
    for (let b = size - 1; b >= 0; b--) h += raw[i + b].toString(16).padStart(2, '0'); // little-endian
    out.push(h);
  }
  return out;
}

/** Asserts a rejected ClipError of `code` whose message matches every pattern. */
async function expectClipError(
  p: Promise<unknown>,
  code: string,
  ...patterns: (RegExp | string)[]
): Promise<ClipError> {
  const e = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ClipError);
  const ce = e as ClipError;
  expect(ce.code).toBe(code);
  for (const pat of patterns) {
    if (typeof pat === 'string') expect(ce.message).toContain(pat);
    else expect(ce.message).toMatch(pat);
  }
  return ce;
}

/** A file from a header (object or raw JSON text) and data bytes. */
function rawFile(name: string, header: unknown, data: Uint8Array | number = 0): string {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const body = typeof data === 'number' ? new Uint8Array(data) : data;
  const out = new Uint8Array(8 + json.byteLength + body.byteLength);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  out.set(json, 8);
  out.set(body, 8 + json.byteLength);
  const p = path.join(tmp, name);
  writeFileSync(p, out);
  return p;
}

const openPath = (p: string) => SafetensorsFile.open(new FileSource(p));

/** Counts bytes read, to prove that readers only touch what they need. */
class CountingSource implements ByteSource {
  bytesRead = 0;
  reads: [number, number][] = [];
  constructor(private readonly inner: ByteSource) {}
  get name() {
    return this.inner.name;
  }
  size() {
    return this.inner.size();
  }
  async read(offset: number, length: number) {
    this.bytesRead += length;
    this.reads.push([offset, length]);
    return this.inner.read(offset, length);
  }
}

describe('dtypes fixture', () => {
  const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'safetensors-dtypes/expected.json'), 'utf8'));

  it('lists every tensor with dtype, shape and metadata', async () => {
    const f = await openPath(DTYPES);
    expect([...f.tensors.keys()].sort()).toEqual(Object.keys(expected.tensors).sort());
    expect(f.metadata).toEqual(expected.__metadata__);
    for (const [name, e] of Object.entries<any>(expected.tensors)) {
      expect(f.tensors.get(name)).toMatchObject({ dtype: e.dtype, shape: e.shape });
    }
    expect(f.tensors.get('scalar_f32')!.end - f.tensors.get('scalar_f32')!.begin).toBe(4); // 0-d = 1 element
  });

  for (const name of ['f32_edge', 'f16_edge', 'bf16_edge', 'f16_matrix', 'bf16_matrix', 'scalar_f32', 'position_ids']) {
    it(`reads ${name} bit-exactly`, async () => {
      const e = expected.tensors[name];
      const f = await openPath(DTYPES);
      const itemSize = { F32: 4, F16: 2, BF16: 2, I64: 8 }[e.dtype as string]!;
      expect(hexWords(await f.readRaw(name), itemSize)).toEqual(e.bits);
      if (e.dtype === 'I64') {
        expect(Array.from(await f.readI64(name), String)).toEqual(e.values);
        await expectClipError(f.readF32(name), 'safetensors', 'I64', name);
        return;
      }
      const v = await f.readF32(name);
      expect(v.length).toBe(e.values.length);
      const bits = new Uint32Array(v.buffer, v.byteOffset, v.length);
      e.values.forEach((s: string, i: number) => {
        const want = parseValue(s);
        if (Number.isNaN(want)) expect(Number.isNaN(v[i])).toBe(true);
        else expect(Object.is(v[i], Math.fround(want)), `${name}[${i}] = ${v[i]}, want ${s}`).toBe(true);
        const b = parseInt(e.bits[i], 16);
        // The f32 bit pattern itself: exact for F32, the exact widening for F16/BF16 (NaN included).
        if (e.dtype === 'F32') expect(bits[i]).toBe(b);
        if (e.dtype === 'BF16') expect(bits[i]).toBe((b << 16) >>> 0);
        if (e.dtype === 'F16') expect(f32ToF16Bits(v[i])).toBe(b);
      });
    });
  }
});

describe('tiny-clip files against tensor_stats.json', () => {
  const stats = JSON.parse(readFileSync(path.join(TINY, 'tensor_stats.json'), 'utf8'));
  for (const file of ['model.safetensors', 'model-f16.safetensors']) {
    it(`every tensor of ${file}`, async () => {
      const st = stats[file];
      const f = await openPath(path.join(TINY, file));
      const names = Object.keys(st).filter((k) => k !== '__metadata__');
      expect([...f.tensors.keys()].sort()).toEqual(names.sort());
      expect(f.metadata).toEqual(st.__metadata__);
      for (const name of names) {
        const s = st[name],
          t = f.tensors.get(name)!;
        expect(t.dtype, name).toBe(s.dtype);
        expect(t.shape, name).toEqual(s.shape);
        const v: ArrayLike<number> =
          t.dtype === 'I64' ? Array.from(await f.readI64(name), Number) : await f.readF32(name);
        expect(Array.from(v).slice(0, 8), name).toEqual(s.first8);
        let sum = 0,
          sumsq = 0,
          abs = 0;
        for (let i = 0; i < v.length; i++) {
          sum += v[i];
          sumsq += v[i] * v[i];
          abs += Math.abs(v[i]);
        }
        expect(Math.abs(sum - s.sum), `${name} sum`).toBeLessThanOrEqual(1e-9 * abs + 1e-12);
        expect(Math.abs(sumsq - s.sumsq), `${name} sumsq`).toBeLessThanOrEqual(1e-9 * s.sumsq + 1e-12);
      }
    });
  }

  it('opening reads only the prefix and header; readF32 reads only its tensor', async () => {
    const src = new CountingSource(new FileSource(TINY_F32));
    const f = await SafetensorsFile.open(src);
    expect(src.bytesRead).toBe(f.dataStart);
    const name = 'text_model.encoder.layers.1.mlp.fc1.weight',
      t = f.tensors.get(name)!;
    src.reads = [];
    await f.readF32(name);
    expect(src.reads).toEqual([[t.begin, t.end - t.begin]]);
  });
});

describe('writer', () => {
  const edge = [
    0,
    -0,
    1,
    -1.5,
    0.1,
    3.4028234663852886e38,
    1.1754943508222875e-38,
    1.401298464324817e-45,
    Infinity,
    -Infinity,
    NaN,
  ];

  it('round-trips F32, F16, BF16 and I64, 0-d and empty tensors', async () => {
    const tensors: TensorToWrite[] = [
      { name: 'f16', dtype: 'F16', shape: [3], data: new Float32Array([1 / 3, 65520, -(2 ** -25)]) },
      { name: 'f32', dtype: 'F32', shape: [edge.length], data: new Float32Array(edge) },
      { name: 'f16_raw', dtype: 'F16', shape: [2, 2], data: new Uint16Array([0x3c00, 0x8000, 0x0001, 0x7e00]) },
      { name: 'bf16', dtype: 'BF16', shape: [4], data: [1.00390625, 1.01171875, -0, NaN] },
      { name: 'i64', dtype: 'I64', shape: [1, 3], data: new BigInt64Array([-1n, 0n, 2n ** 62n]) },
      { name: 'scalar', dtype: 'F32', shape: [], data: [Math.log(100)] },
      { name: 'empty', dtype: 'F32', shape: [0, 4], data: new Float32Array(0) },
    ];
    const bytes = writeSafetensors(tensors, { format: 'pt' });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const f = await SafetensorsFile.open(new MemorySource(bytes));
    expect(f.metadata).toEqual({ format: 'pt' });
    expect([...f.tensors.keys()].sort()).toEqual(tensors.map((t) => t.name).sort());
    for (const [, t] of f.tensors)
      expect(t.begin % { F32: 4, F16: 2, BF16: 2, F64: 8, I64: 8, I8: 1 }[t.dtype]).toBe(0);
    const f32 = await f.readF32('f32');
    edge.forEach((x, i) =>
      expect(Number.isNaN(x) ? Number.isNaN(f32[i]) : Object.is(f32[i], Math.fround(x))).toBe(true),
    );
    expect(Array.from(await f.readF32('f16'))).toEqual([0.333251953125, Infinity, -0]);
    expect(hexWords(await f.readRaw('f16'), 2)).toEqual(['3555', '7c00', '8000']);
    expect(hexWords(await f.readRaw('f16_raw'), 2)).toEqual(['3c00', '8000', '0001', '7e00']);
    expect(hexWords(await f.readRaw('bf16'), 2)).toEqual(['3f80', '3f82', '8000', '7fc0']); // ties to even
    expect(Array.from(await f.readI64('i64'))).toEqual([-1n, 0n, 2n ** 62n]);
    expect(Array.from(await f.readF32('scalar'))).toEqual([Math.fround(Math.log(100))]);
    expect((await f.readF32('empty')).length).toBe(0);
    expect(f.tensors.get('empty')!.shape).toEqual([0, 4]);
  });

  it('f16 conversion is exact both ways for all 65536 bit patterns', () => {
    const f = new Float32Array(1),
      u = new Uint32Array(f.buffer);
    for (let h = 0; h < 65536; h++) {
      u[0] = f16BitsToF32Bits(h);
      const nan = (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
      expect(f32ToF16Bits(f[0])).toBe(nan ? h | 0x200 : h);
    }
    // Rounding to nearest even, with subnormals and overflow.
    expect(f32ToF16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie -> even
    expect(f32ToF16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(f32ToF16Bits(3 * 2 ** -25)).toBe(0x0002); // subnormal 1.5 ulp: tie -> even
    expect(f32ToF16Bits(5 * 2 ** -25)).toBe(0x0002); // 2.5 ulp: tie -> even
    expect(f32ToF16Bits(2 ** -25)).toBe(0x0000); // half the smallest subnormal: tie -> 0
    expect(f32ToF16Bits(3 * 2 ** -26)).toBe(0x0001);
    expect(f32ToF16Bits(65519.99)).toBe(0x7bff);
    expect(f32ToF16Bits(65520)).toBe(0x7c00);
    expect(f32ToBf16Bits(1)).toBe(0x3f80);
    expect(f32ToBf16Bits(3.3895313892515355e38 * 1.01)).toBe(0x7f80); // rounds up to inf
    expect(f32ToBf16Bits(-Infinity)).toBe(0xff80);
  });

  it('streams a file to disk with the same bytes as the in-memory writer', async () => {
    const tensors: TensorToWrite[] = [
      { name: 'a', dtype: 'F16', shape: [5], data: [1, 2, 3, 4, 5] },
      { name: 'b', dtype: 'F32', shape: [2, 3], data: [1, 2, 3, 4, 5, 6] },
      { name: 'c', dtype: 'I64', shape: [2], data: [7, 8] },
    ];
    const p = path.join(tmp, 'streamed.safetensors');
    const { bytes } = await writeSafetensorsFile(
      p,
      tensors,
      (spec) => tensors.find((t) => t.name === spec.name)!.data,
      { format: 'pt' },
    );
    const disk = readFileSync(p);
    expect(disk.byteLength).toBe(bytes);
    expect(new Uint8Array(disk)).toEqual(writeSafetensors(tensors, { format: 'pt' }));
  });

  it('rejects data of the wrong length', () => {
    expect(() => writeSafetensors([{ name: 'x', dtype: 'F32', shape: [2, 2], data: [1, 2, 3] }])).toThrow(
      /"x" F32 \[2, 2\] needs 4 elements/,
    );
  });
});

describe('unaligned offsets', () => {
  it('reads tensors that start at odd offsets', async () => {
    // Header of odd length (no padding), an F16 of 3 elements first: every offset is unaligned.
    const data = new Uint8Array(6 + 8);
    const dv = new DataView(data.buffer);
    [0x3c00, 0xc000, 0x7c00].forEach((h, i) => dv.setUint16(2 * i, h, true));
    dv.setFloat32(6, 1.5, true);
    dv.setFloat32(10, -2.25, true);
    const header = {
      h: { dtype: 'F16', shape: [3], data_offsets: [0, 6] },
      f: { dtype: 'F32', shape: [2], data_offsets: [6, 14] },
    };
    const text = JSON.stringify(header) + (JSON.stringify(header).length % 2 ? '' : ' ');
    const p = rawFile('unaligned.safetensors', text, data);
    const f = await openPath(p);
    expect(f.tensors.get('f')!.begin % 4).not.toBe(0);
    expect(Array.from(await f.readF32('h'))).toEqual([1, -2, Infinity]);
    expect(Array.from(await f.readF32('f'))).toEqual([1.5, -2.25]);
  });
});

describe('malformed files', () => {
  const fixture = readFileSync(TINY_F32);
  const headerLen = Number(fixture.readBigUInt64LE(0));
  const header = JSON.parse(fixture.subarray(8, 8 + headerLen).toString('utf8'));
  const write = (name: string, bytes: Uint8Array) => {
    const p = path.join(tmp, name);
    writeFileSync(p, bytes);
    return p;
  };
  const f32 = (shape: number[], offsets: unknown) => ({ dtype: 'F32', shape, data_offsets: offsets });

  it('file shorter than 8 bytes', async () => {
    const p = write('short.safetensors', new Uint8Array(5));
    await expectClipError(openPath(p), 'safetensors', p, 'too short', '5 bytes');
  });

  it('absurd header length (2^40)', async () => {
    const b = new Uint8Array(64);
    new DataView(b.buffer).setBigUint64(0, 2n ** 40n, true);
    const p = write('absurd.safetensors', b);
    await expectClipError(openPath(p), 'safetensors', p, 'header length 1099511627776 is absurd');
  });

  it('truncated inside the header', async () => {
    const p = write('trunc-header.safetensors', fixture.subarray(0, 100));
    await expectClipError(
      openPath(p),
      'safetensors',
      p,
      `truncated: the header needs bytes 8..${8 + headerLen} but the file has 100`,
    );
  });

  for (const [label, cut] of [
    ['half-way', fixture.byteLength >> 1],
    ['by one byte', fixture.byteLength - 1],
  ] as const) {
    it(`truncated ${label} through the data`, async () => {
      const p = write(`trunc-${cut}.safetensors`, fixture.subarray(0, cut));
      // The tensor that straddles the cut is the first one that does not fit.
      const base = 8 + headerLen;
      const [name, e] = Object.entries<any>(header).find(
        ([k, v]) => k !== '__metadata__' && base + v.data_offsets[0] < cut && base + v.data_offsets[1] > cut,
      )!;
      const [a, b] = e.data_offsets.map((o: number) => base + o);
      await expectClipError(
        openPath(p),
        'safetensors',
        p,
        `truncated: tensor "${name}" needs bytes ${a}..${b} but the file has ${cut}`,
      );
    });
  }

  it('garbage, non-UTF-8 and non-object headers', async () => {
    await expectClipError(
      openPath(rawFile('garbage.safetensors', '{"a": [1, 2,, }')),
      'safetensors',
      'garbage.safetensors',
      'not valid JSON',
    );
    const bad = rawFile('latin1.safetensors', 'xx');
    const bytes = readFileSync(bad);
    bytes[8] = 0xff;
    bytes[9] = 0xfe;
    writeFileSync(bad, bytes);
    await expectClipError(openPath(bad), 'safetensors', 'latin1.safetensors', 'not valid UTF-8');
    await expectClipError(openPath(rawFile('array.safetensors', '[1, 2]')), 'safetensors', 'not a JSON object');
  });

  it("an HTML page (a dev server's answer for a missing file)", async () => {
    const p = write('page.safetensors', new TextEncoder().encode('<!DOCTYPE html><html><body>app</body></html>'));
    await expectClipError(openPath(p), 'safetensors', 'is an HTML page, not a safetensors file');
  });

  it('a tensor named twice (JSON.parse would keep only the last)', async () => {
    const entry = JSON.stringify(f32([2], [0, 8]));
    const p = rawFile('dup.safetensors', `{"w": ${entry}, "x\\"y": {"a": {"w": 1}}, "w": ${entry}}`, 8);
    await expectClipError(openPath(p), 'safetensors', p, 'names tensor "w" twice');
    // Keys nested deeper, and escaped quotes, are not top-level names.
    const ok = rawFile('nested.safetensors', { __metadata__: { w: 'x', 'a"b': 'y' }, w: f32([2], [0, 8]) }, 8);
    expect((await openPath(ok)).tensors.size).toBe(1);
  });

  it('entries missing dtype, shape or data_offsets', async () => {
    for (const key of ['dtype', 'shape', 'data_offsets']) {
      const entry: Record<string, unknown> = f32([2], [0, 8]);
      delete entry[key];
      const p = rawFile(`no-${key}.safetensors`, { w: entry }, 8);
      await expectClipError(openPath(p), 'safetensors', p, 'tensor "w"', `has no "${key}"`);
    }
  });

  it('unknown dtypes, named', async () => {
    for (const dtype of ['F8_E4M3', 'Q4']) {
      const p = rawFile(
        `dtype-${dtype}.safetensors`,
        { __metadata__: { format: 'pt' }, 'layer.w': { dtype, shape: [4], data_offsets: [0, 4] } },
        4,
      );
      await expectClipError(openPath(p), 'safetensors', p, 'tensor "layer.w"', `unsupported dtype "${dtype}"`);
    }
  });

  it('byte length that does not match the shape', async () => {
    const p = rawFile('wronglen.safetensors', { w: f32([3], [0, 8]) }, 8);
    await expectClipError(
      openPath(p),
      'safetensors',
      p,
      'tensor "w"',
      'F32 [3] needs 12 bytes but data_offsets [0, 8] span 8',
    );
  });

  it('overlapping, out-of-order, negative and non-integer offsets; bad shapes', async () => {
    let p = rawFile('overlap.safetensors', { a: f32([2], [0, 8]), b: f32([2], [4, 12]) }, 12);
    await expectClipError(openPath(p), 'safetensors', p, '"a"', '"b"', 'overlap');
    p = rawFile('order.safetensors', { a: f32([1], [8, 4]) }, 8);
    await expectClipError(openPath(p), 'safetensors', 'tensor "a"', 'out of order');
    p = rawFile('negative.safetensors', { a: f32([1], [-4, 0]) }, 8);
    await expectClipError(openPath(p), 'safetensors', 'tensor "a"', 'non-negative');
    p = rawFile('fraction.safetensors', { a: f32([1], [0.5, 4.5]) }, 8);
    await expectClipError(openPath(p), 'safetensors', 'tensor "a"', 'non-negative integers');
    p = rawFile('shape.safetensors', { a: f32([-1], [0, 4]) }, 8);
    await expectClipError(openPath(p), 'safetensors', 'tensor "a"', 'shape [-1]');
    p = rawFile('pastend.safetensors', { a: f32([4], [0, 16]) }, 8);
    await expectClipError(openPath(p), 'safetensors', p, 'truncated: tensor "a" needs bytes');
  });

  it('names a missing tensor and a missing file', async () => {
    const f = await openPath(DTYPES);
    await expectClipError(f.readF32('nope'), 'weights', 'no tensor named "nope"', DTYPES);
    const missing = path.join(tmp, 'does-not-exist.safetensors');
    await expectClipError(openPath(missing), 'not-found', `No such file: ${missing}`);
  });
});

describe('byte sources', () => {
  const bytes = new Uint8Array(readFileSync(DTYPES));

  async function sameAsFile(src: ByteSource) {
    const [a, b] = await Promise.all([SafetensorsFile.open(src), openPath(DTYPES)]);
    for (const [name, t] of b.tensors) {
      expect(Array.from(await a.readRaw(name)), name).toEqual(Array.from(await b.readRaw(name)));
      if (t.dtype !== 'I64') expect(await a.readF32(name)).toEqual(await b.readF32(name));
    }
  }

  it('ArrayBuffer and a Uint8Array at an odd offset', async () => {
    await sameAsFile(new MemorySource(bytes.slice().buffer));
    const padded = new Uint8Array(bytes.byteLength + 3);
    padded.set(bytes, 3);
    await sameAsFile(new MemorySource(padded.subarray(3)));
    await sameAsFile(toByteSource(bytes));
    await expect(new MemorySource(bytes).read(bytes.byteLength - 2, 4)).rejects.toThrow(RangeError);
  });

  it('Blob and File', async () => {
    await sameAsFile(new BlobSource(new Blob([bytes])));
    const file = new File([bytes], 'dtypes.safetensors');
    const src = toByteSource(file);
    expect(src.name).toBe('dtypes.safetensors');
    await sameAsFile(src);
  });

  describe('URL', () => {
    const files = new Map([
      ['/m/dtypes.safetensors', bytes],
      ['/m/model.safetensors', new Uint8Array(readFileSync(TINY_F32))],
    ]);

    it('with Range support: only ranges are fetched', async () => {
      const server = await startWeightsServer({ files });
      try {
        await sameAsFile(new UrlSource(`${server.url}/m/dtypes.safetensors`));
        const big = new CountingSource(new UrlSource(`${server.url}/m/model.safetensors`));
        const f = await SafetensorsFile.open(big);
        await f.readF32('logit_scale');
        expect(big.bytesRead).toBe(f.dataStart + 4);
        const gets = server.requests.filter((r) => r.method === 'GET');
        expect(gets.length).toBeGreaterThan(0);
        expect(gets.every((r) => r.range?.startsWith('bytes='))).toBe(true);
      } finally {
        await server.close();
      }
    });

    it('without Range support: one full GET, then served from memory', async () => {
      const server = await startWeightsServer({ files, range: false });
      try {
        await sameAsFile(new UrlSource(`${server.url}/m/dtypes.safetensors`));
        expect(server.requests.filter((r) => r.method === 'GET')).toHaveLength(1);
      } finally {
        await server.close();
      }
    });

    it('without HEAD: the size comes from a one-byte range probe', async () => {
      const server = await startWeightsServer({ files, head: false });
      try {
        expect(await new UrlSource(`${server.url}/m/dtypes.safetensors`).size()).toBe(bytes.byteLength);
        expect(server.requests.at(-1)).toMatchObject({ method: 'GET', range: 'bytes=0-0' });
      } finally {
        await server.close();
      }
    });

    it('404 and network failures name the URL', async () => {
      const server = await startWeightsServer({ files });
      try {
        const url = `${server.url}/m/missing.safetensors`;
        await expectClipError(SafetensorsFile.open(new UrlSource(url)), 'not-found', url, '404');
      } finally {
        await server.close();
      }
      const url = `http://127.0.0.1:${await closedPort()}/m/dtypes.safetensors`;
      await expectClipError(SafetensorsFile.open(new UrlSource(url)), 'network', url);
    });
  });
});
