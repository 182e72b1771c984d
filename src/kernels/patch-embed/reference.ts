/** CPU oracle for the ViT stem: [cls; conv(pixels) patches row-major] + positions -> [B, 1+G², D]. */
export function patchEmbedRef(
  pixels: Float32Array, w: Float32Array, cls: Float32Array, pos: Float32Array,
  B: number, C: number, S: number, P: number, D: number,
): Float32Array {
  const G = Math.floor(S / P);
  const T = 1 + G * G;
  const y = new Float32Array(B * T * D);
  for (let b = 0; b < B; b++) {
    for (let d = 0; d < D; d++) y[b * T * D + d] = cls[d] + pos[d];
    for (let t = 1; t < T; t++) {
      const py = Math.floor((t - 1) / G), px = (t - 1) % G;
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
