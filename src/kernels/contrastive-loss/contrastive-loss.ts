import type { Pass, Tensor } from '../runtime.ts';
import source from './contrastive-loss.wgsl?raw';

export interface ContrastiveLoss {
  /** [2]: the loss and its gradient in the raw logit scale s. */
  lossAndDScale: Tensor;
  /** [B, B] e^s · S (logits_per_image). */
  logits: Tensor;
  /** [B, B] dLoss/dS. */
  dS: Tensor;
}

/**
 * CLIP's symmetric contrastive loss on the cosine matrix S [B, B] (image i belongs with text i) with
 * logits = e^s·S, s = `logitScale` [1] on the GPU; forward and backward in one dispatch.
 */
export function contrastiveLoss(pass: Pass, S: Tensor, logitScale: Tensor): ContrastiveLoss {
  const [B, B2] = S.shape;
  if (S.shape.length !== 2 || B !== B2) throw new Error(`contrastiveLoss: S [${S.shape}] is not square`);
  const logits = pass.tmp([B, B]);
  const dS = pass.tmp([B, B]);
  const lse = pass.tmp([2 * B, 2]);
  const lossAndDScale = pass.tmp([2]);
  const ctx = pass.ctx;
  pass.dispatch(
    ctx.pipeline('contrastive-loss', source),
    ctx.uniform([B]),
    [S, logitScale, logits, dS, lse, lossAndDScale],
    [1],
  );
  pass.free(lse);
  return { lossAndDScale, logits, dS };
}
