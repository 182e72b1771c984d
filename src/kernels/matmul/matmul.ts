import { type AdapterSummary, type Pass, type Tensor } from '../runtime.ts';
import type { Activation } from '../activation/activation.ts';
import v1 from './matmul-v1.wgsl?raw';
import v2 from './matmul-v2.wgsl?raw';
import v3 from './matmul-v3.wgsl?raw';
import v4 from './matmul-v4.wgsl?raw';
import v5 from './matmul-v5.wgsl?raw';

/** Every version, oldest first; the harness validates and times each against the CPU reference. */
export const MATMUL_VERSIONS = { v1, v2, v3, v4, v5 } as const;
export type MatmulVersion = keyof typeof MATMUL_VERSIONS;

/**
 * How each version covers y: the output tile one workgroup writes ([rows, cols]) and whether it
 * reads x and W as vec4 along K (then K % 4 must be 0; otherwise the dispatcher runs `fallback`).
 */
const GEOMETRY: Record<MatmulVersion, { rows: number; cols: number; vec4: boolean; fallback?: MatmulVersion }> = {
  v1: { rows: 64, cols: 64, vec4: false },
  v2: { rows: 64, cols: 64, vec4: false },
  v3: { rows: 12, cols: 256, vec4: true, fallback: 'v2' },
  v4: { rows: 16, cols: 256, vec4: true, fallback: 'v2' },
  v5: { rows: 32, cols: 32, vec4: true, fallback: 'v2' },
};

/**
 * The fastest version measured on each kind of adapter (bench, B/32 shapes, 2026-11-27): the
 * register-blocked v3/v4 on the CPU emulators, where workgroup memory buys nothing (llvmpipe loads it
 * lane by lane like storage) and barriers are expensive: 6-8x v1/v2 on llvmpipe, 3-5x v2 on SwiftShader.
 * v3 and v4 are within ~10% of each other; v3 (12 rows) pads M=50 less and wins the image shapes on
 * llvmpipe, v4 (16 rows) wins the text shapes on SwiftShader by 10-30%. On real GPUs the 32x32-tiled
 * v5: on an H200 (Dawn/Vulkan) the fastest at every B/32 shape up to 1,600 rows (e.g. fc2 at M=50:
 * 0.20 ms vs 0.31 for v1), v3/v4 only at 6,160 rows (80 prompts, by 10-25%) — not worth a per-shape rule.
 */
export function chooseMatmulVersion(adapter: AdapterSummary): MatmulVersion {
  switch (adapter.family) {
    case 'llvmpipe': return 'v3';
    case 'swiftshader': return 'v4';
    default: return 'v5';
  }
}

const ACT_CODE: Record<Activation, number> = { quick_gelu: 1, gelu: 2 };

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
 * `act` and `residual` are optional fused epilogues.
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
  const ctx = pass.ctx;
  let version = opts.version ?? ctx.kernelVersion('matmul', MATMUL_VERSIONS, chooseMatmulVersion);
  // vec4 versions need K % 4 == 0 (the activations and weights are read as vec4 rows).
  if (GEOMETRY[version].vec4 && K % 4 !== 0) version = GEOMETRY[version].fallback!;
  const g = GEOMETRY[version];
  const pipeline = ctx.pipeline(`matmul-${version}`, MATMUL_VERSIONS[version], {
    HAS_BIAS: bias ? 1 : 0, ACT: opts.act ? ACT_CODE[opts.act] : 0, HAS_RES: res ? 1 : 0,
  });
  const params = ctx.uniform([M, N, K, opts.alpha ?? 1], [3]);
  const placeholder = ctx.placeholder();
  pass.dispatch(pipeline, params, [x, w, bias ?? placeholder, y, res ?? placeholder], [Math.ceil(N / g.cols), Math.ceil(M / g.rows)]);
  return y;
}
