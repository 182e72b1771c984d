/**
 * The table of benchmark cases: every forward op CLIP runs, at the shapes of shapes.ts, in every
 * version its folder exports, each with its CPU reference, its FLOP count and its minimum traffic.
 *
 * Versions follow matmul's pattern: a kernel folder exports `<OP>_VERSIONS = { v1, v2, ... }` and
 * its dispatcher takes `{ version }`. `versionsOf` finds that export; a new version of matmul is
 * benchmarked with no change here. An op whose dispatcher gains a version option needs its
 * `record` below to pass it on (`unwiredVersions` names any op where that is missing).
 */
import type { AdapterSummary, GpuContext, Pass, Tensor } from '../src/kernels/runtime.ts';
import type { LayernormVersion } from '../src/kernels/layernorm/layernorm.ts';
import type { PatchEmbedVersion } from '../src/kernels/patch-embed/patch-embed.ts';
import type { AttentionVersion } from '../src/kernels/attention/attention.ts';
import * as matmulModule from '../src/kernels/matmul/matmul.ts';
import * as layernormModule from '../src/kernels/layernorm/layernorm.ts';
import * as softmaxModule from '../src/kernels/softmax/softmax.ts';
import * as attentionModule from '../src/kernels/attention/attention.ts';
import * as activationModule from '../src/kernels/activation/activation.ts';
import * as addModule from '../src/kernels/add/add.ts';
import * as patchEmbedModule from '../src/kernels/patch-embed/patch-embed.ts';
import * as embeddingModule from '../src/kernels/embedding/embedding.ts';
import * as l2normModule from '../src/kernels/l2norm/l2norm.ts';
import * as gatherRowsModule from '../src/kernels/gather-rows/gather-rows.ts';
import { matmulRef } from '../src/kernels/matmul/reference.ts';
import { layernormRef } from '../src/kernels/layernorm/reference.ts';
import { softmaxRef } from '../src/kernels/softmax/reference.ts';
import { attentionRef } from '../src/kernels/attention/reference.ts';
import { activationRef } from '../src/kernels/activation/reference.ts';
import { addRef } from '../src/kernels/add/reference.ts';
import { patchEmbedRef } from '../src/kernels/patch-embed/reference.ts';
import { embeddingRef } from '../src/kernels/embedding/reference.ts';
import { l2normRef } from '../src/kernels/l2norm/reference.ts';
import { gatherRowsRef } from '../src/kernels/gather-rows/reference.ts';
import type { Activation } from '../src/kernels/activation/activation.ts';
import { checkRows, maxAbsDiff, pickRows, rand, sampleRows, type BenchCase, type CaseInstance, type Check } from './harness.ts';
import type { TowerShape } from './shapes.ts';

/** CPU reference work allowed per validation (multiply-adds): larger outputs are checked on sampled rows. */
const CHECK_BUDGET = 40e6;

type Module = Record<string, unknown>;

/** The keys of the module's `*_VERSIONS` export, or ['v1'] when it has none. */
export function versionsOf(module: Module): string[] {
  const entry = Object.entries(module).find(([k, v]) => k.endsWith('_VERSIONS') && v && typeof v === 'object');
  return entry ? Object.keys(entry[1] as object) : ['v1'];
}

/** Ops whose folder exports several versions the case builders below cannot select yet. */
export function unwiredVersions(): string[] {
  const out: string[] = [];
  for (const [op, m] of Object.entries(UNVERSIONED)) {
    const v = versionsOf(m);
    if (v.length > 1) out.push(`${op} (${v.join(', ')})`);
  }
  return out;
}

/** Folders whose dispatcher takes no version yet (timed as 'v1'). */
const UNVERSIONED: Record<string, Module> = {
  softmax: softmaxModule, activation: activationModule,
  add: addModule, embedding: embeddingModule, l2norm: l2normModule, 'gather-rows': gatherRowsModule,
};

export const MATMUL_VERSION_NAMES: string[] = versionsOf(matmulModule);
export const ATTENTION_VERSION_NAMES: string[] = versionsOf(attentionModule);
export const LAYERNORM_VERSION_NAMES: string[] = versionsOf(layernormModule);
export const PATCH_EMBED_VERSION_NAMES: string[] = versionsOf(patchEmbedModule);

interface Inputs {
  ctx: GpuContext;
  tensors: Tensor[];
}

function upload(ctx: GpuContext, parts: [Float32Array | Uint32Array, number[]][]): Inputs {
  const tensors = parts.map(([data, shape]) => ctx.tensor(shape, data, data instanceof Uint32Array ? 'u32' : 'f32', 'bench-input'));
  return { ctx, tensors };
}

function instance(inputs: Inputs, record: (pass: Pass) => Tensor, check: (out: Float32Array) => Check): CaseInstance {
  return { record, check, release: () => inputs.tensors.forEach((t) => inputs.ctx.release(t)) };
}

