/**
 * One contrastive training step on the GPU, recorded into passes: both towers forward with kept
 * activations, CLIP's loss, the backward into every parameter's gradient, and AdamW.
 *
 * Micro-batches (`accumFreq` > 1, open_clip's --accum-freq): the loss couples every pair of the
 * batch, so the gradient of the full batch is computed exactly, as open_clip does: first each
 * micro-batch's embeddings, then the loss over all of them and its gradient dEmbeds (B × proj, via
 * the CPU: a few kilobytes), then each micro-batch again, forward and backward from its rows of
 * dEmbeds, its gradients accumulated. Memory holds one micro-batch's activations.
 */
import { l2norm, matmul } from '../../kernels/index.ts';
import { accumulate } from '../../kernels/accumulate/accumulate.ts';
import { adamw, adamwHyper } from '../../kernels/adamw/adamw.ts';
import { contrastiveLoss } from '../../kernels/contrastive-loss/contrastive-loss.ts';
import { tokenSegments } from '../../kernels/embedding/embedding-backward.ts';
import { gradNorm } from '../../kernels/grad-norm/grad-norm.ts';
import { l2normBackward } from '../../kernels/l2norm/l2norm-backward.ts';
import { matmulBackwardInput, matmulBackwardWeight } from '../../kernels/matmul/matmul-backward.ts';
import type { GpuContext, Pass, Tensor } from '../../kernels/runtime.ts';
import { ClipError } from '../../errors.ts';
import type { ClipConfig } from '../config.ts';
import { batchTextLength, poolingIndex } from '../text.ts';
import type { ClipWeights } from '../weights.ts';
import type { TrainableParams } from './grads.ts';
import { textBackward, textForwardKeep, visionBackward, visionForwardKeep } from './towers.ts';

export interface TrainBatch {
  /** [B, 3, S, S] normalized pixels, image i paired with caption i. */
  pixels: Float32Array;
  /** B rows of token ids (77 each, as the tokenizer gives them). */
  ids: readonly ArrayLike<number>[];
}

export interface OptimizerHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Clip the gradients to this global L2 norm first. */
  gradClipNorm?: number;
}

/** A micro-batch as the GPU passes take it. */
interface Inputs {
  B: number;
  pixels: Float32Array;
  ids: Uint32Array;
  T: number;
  pool: Uint32Array;
  segments: Uint32Array;
}

function inputs(batch: TrainBatch, cfg: ClipConfig, from: number, to: number): Inputs {
  const S = cfg.vision.imageSize;
  const per = 3 * S * S;
  const rows = batch.ids.slice(from, to);
  const T = batchTextLength(rows, cfg.text.eosTokenId);
  const ids = new Uint32Array(rows.length * T);
  rows.forEach((r, b) => ids.set(Array.from(r).slice(0, T), b * T));
  return {
    B: rows.length,
    pixels: batch.pixels.subarray(from * per, to * per),
    ids,
    T,
    pool: Uint32Array.from(rows, (r) => poolingIndex(r, cfg.text.eosTokenId)),
    segments: tokenSegments(ids),
  };
}

export function checkBatch(batch: TrainBatch, cfg: ClipConfig): void {
  const B = batch.ids.length;
  const S = cfg.vision.imageSize;
  if (B < 2) throw new ClipError('input', `A contrastive batch needs at least 2 image-caption pairs, got ${B}.`);
  if (batch.pixels.length !== B * 3 * S * S) {
    throw new ClipError(
      'input',
      `The batch has ${B} captions but ${batch.pixels.length / (3 * S * S)} images of [3, ${S}, ${S}].`,
    );
  }
  batch.ids.forEach((row, b) => {
    if (row.length > cfg.text.maxPositions)
      throw new ClipError('input', `Caption ${b} has ${row.length} tokens; the model takes ${cfg.text.maxPositions}.`);
    for (let i = 0; i < row.length; i++) {
      if (!(row[i] >= 0 && row[i] < cfg.text.vocabSize))
        throw new ClipError(
          'input',
          `Caption ${b}: token id ${row[i]} is outside the vocabulary (${cfg.text.vocabSize}).`,
        );
    }
  });
}

interface Upload {
  pixels: Tensor;
  ids: Tensor;
  pool: Tensor;
  zeros: Tensor;
  segments: Tensor;
}

function upload(pass: Pass, x: Inputs, cfg: ClipConfig): Upload {
  const S = cfg.vision.imageSize;
  return {
    pixels: pass.input([x.B, 3, S, S], x.pixels),
    ids: pass.input([x.B, x.T], x.ids),
    pool: pass.input([x.B], x.pool),
    zeros: pass.input([x.B], new Uint32Array(x.B)),
    segments: pass.input([x.segments.length], x.segments),
  };
}

