/**
 * Every attention version (on SwiftShader, the versions `versionsOn` names: helpers/gpu.ts) against the CPU reference on CLIP's shapes and odd ones: causal or not,
 * batch 1 and 3, 1 to 197 tokens, head sizes 64 (12 heads, as B/32), 40 and 16 (and sizes a version does
 * not support, which fall back to v1). Same tolerance as the attention tests in forward.test.ts.
 */
import { describe, it, beforeAll, expect } from 'vitest';
import { gpu, rand, expectClose, runOp, TEST_ADAPTERS, versionsOn } from '../helpers/gpu.ts';
import type { AdapterSummary, GpuContext } from '../../src/kernels/runtime.ts';
import {
  attention,
  ATTENTION,
  ATTENTION_VERSIONS,
  type AttentionVersion,
} from '../../src/kernels/attention/attention.ts';
import { ADAPTER_KINDS, supports } from '../../src/kernels/versions.ts';
import { attentionRef } from '../../src/kernels/attention/reference.ts';

const VERSIONS = Object.keys(ATTENTION_VERSIONS) as AttentionVersion[];

/** References are shared by every version and adapter. */
const refs = new Map<string, { qkv: Float32Array; ref: Float32Array }>();
function reference(B: number, T: number, H: number, hd: number, causal: boolean) {
  const key = `${B} ${T} ${H} ${hd} ${causal}`;
  let r = refs.get(key);
  if (!r) {
    const D = H * hd;
    const qkv = rand(B * T * 3 * D, 8 + B + T + hd, 2);
    r = { qkv, ref: attentionRef(qkv, B, T, D, H, causal) };
    refs.set(key, r);
  }
  return r;
}

const anyAdapter: AdapterSummary = {
  description: 'gpu',
  vendor: '',
  architecture: '',
  backend: 'test',
  features: [],
  isCpu: false,
  family: 'gpu',
};
/** Attention's `supports` depends on the head size only. */
const attentionSupports = (version: AttentionVersion, hd: number) =>
  supports(ATTENTION, version, { B: 1, T: 1, heads: 1, hd, causal: false }, anyAdapter);

describe('the per-adapter choice', () => {
  it('is an existing version for every kind of adapter', () => {
    for (const kind of ADAPTER_KINDS) expect(VERSIONS).toContain(ATTENTION.choice[kind]);
  });
});

for (const adapter of TEST_ADAPTERS)
  describe(`on ${adapter}`, () => {
    let ctx: GpuContext;
    beforeAll(async () => {
      ctx = await gpu(adapter);
    });

    it('the per-adapter choice runs', async () => {
      const { qkv, ref } = reference(2, 50, 12, 64, false);
      const got = await runOp(ctx, [[qkv, [2, 50, 3 * 768]]], (pass, t) => attention(pass, t, 12));
      expectClose(got, ref, 2e-6 * 768);
    });

    for (const version of versionsOn(ATTENTION, adapter))
      describe(version, () => {
        const heads = [
          [12, 64],
          [2, 16],
          [3, 40],
          [3, 6],
          [1, 68],
        ] as const;
        for (const [H, hd] of heads)
          for (const T of [1, 7, 50, 77, 197])
            for (const B of [1, 3])
              for (const causal of [false, true]) {
                // Head sizes outside the version's range (6, 68 for the vec4 versions) fall back to v1: a few shapes suffice.
                if (!attentionSupports(version, hd) && (B !== 3 || T === 197)) continue;
                const D = H * hd;
                it(`B=${B} T=${T} heads=${H} hd=${hd}${causal ? ' causal' : ''}${attentionSupports(version, hd) ? '' : ' (falls back to v1)'}`, async () => {
                  const { qkv, ref } = reference(B, T, H, hd, causal);
                  const got = await runOp(ctx, [[qkv, [B, T, 3 * D]]], (pass, t) =>
                    attention(pass, t, H, { causal, version }),
                  );
                  expectClose(got, ref, 2e-6 * D);
                });
              }
      });
  });
