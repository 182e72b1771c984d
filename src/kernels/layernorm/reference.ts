import { zerosLike, type Floats } from '../floats.ts';

/** CPU oracle for LayerNorm over rows of length D (float64 statistics). */
export function layernormRef<T extends Floats>(
  x: T,
  gamma: ArrayLike<number>,
  beta: ArrayLike<number>,
  D: number,
  eps: number,
): T {
  const y = zerosLike(x, x.length);
  for (let base = 0; base < x.length; base += D) {
    let mean = 0;
    for (let i = 0; i < D; i++) mean += x[base + i];
    mean /= D;
    let v = 0;
    for (let i = 0; i < D; i++) v += (x[base + i] - mean) ** 2;
    const rstd = 1 / Math.sqrt(v / D + eps);
    for (let i = 0; i < D; i++) y[base + i] = (x[base + i] - mean) * rstd * gamma[i] + beta[i];
  }
  return y;
}

/**
 * LayerNorm backward over rows of length D: with x̂ = (x − mean)·rstd and g = dy·γ,
 *   dx = rstd · (g − mean(g) − x̂ · mean(g·x̂)),  dγ = Σ_rows dy·x̂,  dβ = Σ_rows dy.
 */
export function layernormBackwardRef(
  x: ArrayLike<number>,
  gamma: ArrayLike<number>,
  dy: ArrayLike<number>,
  D: number,
  eps: number,
): { dx: Float64Array; dgamma: Float64Array; dbeta: Float64Array } {
  const dx = new Float64Array(x.length);
  const dgamma = new Float64Array(D);
  const dbeta = new Float64Array(D);
  const xhat = new Float64Array(D);
  for (let base = 0; base < x.length; base += D) {
    let mean = 0;
    for (let i = 0; i < D; i++) mean += x[base + i];
    mean /= D;
    let v = 0;
    for (let i = 0; i < D; i++) v += (x[base + i] - mean) ** 2;
    const rstd = 1 / Math.sqrt(v / D + eps);
    let sg = 0,
      sgx = 0;
    for (let i = 0; i < D; i++) {
      xhat[i] = (x[base + i] - mean) * rstd;
      const g = dy[base + i] * gamma[i];
      sg += g;
      sgx += g * xhat[i];
      dgamma[i] += dy[base + i] * xhat[i];
      dbeta[i] += dy[base + i];
    }
    for (let i = 0; i < D; i++) dx[base + i] = rstd * (dy[base + i] * gamma[i] - sg / D - xhat[i] * (sgx / D));
  }
  return { dx, dgamma, dbeta };
}
