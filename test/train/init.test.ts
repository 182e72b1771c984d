/** CLIP's init for training from scratch: a rule for every tensor of every preset, open_clip's values. */
import { describe, it, expect } from 'vitest';
import { clipPreset, expectedClipTensors } from '../../src/model/config.ts';
import { clipInit, LOGIT_SCALE_INIT } from '../../src/model/train/init.ts';

describe('clipInit', () => {
  for (const preset of ['tiny', 'ViT-B/32', 'ViT-L/14'] as const)
    it(`has a rule for every tensor of ${preset}`, () => {
      const cfg = clipPreset(preset);
      for (const { name } of expectedClipTensors(cfg)) {
        const r = clipInit(name, cfg);
        expect(Number.isFinite(r.mean) && r.std >= 0, name).toBe(true);
      }
    });

  it("open_clip's values on ViT-B/32 (text width 512, 12 layers)", () => {
    const cfg = clipPreset('ViT-B/32');
    const t = 'text_model.encoder.layers.0';
    expect(clipInit('logit_scale', cfg)).toEqual({ mean: 2.6592, std: 0 }); // HF's logit_scale_init_value
    expect(LOGIT_SCALE_INIT).toBeCloseTo(2.6592, 3); // = ln(1/0.07), open_clip's
    // A config's own logit_scale_init_value is where the scale starts, as in HF's CLIPModel.
    expect(clipInit('logit_scale', { ...cfg, logitScaleInit: Math.log(100) }).mean).toBe(Math.log(100));
    expect(clipInit('text_model.embeddings.token_embedding.weight', cfg).std).toBe(0.02);
    expect(clipInit('text_model.embeddings.position_embedding.weight', cfg).std).toBe(0.01);
    expect(clipInit(`${t}.self_attn.q_proj.weight`, cfg).std).toBeCloseTo(512 ** -0.5, 12);
    expect(clipInit(`${t}.self_attn.out_proj.weight`, cfg).std).toBeCloseTo(512 ** -0.5 * 24 ** -0.5, 12);
    expect(clipInit(`${t}.mlp.fc1.weight`, cfg).std).toBeCloseTo(1024 ** -0.5, 12);
    expect(clipInit(`${t}.layer_norm1.weight`, cfg)).toEqual({ mean: 1, std: 0 });
    expect(clipInit(`${t}.mlp.fc2.bias`, cfg)).toEqual({ mean: 0, std: 0 });
    expect(clipInit('vision_model.embeddings.class_embedding', cfg).std).toBeCloseTo(768 ** -0.5, 12);
    expect(clipInit('visual_projection.weight', cfg).std).toBeCloseTo(768 ** -0.5, 12);
  });
});
