/**
 * Text tower (HF CLIPTextTransformer + text_projection):
 * ids [B, T <= 77] -> token embedding + positions -> causal encoder -> final_layer_norm
 * -> the token at each sequence's pooling position [B, D] -> text_projection [B, proj].
 */
import { embedding, gatherRows, layernorm, matmul } from '../kernels/index.ts';
import { embeddingRef } from '../kernels/embedding/reference.ts';
import type { Pass, Tensor } from '../kernels/runtime.ts';
import type { ClipTextConfig } from './config.ts';
import { encoder, traceHooks, type LayerTrace } from './encoder.ts';
import type { TextWeights } from './weights.ts';

/** Everything the tower computes, kept until the pass is run (tests, inspection, training). */
export interface TextTrace extends LayerTrace {
  lastHidden?: Tensor; // [B, T, D] after final_layer_norm
  pooled?: Tensor; // [B, D]
}

/**
 * Pooling position per sequence: HF's legacy rule for eos_token_id == 2 (every openai/* config) is
 * argmax(ids), the first position of the largest id; otherwise the first position of eos.
 */
export function poolingIndex(ids: ArrayLike<number>, eosTokenId: number): number {
  let best = 0;
  for (let i = 0; i < ids.length; i++) {
    if (eosTokenId === 2 ? ids[i] > ids[best] : ids[i] === eosTokenId) {
      best = i;
      if (eosTokenId !== 2) break;
    }
  }
  return best;
}

/**
 * Positions a batch of token rows needs: up to its longest prompt's pooling position. The mask is
 * causal, so later positions cannot reach a pooled token (what the text tower runs, and what the
 * benchmark's peer is given).
 */
export function batchTextLength(ids: readonly ArrayLike<number>[], eosTokenId: number): number {
  return Math.max(...ids.map((row) => poolingIndex(row, eosTokenId) + 1));
}

export function textTower(
  pass: Pass,
  ids: Tensor,
  idsCpu: Uint32Array,
  poolIndex: Tensor,
  w: TextWeights,
  cfg: ClipTextConfig,
  trace?: TextTrace,
): Tensor {
  const [B, T] = ids.shape;
  const D = cfg.hiddenSize;
  // [B, T, D] = hidden_states[0]. A token table larger than the adapter can bind (L/14 on a
  // 128 MiB-binding adapter) is gathered on the CPU by the kernel's own reference instead.
  const x0 = w.tokens
    ? embedding(pass, ids, w.tokens, w.pos)
    : pass.input([B, T, D], embeddingRef(idsCpu, w.tokensCpu!, w.posCpu!, B, T, D));
  const last = encoder(pass, x0, w.layers, {
    heads: cfg.numHeads,
    eps: cfg.layerNormEps,
    act: cfg.hiddenAct,
    causal: true,
    hooks: trace && traceHooks(trace),
  });
  if (trace) trace.hiddenStates!.push(last);
  const normed = layernorm(pass, last, w.finalLn.w, w.finalLn.b, cfg.layerNormEps); // [B, T, D]
  const pooled = gatherRows(pass, normed, poolIndex); // [B, D]
  const embeds = matmul(pass, pooled, w.proj, null); // [B, proj]
  if (trace) {
    trace.lastHidden = normed;
    trace.pooled = pooled;
  } else pass.free(last, normed, pooled);
  return embeds;
}