// ---- one builder per op ----------------------------------------------------------------------

export function matmulCase(M: number, N: number, K: number, opts: {
  bias?: boolean; version?: string; group?: string; role?: string; calls?: number; seed?: number;
  /** Fused epilogues, as the encoder runs them (fc1 + quick_gelu; out_proj and fc2 + residual). */
  act?: Activation; residual?: boolean;
} = {}): BenchCase {
  const bias = opts.bias ?? true;
  const version = opts.version ?? 'v2';
  const seed = opts.seed ?? 1;
  const { act, residual } = opts;
  const epilogue = `${act ? ` +${act}` : ''}${residual ? ' +residual' : ''}`;
  return {
    op: 'matmul', version, shape: `M=${M} N=${N} K=${K}${epilogue}`, group: opts.group, role: opts.role, calls: opts.calls,
    flops: 2 * M * N * K + (bias ? M * N : 0) + (residual ? M * N : 0),
    bytes: 4 * (M * K + N * K + M * N + (bias ? N : 0) + (residual ? M * N : 0)),
    setup(ctx) {
      const x = rand(M * K, seed), w = rand(N * K, seed + 1), b = rand(N, seed + 2), r = rand(residual ? M * N : 1, seed + 3);
      const inputs = upload(ctx, [[x, [M, K]], [w, [N, K]], [b, [N]], [r, residual ? [M, N] : [1]]]);
      const [tx, tw, tb, tr] = inputs.tensors;
      return instance(inputs,
        (pass) => matmulModule.matmul(pass, tx, tw, bias ? tb : null, {
          version: version as matmulModule.MatmulVersion, act, residual: residual ? tr : undefined,
        }),
        (out) => {
          const rows = sampleRows(M, CHECK_BUDGET / (N * K));
          let ref = matmulRef(pickRows(x, K, rows), w, bias ? b : null, rows.length, N, K);
          if (act) ref = activationRef(ref, act);
          if (residual) ref = addRef(pickRows(r, N, rows), ref);
          return checkRows(out, N, rows, ref, 2e-6 * K);
        });
    },
  };
}

export function layernormCase(rows: number, D: number, meta: CaseMeta & { version?: string } = {}): BenchCase {
  const version = meta.version ?? 'v1';
  return {
    op: 'layernorm', version, shape: `rows=${rows} D=${D}`, ...meta,
    flops: 8 * rows * D,
    bytes: 4 * (2 * rows * D + 2 * D),
    setup(ctx) {
      const x = rand(rows * D, 4, 3).map((v) => v + 10), g = rand(D, 5), b = rand(D, 6);
      const inputs = upload(ctx, [[x, [rows, D]], [g, [D]], [b, [D]]]);
      const [tx, tg, tb] = inputs.tensors;
      return instance(inputs, (pass) => layernormModule.layernorm(pass, tx, tg, tb, 1e-5, { version: version as layernormModule.LayernormVersion }), (out) => {
        const r = sampleRows(rows, CHECK_BUDGET / (4 * D));
        return checkRows(out, D, r, layernormRef(pickRows(x, D, r), g, b, D, 1e-5), 2e-5);
      });
    },
  };
}

export function softmaxCase(rows: number, N: number, meta: CaseMeta = {}): BenchCase {
  return {
    op: 'softmax', version: 'v1', shape: `rows=${rows} N=${N}`, ...meta,
    flops: 5 * rows * N,
    bytes: 4 * 2 * rows * N,
    setup(ctx) {
      const x = rand(rows * N, 7, 5);
      const inputs = upload(ctx, [[x, [rows, N]]]);
      const [tx] = inputs.tensors;
      return instance(inputs, (pass) => softmaxModule.softmax(pass, tx), (out) => {
        const r = sampleRows(rows, CHECK_BUDGET / (4 * N));
        return checkRows(out, N, r, softmaxRef(pickRows(x, N, r), N), 1e-6);
      });
    },
  };
}

/** Attention FLOPs: QKᵀ and PV (2·hd each per score) plus ~5 per score for the softmax; causal keeps T(T+1)/2 scores. */
export function attentionFlops(B: number, T: number, D: number, heads: number, causal: boolean): number {
  const hd = D / heads;
  const scores = causal ? (T * (T + 1)) / 2 : T * T;
  return B * heads * scores * (4 * hd + 5);
}

