/**
 * The benchmark harness itself, on tiny shapes: it validates before timing (a wrong kernel is
 * rejected and never timed), its numbers are plausible (positive, finite, consistent with the
 * FLOP and byte counts), it enumerates the kernels' version tables (skipping the versions a shape or
 * adapter rules out, marking the ones no adapter chooses), and `bench --json` has the documented
 * shape. No timing is asserted on: these run on shared CPU adapters.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { gpu, TEST_ADAPTERS } from '../helpers/gpu.ts';
import type { AdapterSummary, GpuContext } from '../../src/kernels/runtime.ts';
import { matmul, MATMUL, MATMUL_VERSIONS, tenRowsPay } from '../../src/kernels/matmul/matmul.ts';
import { ADAPTER_KINDS, chosenBy, versionNames } from '../../src/kernels/versions.ts';
import { matmulRef } from '../../src/kernels/matmul/reference.ts';
import { PAMR_STEP } from '../../src/kernels/pamr/pamr.ts';
import {
  createTimer,
  median,
  peakShare,
  rand,
  runCase,
  runCases,
  sampleRows,
  type BenchCase,
} from '../../src/bench/harness.ts';
import { matmulBackwardCase, matmulCase, refineCases, towerCases, VERSIONED_OPS } from '../../src/bench/cases.ts';
import { probePeak } from '../../src/bench/peak.ts';
import { TINY_SHAPES, SHAPES, selectShapes } from '../../src/bench/shapes.ts';
import { breakdown, interleavedLines, kernelRows, markdownReport } from '../../src/bench/report.ts';
import { main } from '../../src/cli/main.ts';
import { GRADCAM_METHODS } from '../../src/model/explain/gradcam.ts';
import { SEGMENT_METHODS } from '../../src/model/segment/methods.ts';
import { TINY } from '../helpers/fixtures.ts';

const FAST = { warmup: 1, samples: 2, minSamples: 1, budgetMs: 0, minSampleMs: 1, maxReps: 2 };

/** A matmul whose kernel scales by 1.01 while its reference does not: must be rejected. */
function wrongMatmul(M: number, N: number, K: number): BenchCase {
  const x = rand(M * K, 1),
    w = rand(N * K, 2);
  return {
    op: 'matmul',
    version: 'broken',
    shape: `M=${M} N=${N} K=${K}`,
    flops: 2 * M * N * K,
    bytes: 4 * (M * K + N * K + M * N),
    setup(ctx) {
      const tx = ctx.tensor([M, K], x),
        tw = ctx.tensor([N, K], w);
      return {
        record: (pass) => matmul(pass, tx, tw, null, { alpha: 1.01 }),
        check: (out) => {
          const ref = matmulRef(x, w, null, M, N, K);
          let m = 0;
          for (let i = 0; i < ref.length; i++) m = Math.max(m, Math.abs(out[i] - ref[i]));
          return { maxAbsDiff: m, tolerance: 2e-6 * K, compared: ref.length };
        },
        release: () => {
          ctx.release(tx);
          ctx.release(tw);
        },
      };
    },
  };
}

