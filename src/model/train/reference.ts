/**
 * CPU oracle (float64) of one contrastive training step on the whole CLIP, from the kernels' oracles:
 * both towers forward with their activations kept, CLIP's symmetric loss, the backward of every op
 * into every parameter, and AdamW. Slow: tests run it on the tiny model to check our understanding of
 * the step (against ../shared's golden_train.json) and the GPU trainer against it.
 * Parameters are HF CLIPModel tensors by name (`expectedClipTensors` gives their shapes).
 */
import { adamwRef, type AdamwHyper } from '../../kernels/adamw/reference.ts';
import { contrastiveLossRef } from '../../kernels/contrastive-loss/reference.ts';
import { embeddingBackwardRef, embeddingRef } from '../../kernels/embedding/reference.ts';
import { gatherRowsBackwardRef, gatherRowsRef } from '../../kernels/gather-rows/reference.ts';
import { l2normBackwardRef, l2normRef } from '../../kernels/l2norm/reference.ts';
import { layernormBackwardRef, layernormRef } from '../../kernels/layernorm/reference.ts';
import { matmulBackwardInputRef, matmulBackwardWeightRef, matmulRef } from '../../kernels/matmul/reference.ts';
import { patchEmbedBackwardRef, patchEmbedRef } from '../../kernels/patch-embed/reference.ts';
import { clipCoefficientRef, globalGradNormRef } from '../../kernels/grad-norm/reference.ts';
import { expectedClipTensors, type ClipConfig } from '../config.ts';
import { batchTextLength, poolingIndex } from '../text.ts';
import { isDecayed, LOGIT_SCALE_MAX } from './decay.ts';
import {
  layerBackwardRef,
  layerForwardRef,
  noProbe,
  type Probe,
  type LayerParamsRef,
  type LayerSavedRef,
  type LayerShape,
} from './reference-layer.ts';

type F = Float64Array;
/** HF tensor name -> values (float64). */
export type ParamsRef = Map<string, F>;

export interface BatchRef {
  /** [B, 3, S, S] normalized pixels. */
  pixels: ArrayLike<number>;
  /** B rows of token ids (77 or fewer each, equal lengths). */
  ids: readonly ArrayLike<number>[];
}

export interface LossAndGradsRef {
  loss: number;
  /** [B, B] row-major. */
  logitsPerImage: F;
  /** Every parameter's gradient, by HF name (the token table's in full: zero outside the batch's ids). */
  grads: ParamsRef;
}

const LAYER_PARTS: [keyof LayerParamsRef, string][] = [
  ['ln1w', 'layer_norm1.weight'],
  ['ln1b', 'layer_norm1.bias'],
  ['outw', 'self_attn.out_proj.weight'],
  ['outb', 'self_attn.out_proj.bias'],
  ['ln2w', 'layer_norm2.weight'],
  ['ln2b', 'layer_norm2.bias'],
  ['fc1w', 'mlp.fc1.weight'],
  ['fc1b', 'mlp.fc1.bias'],
  ['fc2w', 'mlp.fc2.weight'],
  ['fc2b', 'mlp.fc2.bias'],
];
const QKV = ['q', 'k', 'v'];

function get(p: ParamsRef, name: string): F {
  const v = p.get(name);
  if (!v) throw new Error(`trainRef: no parameter ${name}`);
  return v;
}

function layerParams(p: ParamsRef, prefix: string): LayerParamsRef {
  const out = {} as LayerParamsRef;
  for (const [key, part] of LAYER_PARTS) out[key] = get(p, `${prefix}.${part}`);
  const cat = (suffix: string) => {
    const parts = QKV.map((x) => get(p, `${prefix}.self_attn.${x}_proj.${suffix}`));
    const all = new Float64Array(parts.reduce((s, a) => s + a.length, 0));
    let off = 0;
    for (const a of parts) {
      all.set(a, off);
      off += a.length;
    }
    return all;
  };
  out.qkvw = cat('weight');
  out.qkvb = cat('bias');
  return out;
}

function setLayerGrads(g: ParamsRef, prefix: string, lg: LayerParamsRef): void {
  for (const [key, part] of LAYER_PARTS) g.set(`${prefix}.${part}`, lg[key]);
  for (const [suffix, all] of [
    ['weight', lg.qkvw],
    ['bias', lg.qkvb],
  ] as const) {
    const n = all.length / 3;
    QKV.forEach((x, i) => g.set(`${prefix}.self_attn.${x}_proj.${suffix}`, all.slice(i * n, (i + 1) * n)));
  }
}

