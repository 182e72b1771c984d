import { ClipError } from '../../errors.ts';
import { grid, type Pass, type Tensor } from '../runtime.ts';
import source from './matmul-backward.wgsl?raw';
import biasSource from './matmul-backward-bias.wgsl?raw';

/**
 * Backward of `matmul` (y = alpha · x·Wᵀ + b, x [..., K], W [N, K]) given dY [..., N]:
 * dX = alpha · dY·W [..., K].
 */
export function matmulBackwardInput(
  pass: Pass,
  dy: Tensor,
  w: Tensor,
  opts: { alpha?: number; out?: Tensor } = {},
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
  const ctx = pass.ctx;
  const pipeline = ctx.pipeline('matmul-backward-input', source, { A_KM: 0 });
  pass.dispatch(
    pipeline,
    ctx.uniform([M, K, N, opts.alpha ?? 1], [3]),
    [dy, w, dx],
    [Math.ceil(K / 64), Math.ceil(M / 64)],
  );
  return dx;
}

/** dW = alpha · dYᵀ·X [N, K] for dY [..., N] and the forward's input x [..., K]. */
export function matmulBackwardWeight(
  pass: Pass,
  dy: Tensor,
  x: Tensor,
  opts: { alpha?: number; out?: Tensor } = {},
): Tensor {
  const N = dy.shape[dy.shape.length - 1];
  const K = x.shape[x.shape.length - 1];
  const M = dy.size / N;
  if (x.size / K !== M) throw new Error(`matmulBackwardWeight: dY [${dy.shape}] and x [${x.shape}] disagree on rows`);
  const dw = opts.out ?? pass.tmp([N, K]);
  const ctx = pass.ctx;
  const pipeline = ctx.pipeline('matmul-backward-weight', source, { A_KM: 1 });
  pass.dispatch(
    pipeline,
    ctx.uniform([N, K, M, opts.alpha ?? 1], [3]),
    [dy, x, dw],
    [Math.ceil(K / 64), Math.ceil(N / 64)],
  );
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