export function attentionCase(B: number, T: number, D: number, heads: number, causal: boolean, meta: CaseMeta & { version?: string } = {}): BenchCase {
  const version = meta.version ?? 'v1';
  return {
    op: 'attention', ...meta, version, shape: `B=${B} T=${T} D=${D} heads=${heads}${causal ? ' causal' : ''}`,
    flops: attentionFlops(B, T, D, heads, causal),
    bytes: 4 * (B * T * 3 * D + B * T * D),
    setup(ctx) {
      const qkv = rand(B * T * 3 * D, 8, 2);
      const inputs = upload(ctx, [[qkv, [B, T, 3 * D]]]);
      const [t] = inputs.tensors;
      return instance(inputs, (pass) => attentionModule.attention(pass, t, heads, { causal, version: version as attentionModule.AttentionVersion }), (out) => {
        const bs = sampleRows(B, CHECK_BUDGET / (2 * T * T * D));
        const ref = attentionRef(pickRows(qkv, T * 3 * D, bs), bs.length, T, D, heads, causal);
        return checkRows(out, T * D, bs, ref, 2e-6 * D);
      });
    },
  };
}

export function activationCase(n: number, act: Activation, meta: CaseMeta = {}): BenchCase {
  return {
    op: 'activation', version: 'v1', shape: `n=${n} ${act}`, ...meta,
    flops: (act === 'quick_gelu' ? 5 : 14) * n,
    bytes: 4 * 2 * n,
    setup(ctx) {
      const x = rand(n, 9, 12);
      const inputs = upload(ctx, [[x, [n]]]);
      const [t] = inputs.tensors;
      return instance(inputs, (pass) => activationModule.activation(pass, t, act),
        (out) => ({ maxAbsDiff: maxAbsDiff(out, activationRef(x, act)), tolerance: 3e-6, compared: n }));
    },
  };
}

export function addCase(n: number, meta: CaseMeta = {}): BenchCase {
  return {
    op: 'add', version: 'v1', shape: `n=${n}`, ...meta,
    flops: n,
    bytes: 4 * 3 * n,
    setup(ctx) {
      const a = rand(n, 10), b = rand(n, 11);
      const inputs = upload(ctx, [[a, [n]], [b, [n]]]);
      const [ta, tb] = inputs.tensors;
      return instance(inputs, (pass) => addModule.add(pass, ta, tb),
        (out) => ({ maxAbsDiff: maxAbsDiff(out, addRef(a, b)), tolerance: 0, compared: n }));
    },
  };
}

export function patchEmbedCase(B: number, S: number, P: number, D: number, meta: CaseMeta & { version?: string } = {}): BenchCase {
  const version = meta.version ?? 'v1';
  const C = 3;
  const G = Math.floor(S / P);
  const T = 1 + G * G;
  return {
    op: 'patch-embed', version, shape: `B=${B} image=${S} patch=${P} D=${D}`, ...meta,
    flops: 2 * B * G * G * D * C * P * P + B * T * D,
    bytes: 4 * (B * C * S * S + D * C * P * P + D + T * D + B * T * D),
    setup(ctx) {
      const pix = rand(B * C * S * S, 12), w = rand(D * C * P * P, 13), cls = rand(D, 14), pos = rand(T * D, 15);
      const inputs = upload(ctx, [[pix, [B, C, S, S]], [w, [D, C, P, P]], [cls, [D]], [pos, [T, D]]]);
      const [tp, tw, tc, tpos] = inputs.tensors;
      return instance(inputs, (pass) => patchEmbedModule.patchEmbed(pass, tp, tw, tc, tpos, { version: version as patchEmbedModule.PatchEmbedVersion }), (out) => {
        const bs = sampleRows(B, CHECK_BUDGET / (G * G * D * C * P * P));
        const ref = patchEmbedRef(pickRows(pix, C * S * S, bs), w, cls, pos, bs.length, C, S, P, D);
        return checkRows(out, T * D, bs, ref, 2e-6 * C * P * P);
      });
    },
  };
}

export function embeddingCase(B: number, T: number, V: number, D: number, meta: CaseMeta = {}): BenchCase {
  return {
    op: 'embedding', version: 'v1', shape: `B=${B} T=${T} vocab=${V} D=${D}`, ...meta,
    flops: B * T * D,
    bytes: 4 * (B * T + B * T * D + T * D + B * T * D),
    setup(ctx) {
      const ids = Uint32Array.from({ length: B * T }, (_, i) => (i * 7919 + 13) % V);
      const table = rand(V * D, 16), pos = rand(T * D, 17);
      const inputs = upload(ctx, [[ids, [B, T]], [table, [V, D]], [pos, [T, D]]]);
      const [ti, tt, tp] = inputs.tensors;
      return instance(inputs, (pass) => embeddingModule.embedding(pass, ti, tt, tp),
        (out) => ({ maxAbsDiff: maxAbsDiff(out, embeddingRef(ids, table, pos, B, T, D)), tolerance: 0, compared: out.length }));
    },
  };
}