function encoderForward(
  p: ParamsRef,
  prefix: string,
  layers: number,
  x: F,
  s: LayerShape,
  probe: Probe,
): { y: F; saved: LayerSavedRef[] } {
  const saved: LayerSavedRef[] = [];
  for (let i = 0; i < layers; i++) {
    const lp = `${prefix}.encoder.layers.${i}`;
    const r = layerForwardRef(x, layerParams(p, lp), s, (name, a) => probe(`${lp}.${name}`, a));
    saved.push(r.saved);
    x = r.y;
  }
  return { y: x, saved };
}

function encoderBackward(
  p: ParamsRef,
  g: ParamsRef,
  prefix: string,
  dy: F,
  saved: LayerSavedRef[],
  s: LayerShape,
  probe: Probe,
): F {
  for (let i = saved.length - 1; i >= 0; i--) {
    const lp = `${prefix}.encoder.layers.${i}`;
    const r = layerBackwardRef(dy, saved[i], layerParams(p, lp), s, (name, a) => probe(`${lp}.${name}`, a));
    setLayerGrads(g, lp, r.grads);
    dy = r.dx;
  }
  return dy;
}

/**
 * Loss, logits and every gradient of CLIP's contrastive loss on one batch (image i belongs with text i).
 * `probe` sees intermediates by name and may perturb them: each layer's (`text_model.encoder.layers.0.h`, …)
 * and the vision tower's `emb`, `dx0` and `dEmb` (what the patch-embedding gradient sums).
 */
export function lossAndGradsRef(p: ParamsRef, cfg: ClipConfig, batch: BatchRef, probe = noProbe): LossAndGradsRef {
  const { vision: vc, text: tc } = cfg;
  const B = batch.ids.length;
  const P = cfg.projectionDim;
  const grads: ParamsRef = new Map();

  // ---- vision forward -------------------------------------------------------------------------
  const Dv = vc.hiddenSize;
  const G = Math.floor(vc.imageSize / vc.patchSize);
  const Tv = 1 + G * G;
  const vs: LayerShape = {
    B,
    T: Tv,
    D: Dv,
    M: vc.intermediateSize,
    heads: vc.numHeads,
    eps: vc.layerNormEps,
    act: vc.hiddenAct,
    causal: false,
  };
  const emb = probe(
    'emb',
    patchEmbedRef(
      batch.pixels,
      get(p, 'vision_model.embeddings.patch_embedding.weight'),
      get(p, 'vision_model.embeddings.class_embedding'),
      get(p, 'vision_model.embeddings.position_embedding.weight'),
      B,
      vc.numChannels,
      vc.imageSize,
      vc.patchSize,
      Dv,
    ),
  );
  const preW = get(p, 'vision_model.pre_layrnorm.weight');
  const x0 = layernormRef(emb, preW, get(p, 'vision_model.pre_layrnorm.bias'), Dv, vc.layerNormEps);
  const venc = encoderForward(p, 'vision_model', vc.numLayers, x0, vs, probe);
  const zeros = new Array<number>(B).fill(0);
  const cls = gatherRowsRef(venc.y, zeros, B, Tv, Dv);
  const postW = get(p, 'vision_model.post_layernorm.weight');
  const vPooled = layernormRef(cls, postW, get(p, 'vision_model.post_layernorm.bias'), Dv, vc.layerNormEps);
  const vProj = get(p, 'visual_projection.weight');
  const img = matmulRef(vPooled, vProj, null, B, P, Dv);

  // ---- text forward ---------------------------------------------------------------------------
  const Dt = tc.hiddenSize;
  const Tt = batchTextLength(batch.ids, tc.eosTokenId); // the causal mask: later positions cannot matter
  const ids = batch.ids.flatMap((row) => Array.from(row).slice(0, Tt));
  const eot = batch.ids.map((row) => poolingIndex(row, tc.eosTokenId));
  const ts: LayerShape = {
    B,
    T: Tt,
    D: Dt,
    M: tc.intermediateSize,
    heads: tc.numHeads,
    eps: tc.layerNormEps,
    act: tc.hiddenAct,
    causal: true,
  };
  const t0 = embeddingRef(
    ids,
    get(p, 'text_model.embeddings.token_embedding.weight'),
    get(p, 'text_model.embeddings.position_embedding.weight'),
    B,
    Tt,
    Dt,
  );
  const tenc = encoderForward(p, 'text_model', tc.numLayers, t0, ts, probe);
  const eotRows = gatherRowsRef(tenc.y, eot, B, Tt, Dt); // final_layer_norm is per row: gather first
  const finW = get(p, 'text_model.final_layer_norm.weight');
  const tPooled = layernormRef(eotRows, finW, get(p, 'text_model.final_layer_norm.bias'), Dt, tc.layerNormEps);
  const tProj = get(p, 'text_projection.weight');
  const txt = matmulRef(tPooled, tProj, null, B, P, Dt);

  // ---- loss -----------------------------------------------------------------------------------
  const imgU = l2normRef(img, P);
  const txtU = l2normRef(txt, P);
  const S = matmulRef(imgU, txtU, null, B, B, P);
  const logitScale = get(p, 'logit_scale')[0];
  const cl = contrastiveLossRef(S, B, logitScale);
  grads.set('logit_scale', Float64Array.of(cl.dScale));
  const dImg = l2normBackwardRef(img, matmulBackwardInputRef(cl.dS, txtU, B, B, P), P);
  const dTxt = l2normBackwardRef(txt, matmulBackwardWeightRef(cl.dS, imgU, B, B, P), P);

  // ---- vision backward ------------------------------------------------------------------------
  grads.set('visual_projection.weight', matmulBackwardWeightRef(dImg, vPooled, B, P, Dv));
  const post = layernormBackwardRef(cls, postW, matmulBackwardInputRef(dImg, vProj, B, P, Dv), Dv, vc.layerNormEps);
  grads.set('vision_model.post_layernorm.weight', post.dgamma);
  grads.set('vision_model.post_layernorm.bias', post.dbeta);
  const dx0 = encoderBackward(
    p,
    grads,
    'vision_model',
    gatherRowsBackwardRef(post.dx, zeros, B, Tv, Dv),
    venc.saved,
    vs,
    probe,
  );
  const pre = layernormBackwardRef(emb, preW, probe('dx0', dx0), Dv, vc.layerNormEps);
  grads.set('vision_model.pre_layrnorm.weight', pre.dgamma);
  grads.set('vision_model.pre_layrnorm.bias', pre.dbeta);
  const pe = patchEmbedBackwardRef(
    batch.pixels,
    probe('dEmb', pre.dx),
    B,
    vc.numChannels,
    vc.imageSize,
    vc.patchSize,
    Dv,
  );
  grads.set('vision_model.embeddings.patch_embedding.weight', pe.dw);
  grads.set('vision_model.embeddings.class_embedding', pe.dcls);
  grads.set('vision_model.embeddings.position_embedding.weight', pe.dpos);

  // ---- text backward --------------------------------------------------------------------------
  grads.set('text_projection.weight', matmulBackwardWeightRef(dTxt, tPooled, B, P, Dt));
  const fin = layernormBackwardRef(eotRows, finW, matmulBackwardInputRef(dTxt, tProj, B, P, Dt), Dt, tc.layerNormEps);
  grads.set('text_model.final_layer_norm.weight', fin.dgamma);
  grads.set('text_model.final_layer_norm.bias', fin.dbeta);
  const dt0 = encoderBackward(
    p,
    grads,
    'text_model',
    gatherRowsBackwardRef(fin.dx, eot, B, Tt, Dt),
    tenc.saved,
    ts,
    probe,
  );
  const eb = embeddingBackwardRef(ids, dt0, B, Tt, Dt);
  const table = new Float64Array(tc.vocabSize * Dt);
  for (const [id, row] of eb.rows) table.set(row, id * Dt);
  grads.set('text_model.embeddings.token_embedding.weight', table);
  const dpos = new Float64Array(tc.maxPositions * Dt);
  dpos.set(eb.dpos);
  grads.set('text_model.embeddings.position_embedding.weight', dpos);

  return { loss: cl.loss, logitsPerImage: cl.logits, grads };
}

