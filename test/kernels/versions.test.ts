/**
 * The version tables of every multi-version op and the one dispatcher (src/kernels/versions.ts),
 * without a GPU: each adapter kind's choice exists and runs CLIP's shapes, `benchOnly` marks exactly
 * the versions no kind chooses, fallbacks end at a version that takes the shape, and the dispatcher
 * takes the asked, then the forced, then the chosen version.
 */
import { describe, it, expect } from 'vitest';
import type { AdapterSummary, GpuContext } from '../../src/kernels/runtime.ts';
import {
  ADAPTER_KINDS,
  adapterKind,
  chosenBy,
  pickVersion,
  supports,
  versionNames,
  type AdapterKind,
  type KernelOp,
} from '../../src/kernels/versions.ts';
import { MATMUL, tenRowsPay, type MatmulShape } from '../../src/kernels/matmul/matmul.ts';
import { ATTENTION } from '../../src/kernels/attention/attention.ts';
import { LAYERNORM } from '../../src/kernels/layernorm/layernorm.ts';
import { PATCH_EMBED } from '../../src/kernels/patch-embed/patch-embed.ts';
import { MATMUL_BACKWARD_INPUT, MATMUL_BACKWARD_WEIGHT } from '../../src/kernels/matmul/matmul-backward.ts';
import { LAYERNORM_BACKWARD } from '../../src/kernels/layernorm/layernorm-backward.ts';
import { ATTENTION_BACKWARD } from '../../src/kernels/attention/attention-backward.ts';
import { PATCH_EMBED_BACKWARD } from '../../src/kernels/patch-embed/patch-embed-backward.ts';
import { ClipError } from '../../src/errors.ts';

function adapterOf(kind: AdapterKind): AdapterSummary {
  const family = kind === 'gpu-subgroups' ? 'gpu' : kind;
  const features = kind === 'gpu-subgroups' ? ['subgroups'] : [];
  return {
    description: kind,
    vendor: '',
    architecture: '',
    backend: 'test',
    features,
    isCpu: family !== 'gpu',
    family,
  };
}

function contextOf(kind: AdapterKind, forced: Record<string, string> = {}): GpuContext {
  return { adapter: adapterOf(kind), kernelOverrides: new Map(Object.entries(forced)) } as unknown as GpuContext;
}

/** Each op with CLIP's shapes (B/32, B/16, L/14 vision; text) and odd ones its versions may not take. */
const OPS: [KernelOp<any, string>, clip: unknown[], odd: unknown[]][] = [
  [
    MATMUL,
    [
      { M: 50, N: 2304, K: 768 },
      { M: 77, N: 512, K: 2048 },
    ],
    [{ M: 9, N: 17, K: 7 }],
  ],
  [
    ATTENTION,
    [
      { B: 1, T: 50, heads: 12, hd: 64 },
      { B: 1, T: 77, heads: 8, hd: 64 },
      { B: 1, T: 257, heads: 16, hd: 64 },
    ],
    [{ B: 1, T: 7, heads: 1, hd: 68 }],
  ],
  [
    LAYERNORM,
    [
      { rows: 50, D: 768 },
      { rows: 77, D: 512 },
      { rows: 257, D: 1024 },
    ],
    [{ rows: 7, D: 37 }],
  ],
  [
    PATCH_EMBED,
    [
      { B: 1, C: 3, S: 224, P: 32, D: 768 },
      { B: 1, C: 3, S: 224, P: 16, D: 768 },
    ],
    [
      { B: 1, C: 3, S: 224, P: 14, D: 1024 },
      { B: 1, C: 3, S: 30, P: 14, D: 10 },
    ],
  ],
  // The backward's products in the kernels' terms (c [M, N] summed over K): B/32 fc2 at one image and
  // at a training batch of 32 (1,600 rows), the shipped model's qkv at 64 images (4,160 rows).
  [
    MATMUL_BACKWARD_INPUT,
    [
      { M: 50, N: 3072, K: 768, alpha: 1 },
      { M: 1600, N: 768, K: 3072, alpha: 1 },
      { M: 4160, N: 64, K: 192, alpha: 1 },
    ],
    [{ M: 9, N: 17, K: 7, alpha: 1 }],
  ],
  [
    MATMUL_BACKWARD_WEIGHT,
    [
      { M: 768, N: 3072, K: 50, alpha: 1 },
      { M: 768, N: 3072, K: 1600, alpha: 1 },
      { M: 192, N: 64, K: 4160, alpha: 1 },
    ],
    [{ M: 9, N: 17, K: 7, alpha: 1 }],
  ],
  [
    LAYERNORM_BACKWARD,
    [
      { rows: 50, D: 768, eps: 1e-5 },
      { rows: 4160, D: 64, eps: 1e-5 },
    ],
    [{ rows: 7, D: 37, eps: 1e-5 }],
  ],
  [
    ATTENTION_BACKWARD,
    [
      { B: 1, T: 50, heads: 12, hd: 64, causal: false, gradProbs: true },
      { B: 64, T: 65, heads: 2, hd: 32, causal: false, gradProbs: false },
      { B: 64, T: 12, heads: 2, hd: 32, causal: true, gradProbs: false },
    ],
    [{ B: 1, T: 7, heads: 1, hd: 68, causal: false, gradProbs: false }],
  ],
  [
    PATCH_EMBED_BACKWARD,
    [
      { B: 32, C: 3, S: 224, P: 32, D: 768 },
      { B: 64, C: 3, S: 64, P: 8, D: 64 },
    ],
    [{ B: 1, C: 3, S: 224, P: 14, D: 1024 }],
  ],
];

