/**
 * Global gradient norm over every parameter's gradient, and the coefficient
 * torch.nn.utils.clip_grad_norm_ multiplies the gradients by: min(1, maxNorm / (norm + 1e-6)).
 */
export function globalGradNormRef(grads: readonly ArrayLike<number>[]): number {
  let s = 0;
  for (const g of grads) for (let i = 0; i < g.length; i++) s += g[i] * g[i];
  return Math.sqrt(s);
}

export function clipCoefficientRef(norm: number, maxNorm: number): number {
  return Math.min(1, maxNorm / (norm + 1e-6));
}