export interface OptimizerRef {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Clip gradients to this global L2 norm first (none when absent). */
  gradClipNorm?: number;
}

/** AdamW's moments per parameter and the step count. */
export interface AdamStateRef {
  step: number;
  m: ParamsRef;
  v: ParamsRef;
}

export function newAdamStateRef(): AdamStateRef {
  return { step: 0, m: new Map(), v: new Map() };
}

/** One AdamW step over every parameter (in place), with the decay mask and the logit-scale clamp. */
export function adamwStepRef(
  p: ParamsRef,
  grads: ParamsRef,
  state: AdamStateRef,
  cfg: ClipConfig,
  o: OptimizerRef,
): void {
  state.step++;
  const gradScale =
    o.gradClipNorm === undefined ? 1 : clipCoefficientRef(globalGradNormRef([...grads.values()]), o.gradClipNorm);
  for (const { name, shape } of expectedClipTensors(cfg)) {
    const x = get(p, name);
    if (!state.m.has(name)) {
      state.m.set(name, new Float64Array(x.length));
      state.v.set(name, new Float64Array(x.length));
    }
    const h: AdamwHyper = {
      lr: o.lr,
      beta1: o.beta1,
      beta2: o.beta2,
      eps: o.eps,
      step: state.step,
      gradScale,
      weightDecay: isDecayed(name, shape) ? o.weightDecay : 0,
      clampMax: name === 'logit_scale' ? LOGIT_SCALE_MAX : undefined,
    };
    adamwRef(x, get(grads, name), state.m.get(name)!, state.v.get(name)!, h);
  }
}
