/**
 * Which tensors AdamW decays (CLIP / open_clip): every tensor with 2 or more dims except the
 * embedding tables (token, position; the class embedding is 1-D anyway). Biases, LayerNorm gains and
 * biases and the logit scale are not decayed. The logit scale is clamped at ln 100 after each step.
 */
export function isDecayed(name: string, shape: readonly number[]): boolean {
  return shape.length >= 2 && !/(token_embedding|position_embedding)\.weight$|class_embedding$/.test(name);
}

export const LOGIT_SCALE_MAX = Math.log(100);
