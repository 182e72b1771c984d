/**
 * Every trainable GPU tensor of a loaded model with its gradient and AdamW moments (one each per
 * parameter tensor, q/k/v packed as the weights are), and the decay/clamp rule of each.
 */
import type { GpuContext, Pass, Tensor } from '../../kernels/runtime.ts';
import { accumulate } from '../../kernels/accumulate/accumulate.ts';
import { ClipError } from '../../errors.ts';
import type { ClipWeights, LayerWeights } from '../weights.ts';
import { isDecayed, LOGIT_SCALE_MAX } from './decay.ts';

export interface TrainableParam {
  /** HF name (for packed q/k/v: `...self_attn.qkv.weight|bias`). */
  name: string;
  param: Tensor;
  grad: Tensor;
  m: Tensor;
  v: Tensor;
  decay: boolean;
  clampMax?: number;
}

export class TrainableParams {
  readonly list: TrainableParam[] = [];
  private readonly byTensor = new Map<Tensor, TrainableParam>();
  readonly logitScale: Tensor;

  constructor(
    private readonly ctx: GpuContext,
    readonly weights: ClipWeights,
  ) {
    const { vision: v, text: t } = weights;
    if (!t.tokens) {
      throw new ClipError(
        'input',
        'Training needs the token embedding table on the GPU (this adapter cannot bind it): use an adapter with larger buffers.',
      );
    }
    const logit = weights.slices.get('logit_scale');
    if (!logit) throw new ClipError('weights', 'The model has no logit_scale tensor to train.');
    this.logitScale = logit.tensor;
    const add = (name: string, param: Tensor, clampMax?: number) =>
      this.add({ name, param, decay: isDecayed(name, param.shape), clampMax });
    const layers = (prefix: string, ls: LayerWeights[]) =>
      ls.forEach((l, i) => {
        const p = `${prefix}.encoder.layers.${i}`;
        add(`${p}.layer_norm1.weight`, l.ln1.w);
        add(`${p}.layer_norm1.bias`, l.ln1.b);
        add(`${p}.self_attn.qkv.weight`, l.qkv.w);
        add(`${p}.self_attn.qkv.bias`, l.qkv.b!);
        add(`${p}.self_attn.out_proj.weight`, l.out.w);
        add(`${p}.self_attn.out_proj.bias`, l.out.b!);
        add(`${p}.layer_norm2.weight`, l.ln2.w);
        add(`${p}.layer_norm2.bias`, l.ln2.b);
        add(`${p}.mlp.fc1.weight`, l.fc1.w);
        add(`${p}.mlp.fc1.bias`, l.fc1.b!);
        add(`${p}.mlp.fc2.weight`, l.fc2.w);
        add(`${p}.mlp.fc2.bias`, l.fc2.b!);
      });
    add('vision_model.embeddings.patch_embedding.weight', v.patch);
    add('vision_model.embeddings.class_embedding', v.cls);
    add('vision_model.embeddings.position_embedding.weight', v.pos);
    add('vision_model.pre_layrnorm.weight', v.preLn.w);
    add('vision_model.pre_layrnorm.bias', v.preLn.b);
    layers('vision_model', v.layers);
    add('vision_model.post_layernorm.weight', v.postLn.w);
    add('vision_model.post_layernorm.bias', v.postLn.b);
    add('visual_projection.weight', v.proj);
    add('text_model.embeddings.token_embedding.weight', t.tokens);
    add('text_model.embeddings.position_embedding.weight', t.pos);
    layers('text_model', t.layers);
    add('text_model.final_layer_norm.weight', t.finalLn.w);
    add('text_model.final_layer_norm.bias', t.finalLn.b);
    add('text_projection.weight', t.proj);
    add('logit_scale', this.logitScale, LOGIT_SCALE_MAX);
  }

  private add(p: Omit<TrainableParam, 'grad' | 'm' | 'v'>): void {
    // New buffers are zero-filled (WebGPU), as gradients and moments start.
    const zeros = (what: string) => this.ctx.tensor(p.param.shape, undefined, 'f32', `${what} ${p.name}`);
    const full: TrainableParam = { ...p, grad: zeros('grad'), m: zeros('adam m'), v: zeros('adam v') };
    this.list.push(full);
    this.byTensor.set(p.param, full);
  }

  /** The gradient tensor of a parameter tensor. */
  gradOf(param: Tensor): Tensor {
    const p = this.byTensor.get(param);
    if (!p) throw new Error(`no gradient for [${param.shape}]`);
    return p.grad;
  }

  /** grad(param) += src (a temporary, freed afterwards). */
  accumulate(pass: Pass, param: Tensor, src: Tensor): void {
    accumulate(pass, this.gradOf(param), src);
    pass.free(src);
  }

  /** Where an HF tensor's values (and so its gradient's) live: the packed tensor and the offset in it. */
  locate(name: string): { p: TrainableParam; offset: number; size: number } {
    const s = this.weights.slices.get(name);
    const p = s && this.byTensor.get(s.tensor);
    if (!s || !p) throw new ClipError('input', `No trainable tensor named ${name}.`);
    return { p, offset: s.offset, size: s.size };
  }

  /** Bytes of gradients and moments (3 per parameter value). */
  get bytes(): number {
    return this.list.reduce((s, p) => s + 3 * p.param.byteLength, 0);
  }

  dispose(): void {
    for (const p of this.list) [p.grad, p.m, p.v].forEach((t) => this.ctx.release(t));
    this.list.length = 0;
    this.byTensor.clear();
  }
}
