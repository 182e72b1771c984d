import { zerosLike, type Floats } from '../floats.ts';

/** CPU oracle for the ViT stem: [cls; conv(pixels) patches row-major] + positions -> [B, 1+G², D] (the type of `w`). */
export function patchEmbedRef<A extends Floats>(
  pixels: ArrayLike<number>,
  w: A,
  cls: ArrayLike<number>,
  pos: ArrayLike<number>,
  B: number,
  C: number,
  S: number,
  P: number,
  D: number,
): A {
  const G = Math.floor(S / P);
  const T = 1 + G * G;
  const y = zerosLike(w, B * T * D);
  for (let b = 0; b < B; b++) {
    for (let d = 0; d < D; d++) y[b * T * D + d] = cls[d] + pos[d];
    for (let t = 1; t < T; t++) {
      const py = Math.floor((t - 1) / G),
        px = (t - 1) % G;
      for (let d = 0; d < D; d++) {
        let acc = 0;
        for (let c = 0; c < C; c++)
          for (let ky = 0; ky < P; ky++)
            for (let kx = 0; kx < P; kx++)
              acc += pixels[((b * C + c) * S + py * P + ky) * S + px * P + kx] * w[((d * C + c) * P + ky) * P + kx];
        y[(b * T + t) * D + d] = acc + pos[t * D + d];
      }
    }
  }
  return y;
}

/**
 * Patch-embed backward from dY [B, 1+G², D] (the conv has stride = kernel, so each pixel feeds one patch):
 *   dW[d, c, ky, kx] = Σ_b Σ_patch dY[b, 1+patch, d] · pixels[b, c, py·P+ky, px·P+kx]
 *   dcls = Σ_b dY[b, 0]    dpos[t] = Σ_b dY[b, t]
 */
export function patchEmbedBackwardRef(
  pixels: ArrayLike<number>,
  dy: ArrayLike<number>,
  B: number,
  C: number,
  S: number,
  P: number,
  D: number,
): { dw: Float64Array; dcls: Float64Array; dpos: Float64Array } {
  const G = Math.floor(S / P);
  const T = 1 + G * G;
  const dw = new Float64Array(D * C * P * P);
  const dpos = new Float64Array(T * D);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < T * D; i++) dpos[i] += dy[b * T * D + i];
    for (let t = 1; t < T; t++) {
      const py = Math.floor((t - 1) / G),
        px = (t - 1) % G;
      for (let d = 0; d < D; d++) {
        const g = dy[(b * T + t) * D + d];
        for (let c = 0; c < C; c++)
          for (let ky = 0; ky < P; ky++)
            for (let kx = 0; kx < P; kx++)
              dw[((d * C + c) * P + ky) * P + kx] += g * pixels[((b * C + c) * S + py * P + ky) * S + px * P + kx];
      }
    }
  }
  return { dw, dcls: dpos.slice(0, D), dpos };
}
