import { positionsBackward } from '../embedding/embedding-backward.ts';
import { grid, type Pass, type Tensor } from '../runtime.ts';
import source from './patch-embed-backward.wgsl?raw';

/**
 * Backward of `patchEmbed` given its pixels [B, C, S, S] and dY [B, 1+G², D], accumulated into the
 * gradients: the conv weights w [D, C, P, P], the class embedding cls [D] and the positions pos [1+G², D].
 */
export function patchEmbedBackward(pass: Pass, pixels: Tensor, dy: Tensor, w: Tensor, cls: Tensor, pos: Tensor): void {
  const [B, C, S] = pixels.shape;
  const [D, C2, P] = w.shape;
  const G = Math.floor(S / P);
  if (C2 !== C || dy.size !== B * (1 + G * G) * D)
    throw new Error(`patchEmbedBackward: pixels [${pixels.shape}], w [${w.shape}], dY [${dy.shape}]`);
  const ctx = pass.ctx;
  pass.dispatch(
    ctx.pipeline('patch-embed-backward', source),
    ctx.uniform([B, C, S, P, D, G]),
    [pixels, dy, w],
    grid(Math.ceil((D * C * P * P) / 256)),
  );
  const dy3 = dy.view([B, 1 + G * G, D]);
  positionsBackward(pass, dy3, pos);
  positionsBackward(pass, dy3, cls, 1);
}
