import { grid, type Pass, type Tensor } from '../runtime.ts';
import source from './patch-embed.wgsl?raw';

/**
 * pixels [B, C, S, S], W [D, C, P, P], cls [D], pos [1 + (S/P)², D] -> embeddings [B, 1 + (S/P)², D].
 */
export function patchEmbed(pass: Pass, pixels: Tensor, w: Tensor, cls: Tensor, pos: Tensor): Tensor {
  const [B, C, S] = pixels.shape;
  const [D, Cw, P] = w.shape;
  const G = Math.floor(S / P);
  if (C !== Cw) throw new Error(`patchEmbed: ${C} channels, weights for ${Cw}`);
  if (pos.size !== (1 + G * G) * D) throw new Error(`patchEmbed: positions [${pos.shape}] for ${G}x${G} patches`);
  const T = 1 + G * G;
  const y = pass.tmp([B, T, D]);
  const ctx = pass.ctx;
  pass.dispatch(ctx.pipeline('patch-embed', source), ctx.uniform([B, C, S, P, G, D]), [pixels, w, cls, pos, y], grid(Math.ceil((B * T * D) / 256)));
  return y;
}