export function l2normCase(rows: number, D: number, meta: CaseMeta = {}): BenchCase {
  return {
    op: 'l2norm', version: 'v1', shape: `rows=${rows} D=${D}`, ...meta,
    flops: 3 * rows * D,
    bytes: 4 * 2 * rows * D,
    setup(ctx) {
      const x = rand(rows * D, 18, 5);
      const inputs = upload(ctx, [[x, [rows, D]]]);
      const [t] = inputs.tensors;
      return instance(inputs, (pass) => l2normModule.l2norm(pass, t),
        (out) => ({ maxAbsDiff: maxAbsDiff(out, l2normRef(x, D)), tolerance: 1e-6, compared: out.length }));
    },
  };
}

export function gatherRowsCase(B: number, T: number, D: number, meta: CaseMeta = {}): BenchCase {
  return {
    op: 'gather-rows', version: 'v1', shape: `B=${B} T=${T} D=${D}`, ...meta,
    flops: 0,
    bytes: 4 * (B + 2 * B * D),
    setup(ctx) {
      const x = rand(B * T * D, 19), idx = Uint32Array.from({ length: B }, (_, b) => (b * 5 + 3) % T);
      const inputs = upload(ctx, [[x, [B, T, D]], [idx, [B]]]);
      const [tx, ti] = inputs.tensors;
      return instance(inputs, (pass) => gatherRowsModule.gatherRows(pass, tx, ti),
        (out) => ({ maxAbsDiff: maxAbsDiff(out, gatherRowsRef(x, idx, B, T, D)), tolerance: 0, compared: out.length }));
    },
  };
}

interface CaseMeta {
  group?: string;
  role?: string;
  calls?: number;
}

// ---- the cases of a tower shape ----------------------------------------------------------------

/** Layers per tower (12 for B/32 and B/16 and every text tower of them, 24 for L/14 vision). */
export function layersOf(s: TowerShape): number {
  return s.tower === 'vision' && s.hidden === 1024 ? 24 : 12;
}

/**
 * Every op one forward pass of `s` runs, once per distinct shape, with how often it runs:
 * the stem, the encoder layer's seven dispatches (residual adds and quick_gelu are fused into the
 * matmuls, as the model runs them), pooling and projection, and the zero-shot head's
 * l2norm and softmax over 1,000 classes.
 */
export function towerCases(s: TowerShape, options: { matmulVersions?: readonly string[]; adapter?: AdapterSummary } = {}): BenchCase[] {
  const versions = options.matmulVersions ?? MATMUL_VERSION_NAMES;
  const { batch: B, tokens: T, hidden: D, mlp, heads } = s;
  // Versions this adapter or shape rules out would silently time their fallback under another name.
  const a = options.adapter;
  const lnVersions = LAYERNORM_VERSION_NAMES.filter((v) => !a || layernormModule.layernormSupports(v as LayernormVersion, a, D));
  const peVersions = PATCH_EMBED_VERSION_NAMES.filter((v) => !a || s.tower !== 'vision' ||
    patchEmbedModule.patchEmbedSupports(v as PatchEmbedVersion, a, s.image!, s.patch!, D));
  const attnVersions = ATTENTION_VERSION_NAMES.filter((v) => attentionModule.attentionSupports(v as AttentionVersion, D / heads));
  const L = layersOf(s);
  const M = B * T;
  const g = s.id;
  const cases: BenchCase[] = [];
  if (s.tower === 'vision') {
    for (const version of peVersions) cases.push(patchEmbedCase(B, s.image!, s.patch!, D, { group: g, role: 'stem', calls: 1, version }));
  } else cases.push(embeddingCase(B, T, s.vocab!, D, { group: g, role: 'stem', calls: 1 }));
  for (const version of lnVersions) cases.push(layernormCase(M, D, { group: g, role: 'ln', calls: 2 * L + 1, version }));
  // The encoder's four matmuls with their fused epilogues (src/model/encoder.ts).
  const mm: [string, number, number, Activation | undefined, boolean][] = [
    ['qkv', 3 * D, D, undefined, false], ['out', D, D, undefined, true], ['fc1', mlp, D, 'quick_gelu', false], ['fc2', D, mlp, undefined, true],
  ];
  for (const [role, N, K, act, residual] of mm) {
    for (const version of versions) cases.push(matmulCase(M, N, K, { version, group: g, role, calls: L, act, residual }));
  }
  for (const version of attnVersions) cases.push(attentionCase(B, T, D, heads, s.causal, { group: g, role: 'attn', calls: L, version }));
  cases.push(gatherRowsCase(B, T, D, { group: g, role: 'pool', calls: 1 }));
  for (const version of versions) cases.push(matmulCase(B, s.projection, D, { bias: false, version, group: g, role: 'proj', calls: 1 }));
  cases.push(l2normCase(B, s.projection, { group: g, role: 'head', calls: 1 }));
  if (s.tower === 'vision') cases.push(softmaxCase(B, 1000, { group: g, role: 'head', calls: 1 }));
  return cases;
}