describe('adapterKind', () => {
  it('splits GPUs by subgroups, not the CPU emulators', () => {
    for (const kind of ADAPTER_KINDS) expect(adapterKind(adapterOf(kind))).toBe(kind);
    expect(adapterKind({ ...adapterOf('llvmpipe'), features: ['subgroups'] })).toBe('llvmpipe');
  });
});

for (const [op, clip, odd] of OPS)
  describe(`${op.op} versions`, () => {
    it("every kind of adapter chooses an existing version that runs CLIP's shapes there (itself or by its fallbacks)", () => {
      for (const kind of ADAPTER_KINDS) {
        const v = op.choice[kind];
        expect(versionNames(op)).toContain(v);
        for (const s of clip) {
          const ran = pickVersion(contextOf(kind), op, s);
          expect(supports(op, ran, s, adapterOf(kind)), `${kind} ${v} ${JSON.stringify(s)}`).toBe(true);
          // Only matmul's v6 and v4 hand shapes on for speed (v6: 10-row blocks where they pad less; v4: SwiftShader's
          // M > 16 to v7); the rest, for lack of a feature.
          if (ran !== v)
            expect(`${op.op} ${v} -> ${ran}`).toMatch(
              /^matmul v6 -> v3$|^matmul v4 -> v7$|^patch-embed|^matmul v\d -> v2$/,
            );
        }
      }
    });

    it('benchOnly marks exactly the versions no adapter kind chooses', () => {
      for (const v of versionNames(op)) expect(!!op.versions[v].benchOnly, v).toBe(chosenBy(op, v).length === 0);
    });

    it('each version says in one line what it changes, and has its WGSL', () => {
      for (const v of versionNames(op)) {
        expect(op.versions[v].note, v).toMatch(/^[^\n]{10,140}$/);
        expect(op.versions[v].code, v).toMatch(/fn main/);
      }
    });

    it('every version, asked for on every kind of adapter, falls back to one that takes the shape', () => {
      for (const kind of ADAPTER_KINDS)
        for (const v of versionNames(op))
          for (const s of [...clip, ...odd]) {
            const ran = pickVersion(contextOf(kind), op, s, v);
            expect(supports(op, ran, s, adapterOf(kind))).toBe(true);
            if (supports(op, v, s, adapterOf(kind))) expect(ran).toBe(v);
            else expect(ran).not.toBe(v);
          }
    });
  });

describe('pickVersion', () => {
  const mm = (M: number, N: number, K: number): MatmulShape => ({
    M,
    N,
    K,
    alpha: 1,
    bias: true,
    act: undefined,
    residual: false,
  });
  const s = mm(50, 64, 768);
  it("takes the asked version, else the forced one, else the adapter kind's choice", () => {
    expect(pickVersion(contextOf('llvmpipe'), MATMUL, s)).toBe('v7');
    // v6 hands on to v3 where its 10-row blocks pad M as much as v3's 12 (forced: no adapter chooses either).
    expect(pickVersion(contextOf('llvmpipe'), MATMUL, s, 'v6')).toBe(tenRowsPay(s.M) ? 'v6' : 'v3');
    expect(pickVersion(contextOf('llvmpipe'), MATMUL, mm(50, 768, 768), 'v6')).toBe('v6'); // B/32, one image
    expect(pickVersion(contextOf('llvmpipe'), MATMUL, mm(112, 512, 512), 'v6')).toBe('v3'); // 8 prompts of 14 tokens
    expect(pickVersion(contextOf('swiftshader'), MATMUL, s)).toBe('v7'); // M = 50: v4 hands it on
    expect(pickVersion(contextOf('swiftshader'), MATMUL, mm(14, 1536, 512))).toBe('v4'); // one prompt
    expect(pickVersion(contextOf('llvmpipe', { matmul: 'v1' }), MATMUL, s)).toBe('v1');
    expect(pickVersion(contextOf('llvmpipe', { matmul: 'v1' }), MATMUL, s, 'v5')).toBe('v5');
    expect(pickVersion(contextOf('llvmpipe', { attention: 'v1' }), MATMUL, s)).toBe('v7');
  });

  it('falls back by `supports`: K % 4 != 0 runs matmul v2; patch-embed v2 without subgroups runs v3, with them v4', () => {
    expect(pickVersion(contextOf('llvmpipe'), MATMUL, mm(9, 17, 7))).toBe('v2');
    const l14 = { B: 1, C: 3, S: 224, P: 14, D: 1024 };
    expect(pickVersion(contextOf('gpu'), PATCH_EMBED, l14, 'v2')).toBe('v3');
    expect(pickVersion(contextOf('gpu-subgroups'), PATCH_EMBED, l14, 'v2')).toBe('v4');
  });

  it('an unknown forced version is a ClipError naming the known ones', () => {
    const run = () => pickVersion(contextOf('gpu', { matmul: 'v9' }), MATMUL, s);
    expect(run).toThrow(ClipError);
    expect(run).toThrow('Unknown matmul kernel version "v9" (have v1, v2, v3, v4, v5, v6, v7).');
  });
});