/** CLIP's loss on the embeddings [B, proj] and its gradients; the logit scale's is accumulated. */
function contrastiveHead(pass: Pass, img: Tensor, txt: Tensor, params: TrainableParams) {
  const imgU = l2norm(pass, img);
  const txtU = l2norm(pass, txt);
  const S = matmul(pass, imgU, txtU, null); // [B, B] cosines
  const cl = contrastiveLoss(pass, S, params.logitScale);
  accumulate(pass, params.gradOf(params.logitScale), cl.lossAndDScale, { n: 1, srcOffset: 1 });
  const dImg = l2normBackward(pass, img, matmulBackwardInput(pass, cl.dS, txtU));
  const dTxt = l2normBackward(pass, txt, matmulBackwardWeight(pass, cl.dS, imgU));
  return { lossAndDScale: cl.lossAndDScale, logits: cl.logits, dImg, dTxt };
}

export interface GradientResult {
  loss: number;
  /** [B, B] row-major, before the step. */
  logitsPerImage: Float32Array;
}

/** Forward and backward of one batch: every parameter's gradient accumulated into `params`. */
export async function computeGradients(
  ctx: GpuContext,
  cfg: ClipConfig,
  w: ClipWeights,
  params: TrainableParams,
  batch: TrainBatch,
  accumFreq = 1,
): Promise<GradientResult> {
  checkBatch(batch, cfg);
  const B = batch.ids.length;
  const k = Math.min(Math.max(1, Math.floor(accumFreq)), B);
  const bounds = Array.from({ length: k + 1 }, (_, i) => Math.round((i * B) / k));
  const micro = bounds.slice(0, -1).map((from, i) => inputs(batch, cfg, from, bounds[i + 1]));

  const forwardBackward = (pass: Pass, x: Inputs, grad?: { dImg: Tensor; dTxt: Tensor }) => {
    const u = upload(pass, x, cfg);
    const v = visionForwardKeep(pass, u.pixels, w.vision, cfg.vision, u.zeros);
    const t = textForwardKeep(pass, u.ids, u.pool, w.text, cfg.text);
    const g = grad ?? contrastiveHead(pass, v.embeds, t.embeds, params);
    visionBackward(pass, g.dImg, v.kept, w.vision, cfg.vision, u.zeros, params);
    textBackward(pass, g.dTxt, t.kept, w.text, cfg.text, u.pool, u.segments, params);
    return g;
  };

  if (k === 1) {
    const pass = ctx.pass();
    const head = forwardBackward(pass, micro[0]) as ReturnType<typeof contrastiveHead>;
    const [out, logits] = await pass.run([head.lossAndDScale, head.logits]);
    return { loss: out[0], logitsPerImage: logits };
  }

  // 1. every micro-batch's embeddings (the same forward as below, activations dropped)
  const P = cfg.projectionDim;
  const img = new Float32Array(B * P),
    txt = new Float32Array(B * P);
  for (let i = 0; i < k; i++) {
    const pass = ctx.pass();
    const u = upload(pass, micro[i], cfg);
    const v = visionForwardKeep(pass, u.pixels, w.vision, cfg.vision, u.zeros);
    const t = textForwardKeep(pass, u.ids, u.pool, w.text, cfg.text);
    const [vi, ti] = await pass.run([v.embeds, t.embeds]);
    img.set(vi, bounds[i] * P);
    txt.set(ti, bounds[i] * P);
  }
  // 2. the loss over the whole batch and dEmbeds
  const pass = ctx.pass();
  const head = contrastiveHead(pass, pass.input([B, P], img), pass.input([B, P], txt), params);
  const [out, logits, dImg, dTxt] = await pass.run([head.lossAndDScale, head.logits, head.dImg, head.dTxt]);
  // 3. each micro-batch's backward from its rows
  for (let i = 0; i < k; i++) {
    const p = ctx.pass();
    const rows = (a: Float32Array) => p.input([micro[i].B, P], a.subarray(bounds[i] * P, bounds[i + 1] * P));
    forwardBackward(p, micro[i], { dImg: rows(dImg), dTxt: rows(dTxt) });
    await p.run();
  }
  return { loss: out[0], logitsPerImage: logits };
}

export interface OptimizerResult {
  /** The global gradient norm before clipping. */
  gradNorm: number;
  /** The raw logit scale after the step (clamped at ln 100). */
  logitScale: number;
}

/**
 * One AdamW step over every parameter (gradients zeroed afterwards); `step` is 1-based. Parameters
 * `locked` names stay as they are (lr 0, no decay; open_clip's --lock-text/--lock-image) and leave
 * the gradient norm.
 */
export async function applyGradients(
  ctx: GpuContext,
  params: TrainableParams,
  hyper: OptimizerHyper,
  step: number,
  locked: (name: string) => boolean = () => false,
): Promise<OptimizerResult> {
  const pass = ctx.pass();
  const norm = gradNorm(
    pass,
    params.list.filter((p) => !locked(p.name)).map((p) => p.grad),
    hyper.gradClipNorm,
  );
  const h = pass.input([7], adamwHyper({ ...hyper, step }));
  const frozen = params.list.some((p) => locked(p.name))
    ? pass.input([7], adamwHyper({ ...hyper, lr: 0, weightDecay: 0, step }))
    : h;
  for (const p of params.list)
    adamw(pass, p, locked(p.name) ? frozen : h, norm, { decay: p.decay, clampMax: p.clampMax });
  const [n, scale] = await pass.run([norm, params.logitScale]);
  return { gradNorm: n[0], logitScale: scale[0] };
}
