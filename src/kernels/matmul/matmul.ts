import type { Pass, Tensor } from '../runtime.ts';
import { runKernel, type KernelOp, type KernelVersion } from '../versions.ts';
import { ACTIVATE_CODE, ACTIVATION_FORMULAS_WGSL, type Activation } from '../activation/activation.ts';
import epilogue from './epilogue.wgsl?raw';
import v1 from './matmul-v1.wgsl?raw';
import v2 from './matmul-v2.wgsl?raw';
import v3 from './matmul-v3.wgsl?raw';
import v4 from './matmul-v4.wgsl?raw';
import v5 from './matmul-v5.wgsl?raw';
import v6 from './matmul-v6.wgsl?raw';
import v7 from './matmul-v7.wgsl?raw';
import { compactWeightsCode } from './compact-loads.ts';
import { weightFormatOf, type WeightFormat } from './weight-formats.ts';

/** What a matmul dispatch depends on: y [M, N] = x [M, K] · W [N, K]ᵀ with its fused epilogue. */
export interface MatmulShape {
  M: number;
  N: number;
  K: number;
  alpha: number;
  bias: boolean;
  act: Activation | undefined;
  residual: boolean;
  /** W's format (absent: f32): compact formats are unpacked in the loads (compact-loads.ts). */
  weights?: WeightFormat;
}

export type MatmulVersion = 'v1' | 'v2' | 'v3' | 'v4' | 'v5' | 'v6' | 'v7';
type MatmulDescriptor = KernelVersion<MatmulShape, MatmulVersion>;

/**
 * What every version shares: the params, the fused-epilogue constants, and the WGSL after each
 * version's own (epilogue.wgsl + the activation formulas). `rows` x `cols` is the output tile one
 * workgroup writes.
 */
function matmulVersion(
  code: string,
  note: string,
  rows: number,
  cols: number,
  vec4: boolean,
  more: Partial<MatmulDescriptor> = {},
): MatmulDescriptor {
  const assembled = `${code}\n${epilogue}\n${ACTIVATION_FORMULAS_WGSL}`;
  const compact = new Map<WeightFormat, string>();
  return {
    note,
    code: assembled,
    variant: (s) => {
      const format = s.weights ?? 'f32';
      if (format === 'f32') return undefined;
      if (!compact.has(format)) compact.set(format, compactWeightsCode(assembled, format));
      return { name: format, code: compact.get(format)! };
    },
    // vec4 versions read x and W as vec4 rows along K.
    ...(vec4 ? { supports: (s: MatmulShape) => s.K % 4 === 0, fallback: 'v2' as const } : {}),
    constants: (s) => ({
      HAS_BIAS: s.bias ? 1 : 0,
      ACT: s.act ? ACTIVATE_CODE[s.act] : 0,
      HAS_RES: s.residual ? 1 : 0,
    }),
    params: (s) => [s.M, s.N, s.K, s.alpha],
    floats: [3],
    workgroups: (s) => [Math.ceil(s.N / cols), Math.ceil(s.M / rows)],
    ...more,
  };
}