describe('harness helpers', () => {
  it('median, sampled rows, roofline share', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(sampleRows(10, 100)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(sampleRows(100, 3)).toEqual([0, 50, 99]);
    expect(sampleRows(100, 1)).toEqual([99]);
    // 1 GFLOP at 10 GFLOP/s takes 100 ms at best; 200 ms is half the roofline.
    expect(peakShare({ flops: 1e9, bytes: 0, ms: 200 }, { gflops: 10, gbps: 1 })).toBeCloseTo(0.5);
    // memory-bound: 1 GB at 1 GB/s = 1 s at best.
    expect(peakShare({ flops: 1e6, bytes: 1e9, ms: 4000 }, { gflops: 10, gbps: 1 })).toBeCloseTo(0.25);
    expect(peakShare({ flops: 1, bytes: 1, ms: null }, { gflops: 10, gbps: 1 })).toBeNull();
  });

  const adapterOf = (family: AdapterSummary['family'], features: string[] = []): AdapterSummary => ({
    description: family,
    vendor: '',
    architecture: '',
    backend: 'test',
    features,
    isCpu: family !== 'gpu',
    family,
  });

  it("every version of the kernels' tables is in the case table where it runs, for every tower shape", () => {
    expect(VERSIONED_OPS.map((op) => op.op)).toEqual(['matmul', 'attention', 'layernorm', 'patch-embed']);
    const gpuWithSubgroups = adapterOf('gpu', ['subgroups']);
    for (const s of SHAPES) {
      const cases = towerCases(s, gpuWithSubgroups);
      const qkv = cases.filter((c) => c.op === 'matmul' && c.role === 'qkv').map((c) => c.version);
      // v6 (10-row blocks) is timed where it runs: where 10 rows pad M less than v3's 12 do.
      const M = s.tokens * s.batch;
      expect(qkv).toEqual(Object.keys(MATMUL_VERSIONS).filter((v) => v !== 'v6' || tenRowsPay(M)));
      for (const op of VERSIONED_OPS.filter((o) => o.op !== 'patch-embed' || s.tower === 'vision')) {
        const timed = new Set(cases.filter((c) => c.op === op.op).map((c) => c.version));
        // L/14's 14-pixel patches: the register-blocked patch-embed versions cannot take them.
        const expected = versionNames(op).filter(
          (v) =>
            !(op.op === 'patch-embed' && s.patch === 14 && ['v2', 'v5', 'v6'].includes(v)) &&
            // the projection's M is the batch
            !(op.op === 'matmul' && v === 'v6' && !tenRowsPay(s.tokens * s.batch) && !tenRowsPay(s.batch)),
        );
        expect([...timed].sort(), `${s.id} ${op.op}`).toEqual(expected);
      }
      for (const c of cases.filter((x) => x.op === 'matmul'))
        expect(c.chosenBy).toEqual(chosenBy(MATMUL, c.version as 'v1'));
      // Every op of the encoder layer is there, the residual adds and quick_gelu fused into the matmuls as the model runs them.
      for (const op of ['layernorm', 'attention', 'gather-rows', 'l2norm'])
        expect(cases.some((c) => c.op === op)).toBe(true);
      expect(cases.filter((c) => c.role === 'fc1').every((c) => c.shape.endsWith('+quick_gelu'))).toBe(true);
      expect(
        cases.filter((c) => c.role === 'fc2' || c.role === 'out').every((c) => c.shape.endsWith('+residual')),
      ).toBe(true);
      expect(cases.some((c) => c.op === (s.tower === 'vision' ? 'patch-embed' : 'embedding'))).toBe(true);
    }
  });

  it('times the refinement of maps (PAMR) once per vision image size, every step version, outside the forward passes', () => {
    const cases = refineCases(SHAPES, adapterOf('gpu', ['subgroups']));
    const sizes = [...new Set(SHAPES.filter((s) => s.tower === 'vision').map((s) => s.image))];
    expect(cases.filter((c) => c.op === 'pamr-affinity').map((c) => c.shape)).toEqual(
      sizes.map((S) => `H=${S} W=${S} K=3 ND=6`),
    );
    expect(cases.filter((c) => c.op === 'pamr-step').map((c) => `${c.version} ${c.shape}`)).toEqual(
      sizes.flatMap((S) =>
        [1, 21].flatMap((C) => versionNames(PAMR_STEP).map((v) => `${v} H=${S} W=${S} C=${C} ND=6`)),
      ),
    );
    expect(cases.every((c) => c.group === undefined && c.role === 'refine')).toBe(true); // in no tower's breakdown
    expect(
      refineCases(
        SHAPES.filter((s) => s.tower === 'text'),
        adapterOf('llvmpipe'),
      ),
    ).toEqual([]);
  });

  it("the issue's shapes", () => {
    const tokens = Object.fromEntries(SHAPES.map((s) => [s.id, [s.tokens, s.batch, s.hidden, s.mlp, s.heads]]));
    expect(tokens['b32-vision-b1']).toEqual([50, 1, 768, 3072, 12]);
    expect(tokens['b32-vision-b8'][1]).toBe(8);
    expect(tokens['b32-vision-b32'][1]).toBe(32);
    expect(tokens['b32-text-b1']).toEqual([77, 1, 512, 2048, 8]);
    expect(tokens['b32-text-b80'][1]).toBe(80);
    expect(tokens['b16-vision-b1'][0]).toBe(197);
    expect(tokens['l14-vision-b1'][0]).toBe(257);
    for (const s of SHAPES.filter((x) => x.tower === 'vision')) expect(s.tokens).toBe(1 + (s.image! / s.patch!) ** 2);
    expect(() => selectShapes(['nope'])).toThrow(/unknown shape "nope"/);
  });

  it('skips the versions an adapter rules out, and says which versions no adapter chooses', () => {
    const cpu = towerCases(TINY_SHAPES[0], adapterOf('llvmpipe'));
    expect(cpu.filter((c) => c.op === 'layernorm').map((c) => c.version)).toEqual(['v1', 'v2']); // v3, v4 need subgroups
    expect(cpu.filter((c) => c.op === 'patch-embed').map((c) => c.version)).toEqual(['v1', 'v2', 'v3', 'v5', 'v6']);
    const byVersion = Object.fromEntries(
      cpu.filter((c) => c.op === 'matmul' && c.role === 'qkv').map((c) => [c.version, c.chosenBy]),
    );
    expect(byVersion).toEqual({
      v1: [],
      v2: [],
      v3: [],
      v4: ['swiftshader'],
      v5: ['gpu', 'gpu-subgroups'],
      v6: [],
      v7: ['llvmpipe', 'swiftshader'], // SwiftShader's v4 hands it M > 16
    });
    expect(cpu.find((c) => c.op === 'softmax')!.chosenBy).toBeUndefined();
    const qkv = cpu.filter((c) => c.op === 'matmul' && c.role === 'qkv');
    const rows = kernelRows(
      qkv.map((c) => ({ ...emptyResult(c), chosen_by: c.chosenBy ? [...c.chosenBy] : undefined })),
    );
    expect(rows[0].slice(0, 3)).toEqual(['op', 'version', 'shape']);
    expect(rows[0].at(-1)).toBe('chosen by');
    expect(rows.slice(1).map((r) => r.at(-1))).toEqual([
      'bench only',
      'bench only',
      'bench only',
      'swiftshader',
      'gpu, gpu-subgroups',
      'bench only',
      'llvmpipe, swiftshader',
    ]);
    expect(ADAPTER_KINDS.map((k) => MATMUL.choice[k])).toEqual(['v7', 'v4', 'v5', 'v5']);
  });
});

