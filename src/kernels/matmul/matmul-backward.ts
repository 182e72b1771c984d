import { ClipError } from '../../errors.ts';
import { grid, type Pass, type Tensor } from '../runtime.ts';
import { runKernel, type KernelOp, type KernelVersion } from '../versions.ts';
import v1 from './matmul-backward.wgsl?raw';
import inputV2 from './matmul-backward-input-v2.wgsl?raw';
import weightV2 from './matmul-backward-weight-v2.wgsl?raw';
import biasSource from './matmul-backward-bias.wgsl?raw';

/** The backward's products in the kernel's own terms: c [M, N] = alpha · A·B, summed over K. */
export interface MatmulBackwardShape {
  M: number;
  N: number;
  K: number;
  alpha: number;
}

export type MatmulBackwardVersion = 'v1' | 'v2';
type Descriptor = KernelVersion<MatmulBackwardShape, MatmulBackwardVersion>;

const common = (rows: number, cols: number): Pick<Descriptor, 'params' | 'floats' | 'workgroups'> => ({
  params: (s) => [s.M, s.N, s.K, s.alpha],
  floats: [3],
  workgroups: (s) => [Math.ceil(s.N / cols), Math.ceil(s.M / rows)],
});

/**
 * dX = alpha · dY·W: A = dY [M, K] row-major, B = W [K, N]. v1 tiles in workgroup memory (GPUs); v2 is
 * matmul v7's register blocking (CPU adapters, where workgroup memory is loaded lane by lane and
 * barriers are dear). Choice measured on llvmpipe and SwiftShader: BENCHMARKS.md, "Training".
 */
export const MATMUL_BACKWARD_INPUT: KernelOp<MatmulBackwardShape, MatmulBackwardVersion> = {
  op: 'matmul-backward-input',
  versions: {
    v1: {
      note: '64x64 tile per workgroup, 16-deep K slices in workgroup memory, 4x4 outputs per thread',
      code: v1,
      constants: () => ({ A_KM: 0 }),
      ...common(64, 64),
    },
    v2: {
      note: 'no workgroup memory: a 10x16 register block per invocation, vec4 loads (N % 4 == 0, K % 4 == 0)',
      code: inputV2,
      supports: (s) => s.N % 4 === 0 && s.K % 4 === 0,
      fallback: 'v1',
      ...common(10, 128),
    },
  },
  choice: { llvmpipe: 'v2', swiftshader: 'v2', gpu: 'v1', 'gpu-subgroups': 'v1' },
};

/** dW = alpha · dYᵀ·X: A = dY stored [K, M] (read transposed), B = X [K, N]. Versions as for dX. */
export const MATMUL_BACKWARD_WEIGHT: KernelOp<MatmulBackwardShape, MatmulBackwardVersion> = {
  op: 'matmul-backward-weight',
  versions: {
    v1: { note: 'as the dX v1, A read transposed (A_KM)', code: v1, constants: () => ({ A_KM: 1 }), ...common(64, 64) },
    v2: {
      note: 'no workgroup memory: an 8x16 register block per invocation, vec4 loads (M % 4 == 0, N % 4 == 0)',
      code: weightV2,
      supports: (s) => s.M % 4 === 0 && s.N % 4 === 0,
      fallback: 'v1',
      ...common(8, 128),
    },
  },
  choice: { llvmpipe: 'v2', swiftshader: 'v2', gpu: 'v1', 'gpu-subgroups': 'v1' },
};

/**
 * Backward of `matmul` (y = alpha · x·Wᵀ + b, x [..., K], W [N, K]) given dY [..., N]:
 * dX = alpha · dY·W [..., K].
 */
export function matmulBackwardInput(
  pass: Pass,
  dy: Tensor,
  w: Tensor,
  opts: { alpha?: number; out?: Tensor; version?: MatmulBackwardVersion } = {},
): Tensor {
  const [N, K] = w.shape;
  if (w.dtype !== 'f32') {
    throw new ClipError(
      'input',
      `Gradients need F32 weights, and W [${w.shape}] is ${w.dtype}: load the model with { weights: 'f32' } for Grad-CAM and training.`,
    );
  }
  if (dy.shape[dy.shape.length - 1] !== N)
    throw new Error(`matmulBackwardInput: dY [${dy.shape}] and W [${w.shape}] disagree on N`);
  const M = dy.size / N;
  const dx = opts.out ?? pass.tmp([...dy.shape.slice(0, -1), K]);
  runKernel(pass, MATMUL_BACKWARD_INPUT, { M, N: K, K: N, alpha: opts.alpha ?? 1 }, [dy, w, dx], opts.version);
  return dx;
}

/** dW = alpha · dYᵀ·X [N, K] for dY [..., N] and the forward's input x [..., K]. */
export function matmulBackwardWeight(
  pass: Pass,
  dy: Tensor,
  x: Tensor,
  opts: { alpha?: number; out?: Tensor; version?: MatmulBackwardVersion } = {},
): Tensor {
  const N = dy.shape[dy.shape.length - 1];
  const K = x.shape[x.shape.length - 1];
  const M = dy.size / N;
  if (x.size / K !== M) throw new Error(`matmulBackwardWeight: dY [${dy.shape}] and x [${x.shape}] disagree on rows`);
  const dw = opts.out ?? pass.tmp([N, K]);
  runKernel(pass, MATMUL_BACKWARD_WEIGHT, { M: N, N: K, K: M, alpha: opts.alpha ?? 1 }, [dy, x, dw], opts.version);
  return dw;
}

/** db = Σ over rows of dY [..., N] -> [N]. */
export function matmulBackwardBias(pass: Pass, dy: Tensor, out?: Tensor): Tensor {
  const N = dy.shape[dy.shape.length - 1];
  const db = out ?? pass.tmp([N]);
  const ctx = pass.ctx;
  pass.dispatch(
    ctx.pipeline('matmul-backward-bias', biasSource),
    ctx.uniform([dy.size / N, N]),
    [dy, db],
    grid(Math.ceil(N / 256)),
  );
  return db;
}