/** Every version, oldest first (the WGSL headers say more); the benchmark times each against the CPU reference. */
export const MATMUL: KernelOp<MatmulShape, MatmulVersion> = {
  op: 'matmul',
  versions: {
    v1: matmulVersion(
      v1,
      '64x64 tile per workgroup, 16-deep K slices in workgroup memory, 4x4 outputs per thread',
      64,
      64,
      false,
      { benchOnly: true },
    ),
    v2: matmulVersion(
      v2,
      'as v1, the 16 accumulators in four vec4 registers (SwiftShader kept the array in memory)',
      64,
      64,
      false,
      { benchOnly: true },
    ),
    v3: matmulVersion(
      v3,
      'no workgroup memory: a 12x8 register block per invocation, vec4 loads along K (CPU adapters)',
      12,
      256,
      true,
      { benchOnly: true },
    ),
    v4: matmulVersion(v4, 'as v3 with a 16x8 block: 16 rows share each W load', 16, 256, true, {
      // SwiftShader's choice, for one block of rows (a prompt); v7 beats it there from M = 50 up.
      supports: (s, a) => s.K % 4 === 0 && !(a.family === 'swiftshader' && s.M > 16),
      fallback: 'v7',
    }),
    v5: matmulVersion(v5, '32x32 workgroup tile, 32-deep K slices with coalesced vec4 loads (GPUs)', 32, 32, true),
    v6: matmulVersion(v6, 'as v3 with a 10x8 block: M = 50 or 14 without padding to 60 or 24 rows', 10, 256, true, {
      supports: (s) => s.K % 4 === 0 && tenRowsPay(s.M),
      fallback: 'v3',
      benchOnly: true,
    }),
    v7: matmulVersion(
      v7,
      'as v6 with a 10x16 block, 8 invocations per workgroup, FMAs chained per block',
      10,
      128,
      true,
    ),
  },
  /**
   * The fastest version measured on each kind of adapter (bench, B/32 shapes, 2026-11-27): the
   * register-blocked v3/v4 on the CPU emulators, where workgroup memory buys nothing (llvmpipe loads it
   * lane by lane like storage) and barriers are expensive: 6-8x v1/v2 on llvmpipe, 3-5x v2 on SwiftShader.
   * v3 and v4 are within ~10% of each other; v3 (12 rows) pads M=50 less and wins the image shapes on
   * llvmpipe, v4 (16 rows) wins the text shapes on SwiftShader by 10-30%. On real GPUs the 32x32-tiled
   * v5: on an H200 (Dawn/Vulkan) the fastest at every B/32 shape up to 1,600 rows (e.g. fc2 at M=50:
   * 0.20 ms vs 0.31 for v1), v3/v4 only at 6,160 rows (80 prompts, by 10-25%) — not worth a per-shape rule.
   * v2 stays as the fallback for K % 4 != 0. On llvmpipe v6's 10-row blocks took 11-13% off v3 at M = 50
   * (one B/32 image) and ~10% at M = 14; v7's 10x16 blocks take a further 8-12% off v6 at M = 50, 7% at
   * M = 14, and 3% off v3 at M = 112, where v6 does not pay (same process, samples alternating, 2026-12-03).
   * On SwiftShader v7 beats v4 by 23% at M = 50, 6% at M = 112 and 43% on the shipped model's training
   * shapes (M = 4,160, width 64), and loses by 10% at M = 14: there v4 keeps M <= 16 (one of its blocks)
   * and hands larger M to v7.
   */
  choice: { llvmpipe: 'v7', swiftshader: 'v4', gpu: 'v5', 'gpu-subgroups': 'v5' },
};

/**
 * Whether v6's 10-row blocks beat v3's 12-row ones at M rows: the rows each computes (padded to its
 * block) per FMA-per-loaded-vec4 (4·R·8 / (R + 8): 17.8 for 10 rows, 19.2 for 12), the cost on llvmpipe,
 * where every storage load is a loop over the SIMD lanes.
 */
export function tenRowsPay(M: number): boolean {
  const cost = (R: number) => (Math.ceil(M / R) * R * (R + 8)) / (32 * R);
  return cost(10) < cost(12);
}

/** The descriptors by version name. */
export const MATMUL_VERSIONS = MATMUL.versions;

export interface MatmulOptions {
  alpha?: number;
  out?: Tensor;
  version?: MatmulVersion;
  /** Fused activation, applied after alpha and bias (the formulas of the activation kernel). */
  act?: Activation;
  /** Fused residual: y = residual + (alpha·x·Wᵀ + b), as the separate `add` kernel orders it. Same shape as y. */
  residual?: Tensor;
}

/**
 * y = residual + act(alpha · x·Wᵀ (+ b)): x [..., K], W [N, K] (PyTorch Linear layout), b [N] -> y [..., N];
 * `act` and `residual` are optional fused epilogues. W may be compact (f16, bf16, i8 with its scales).
 */
export function matmul(pass: Pass, x: Tensor, w: Tensor, bias: Tensor | null, opts: MatmulOptions = {}): Tensor {
  const K = x.shape[x.shape.length - 1];
  const [N, Kw] = w.shape;
  if (K !== Kw) throw new Error(`matmul: x [${x.shape}] and W [${w.shape}] disagree on K`);
  if (bias && bias.size !== N) throw new Error(`matmul: bias [${bias.shape}] for N=${N}`);
  const M = x.size / K;
  const res = opts.residual;
  if (res && res.size !== M * N) throw new Error(`matmul: residual [${res.shape}] for a [${M}, ${N}] output`);
  const y = opts.out ?? pass.tmp([...x.shape.slice(0, -1), N]);
  if (res && res.buffer === y.buffer) throw new Error('matmul: the residual cannot be the output buffer');
  const weights = weightFormatOf(w.dtype);
  if (weights === 'int8' && w.scale?.size !== N) throw new Error(`matmul: an int8 W [${w.shape}] needs ${N} scales`);
  const shape: MatmulShape = {
    M,
    N,
    K,
    alpha: opts.alpha ?? 1,
    bias: !!bias,
    act: opts.act,
    residual: !!res,
    ...(weights === 'f32' ? {} : { weights }),
  };
  const placeholder = pass.ctx.placeholder();
  const tensors = [x, w, bias ?? placeholder, y, res ?? placeholder, ...(weights === 'int8' ? [w.scale!] : [])];
  runKernel(pass, MATMUL, shape, tensors, opts.version);
  return y;
}