function emptyResult(c: BenchCase) {
  return {
    op: c.op,
    version: c.version,
    shape: c.shape,
    valid: false,
    max_abs_diff: null,
    tolerance: null,
    ms: null,
    ms_min: null,
    ms_max: null,
    samples: 0,
    reps: 0,
    method: 'wall' as const,
    flops: c.flops,
    bytes: c.bytes,
    gflops: null,
    gbps: null,
    peak_share: null,
  };
}

for (const adapter of TEST_ADAPTERS)
  describe(`on ${adapter}`, () => {
    let ctx: GpuContext;
    beforeAll(async () => {
      ctx = await gpu(adapter);
    });

    it('rejects a kernel that disagrees with its CPU reference and does not time it', async () => {
      const r = await runCase(ctx, wrongMatmul(9, 13, 7), createTimer(ctx), FAST);
      expect(r.valid).toBe(false);
      expect(r.error).toMatch(/differs from the CPU reference/);
      expect(r.max_abs_diff!).toBeGreaterThan(r.tolerance!);
      expect(r.ms).toBeNull();
      expect(r.samples).toBe(0);
      expect(r.gflops).toBeNull();
    });

    it('times the versions of one op at one shape together; a broken one drops out, the others are timed', async () => {
      const versions = Object.keys(MATMUL_VERSIONS);
      const cases = [
        ...versions.map((version) => matmulCase(9, 13, 7, { version, bias: false })),
        wrongMatmul(9, 13, 7),
      ];
      expect(cases.map((c) => c.shape)).toEqual(cases.map(() => 'M=9 N=13 K=7'));
      const rs = await runCases(ctx, cases, { ...FAST, samples: 3, minSamples: 3 });
      expect(rs.map((r) => r.version)).toEqual([...versions, 'broken']);
      for (const r of rs.slice(0, -1)) {
        expect(r.valid, r.error).toBe(true);
        expect(r.samples).toBe(3);
      }
      expect(rs.at(-1)!.valid).toBe(false);
      expect(rs.at(-1)!.samples).toBe(0);
    });

    it("validates and times the backward's products in both versions (v2 on its shapes, v1 on ragged ones)", async () => {
      const cases = (['input', 'weight'] as const).flatMap((product) =>
        (['v1', 'v2'] as const).flatMap((version) => [
          matmulBackwardCase(product, 67, 44, 36, { version }),
          matmulBackwardCase(product, 9, 13, 7, { version }),
        ]),
      );
      const rs = await runCases(ctx, cases, { ...FAST, samples: 1, minSamples: 1 });
      for (const r of rs) expect(r.valid, `${r.op} ${r.version} ${r.shape}: ${r.error}`).toBe(true);
      expect(rs.map((r) => r.op)).toEqual([
        ...Array(4).fill('matmul-backward-input'),
        ...Array(4).fill('matmul-backward-weight'),
      ]);
      expect(rs[2].chosen_by).toEqual(['llvmpipe', 'swiftshader']);
    });

    it('reports a failing case instead of throwing', async () => {
      const bad: BenchCase = {
        ...matmulCase(4, 4, 4),
        setup: () => {
          throw new Error('no such kernel');
        },
      };
      const [r] = await runCases(ctx, [bad], FAST);
      expect(r.valid).toBe(false);
      expect(r.error).toBe('no such kernel');
    });

    it('validates and times every op of the tiny towers and the refinement at their size, with plausible numbers', async () => {
      const peak = await probePeak(ctx, FAST, 'tiny');
      expect(peak.fma.valid).toBe(true);
      expect(peak.copy.valid).toBe(true);
      expect(peak.gflops).toBeGreaterThan(0);
      expect(peak.gbps).toBeGreaterThan(0);
      const cases = [
        ...TINY_SHAPES.flatMap((s) => towerCases(s, ctx.adapter)),
        ...refineCases(TINY_SHAPES, ctx.adapter),
      ];
      expect(cases.filter((c) => c.op.startsWith('pamr-')).length).toBeGreaterThanOrEqual(3);
      const results = await runCases(ctx, cases, FAST, peak);
      const method = ctx.device.features.has('timestamp-query') ? 'timestamp-query' : 'wall';
      for (const r of results) {
        expect(r.valid, `${r.op} ${r.version} ${r.shape}: ${r.error}`).toBe(true);
        expect(r.max_abs_diff!).toBeLessThanOrEqual(r.tolerance!);
        expect(r.method).toBe(method);
        expect(r.samples).toBeGreaterThanOrEqual(1);
        expect(r.reps).toBeGreaterThanOrEqual(1);
        expect(Number.isFinite(r.ms) && r.ms! > 0).toBe(true);
        expect(r.ms_min!).toBeLessThanOrEqual(r.ms!);
        expect(r.ms_max!).toBeGreaterThanOrEqual(r.ms!);
        // The rates are the counts over the median time.
        expect(r.gbps!).toBeCloseTo(r.bytes / (r.ms! * 1e6), 9);
        expect(r.gflops!).toBeCloseTo(r.flops / (r.ms! * 1e6), 9);
        expect(r.peak_share!).toBeGreaterThan(0);
      }
      // A case releases its inputs: running it again leaves as many live buffers as before.
      const live = ctx.stats.liveBuffers;
      await runCases(ctx, cases.slice(0, 3), FAST, peak);
      expect(ctx.stats.liveBuffers).toBe(live);
      const b = breakdown(results);
      expect(b.map((x) => x.group)).toEqual(TINY_SHAPES.map((s) => s.id));
      for (const g of b) expect(g.parts.reduce((s, p) => s + p.share, 0)).toBeCloseTo(1, 6);
      expect(kernelRows(results)).toHaveLength(results.length + 1);
    });
  });

describe('the peer timed in turn with ours', () => {
  it('reports each provider that has pairs, with the median ratio', () => {
    const result = {
      provider: 'wasm' as const,
      session_ms: 1,
      image_ms: 311,
      image_batch: 0,
      image_batch_ms: null,
      text_batch: 8,
      text_ms: 290,
      text_tokens: 14,
      text_prompts_per_s: 27.5,
      samples: 5,
      image_max_abs_diff: 1e-6,
      text_max_abs_diff: 2e-6,
    };
    const peer = { image_ms: null, text_ms: null, webgpu: { error: 'no adapter' }, description: {} };
    expect(interleavedLines({ peer: { ...peer, wasm: result } })).toEqual([]);
    const interleaved = { pairs: 10, ours_ms: 482, peer_ms: 311, ratio: 1.5612 };
    expect(interleavedLines({ peer: { ...peer, wasm: { ...result, interleaved } } })).toEqual([
      "Image batch 1, ours and onnxruntime-web wasm in turn (10 pairs): ours 482 ms, wasm 311 ms, ratio 1.56 (median of the pairs' ratios)",
    ]);
  });
});

describe('clip-webgpu bench --json', () => {
  it('prints the documented document', async () => {
    let stdout = '',
      stderr = '';
    const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } };
    const code = await main(['bench', '--shapes', 'tiny-text-b3', '--quick', '--json'], io);
    expect(code, stderr).toBe(0);
    const doc = JSON.parse(stdout);
    expect(Object.keys(doc)).toEqual(expect.arrayContaining(['adapter', 'kernels', 'e2e', 'peer']));
    expect(doc.adapter.description).toEqual(expect.any(String));
    expect(['timestamp-query', 'wall']).toContain(doc.adapter.timing);
    expect(doc.adapter.peak.gflops).toBeGreaterThan(0);
    expect(doc.kernels.length).toBe(towerCases(TINY_SHAPES[1], doc.adapter).length); // versions the adapter takes
    for (const k of doc.kernels) {
      for (const key of ['op', 'version', 'shape', 'ms', 'gflops', 'gbps', 'peak_share']) expect(k).toHaveProperty(key);
      expect(k.valid).toBe(true);
    }
    expect(doc.e2e).toBeNull(); // no --model
    expect(doc.peer).toBeNull();
    expect(markdownReport(doc)).toMatch(/^Adapter: /);
  });

  it('with --model: end-to-end times, memory, and no buffer created by repeated calls', async () => {
    let stdout = '',
      stderr = '';
    const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } };
    const code = await main(
      [
        'bench',
        '--model',
        TINY,
        '--shapes',
        'none',
        '--samples',
        '1',
        '--image-batch',
        '2',
        '--text-batch',
        '3',
        '--json',
      ],
      io,
    );
    expect(code, stderr).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc.kernels).toEqual([]);
    const e = doc.e2e;
    for (const key of ['image_ms', 'image_batch_ms', 'text_ms', 'text_prompts_per_s', 'imagenet_head_s_extrapolated'])
      expect(e[key]).toBeGreaterThan(0);
    expect(e.image_batch32_ms).toBeNull(); // batch 2 was measured, not 32
    expect(e.image_batch).toBe(2);
    expect(e.text_batch).toBe(3);
    expect(e.text_prompts_per_s).toBeCloseTo(3 / (e.text_ms / 1000), 6);
    expect(e.buffers_created_per_call).toBe(0);
    expect(e.gpu_bytes_peak).toBeGreaterThanOrEqual(e.weights_bytes);
    expect(e).not.toHaveProperty('inputs');
    expect(doc.notes.join(' ')).toMatch(/extrapolated/);
  });

  it('with --model --maps: the time of one map per explanation and segmentation method, in both reports', async () => {
    let stdout = '',
      stderr = '';
    const io = { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } };
    const code = await main(['bench', '--model', TINY, '--maps', '--shapes', 'none', '--samples', '1', '--json'], io);
    expect(code, stderr).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc.e2e).toBeNull(); // --maps instead of the encodes
    expect(doc.maps.map((m: { task: string; method: string }) => `${m.task} ${m.method}`)).toEqual([
      ...GRADCAM_METHODS.map((m) => `explain ${m}`),
      ...SEGMENT_METHODS.map((m) => `segment ${m}`),
    ]);
    for (const m of doc.maps) {
      expect(m.ms, m.method).toBeGreaterThan(0);
      expect(m.samples).toBe(1);
    }
    expect(markdownReport(doc)).toMatch(/\| segment \| naclip \| [0-9.]+ \| 1 \|/);
    expect(await main(['bench', '--maps'], io)).toBe(2);
    expect(stderr).toMatch(/--maps needs --model/);
  });

  it('rejects --peer without --model and unknown shapes', async () => {
    let stderr = '';
    const io = { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) } };
    expect(await main(['bench', '--peer', 'x'], io)).toBe(2);
    expect(stderr).toMatch(/--peer needs --model/);
    expect(await main(['bench', '--shapes', 'b32-vision-b3'], io)).toBe(2);
    expect(stderr).toMatch(/unknown shape "b32-vision-b3"/);
  });
});
