/**
 * The table of benchmark cases: every forward op CLIP runs, at the shapes of shapes.ts, each with its
 * CPU reference, its FLOP count and its minimum traffic. Ops with several versions are enumerated from
 * their version tables (src/kernels/versions.ts: `MATMUL`, `ATTENTION`, `LAYERNORM`, `PATCH_EMBED`;
 * `PAMR_STEP` in the refinement's cases),
 * skipping the versions whose `supports` rules out the shape or the adapter (they would time their
 * fallback under another name): a new version in a table is benchmarked with no change here.
 */
import type { AdapterSummary, GpuContext, Pass, Tensor } from '../kernels/runtime.ts';
import { chosenBy, supports, versionNames, type KernelOp } from '../kernels/versions.ts';
import { matmul, MATMUL, type MatmulShape, type MatmulVersion } from '../kernels/matmul/matmul.ts';
import { layernorm, LAYERNORM, type LayernormVersion } from '../kernels/layernorm/layernorm.ts';
import { softmax } from '../kernels/softmax/softmax.ts';
import { attention, ATTENTION, type AttentionVersion } from '../kernels/attention/attention.ts';
import { activation, type Activation } from '../kernels/activation/activation.ts';
import { add } from '../kernels/add/add.ts';
import { patchEmbed, PATCH_EMBED, type PatchEmbedVersion } from '../kernels/patch-embed/patch-embed.ts';
import { embedding } from '../kernels/embedding/embedding.ts';
import { l2norm } from '../kernels/l2norm/l2norm.ts';
import { gatherRows } from '../kernels/gather-rows/gather-rows.ts';
import { matmulBackwardInputRef, matmulRef } from '../kernels/matmul/reference.ts';
import {
  MATMUL_BACKWARD_INPUT,
  MATMUL_BACKWARD_WEIGHT,
  matmulBackwardInput,
  matmulBackwardWeight,
  type MatmulBackwardVersion,
} from '../kernels/matmul/matmul-backward.ts';
import { layernormRef } from '../kernels/layernorm/reference.ts';
import { softmaxRef } from '../kernels/softmax/reference.ts';
import { attentionRef } from '../kernels/attention/reference.ts';
import { activationRef } from '../kernels/activation/reference.ts';
import { addRef } from '../kernels/add/reference.ts';
import { patchEmbedRef } from '../kernels/patch-embed/reference.ts';
import { embeddingRef } from '../kernels/embedding/reference.ts';
import { l2normRef } from '../kernels/l2norm/reference.ts';
import { gatherRowsRef } from '../kernels/gather-rows/reference.ts';
import { PAMR_DEFAULTS, PAMR_STEP, pamrAffinity, pamrAffinityReference, pamrStep } from '../kernels/pamr/pamr.ts';
import { pamrStepReference } from '../kernels/pamr/reference.ts';
import {
  checkRows,
  maxAbsDiff,
  pickRows,
  rand,
  sampleRows,
  type BenchCase,
  type CaseInstance,
  type Check,
} from './harness.ts';
import type { TowerShape } from './shapes.ts';

/** CPU reference work allowed per validation (multiply-adds): larger outputs are checked on sampled rows. */
const CHECK_BUDGET = 40e6;

/** The ops with several versions of a tower's forward pass, as the benchmark enumerates them. */
// biome-ignore lint/suspicious/noExplicitAny: each op has its own shape type; the list only enumerates them
export const VERSIONED_OPS: readonly KernelOp<any, string>[] = [MATMUL, ATTENTION, LAYERNORM, PATCH_EMBED];

/** The versions of `op` that run `shape` on `adapter` themselves (no fallback). */
export function versionsFor<S, V extends string>(op: KernelOp<S, V>, shape: S, adapter: AdapterSummary): V[] {
  return versionNames(op).filter((v) => supports(op, v, shape, adapter));
}

interface Inputs {
  ctx: GpuContext;
  tensors: Tensor[];
}

function upload(ctx: GpuContext, parts: [Float32Array | Uint32Array, number[]][]): Inputs {
  const tensors = parts.map(([data, shape]) =>
    ctx.tensor(shape, data, data instanceof Uint32Array ? 'u32' : 'f32', 'bench-input'),
  );
  return { ctx, tensors };
}

function instance(inputs: Inputs, record: (pass: Pass) => Tensor, check: (out: Float32Array) => Check): CaseInstance {
  return { record, check, release: () => inputs.tensors.forEach((t) => inputs.ctx.release(t)) };
}

// ---- one builder per op ----------------------------------------------------------------------

export function matmulCase(
  M: number,
  N: number,
  K: number,
  opts: {
    bias?: boolean;
    version?: string;
    group?: string;
    role?: string;
    calls?: number;
    seed?: number;
    /** Fused epilogues, as the encoder runs them (fc1 + quick_gelu; out_proj and fc2 + residual). */
    act?: Activation;
    residual?: boolean;
  } = {},
): BenchCase {
  const bias = opts.bias ?? true;
  const version = opts.version ?? 'v2';
  const seed = opts.seed ?? 1;
  const { act, residual } = opts;
  const epilogue = `${act ? ` +${act}` : ''}${residual ? ' +residual' : ''}`;
  return {
    op: 'matmul',
    version,
    chosenBy: chosenBy(MATMUL, version as MatmulVersion),
    shape: `M=${M} N=${N} K=${K}${epilogue}`,
    group: opts.group,
    role: opts.role,
    calls: opts.calls,
    flops: 2 * M * N * K + (bias ? M * N : 0) + (residual ? M * N : 0),
    bytes: 4 * (M * K + N * K + M * N + (bias ? N : 0) + (residual ? M * N : 0)),
    setup(ctx) {
      const x = rand(M * K, seed),
        w = rand(N * K, seed + 1),
        b = rand(N, seed + 2),
        r = rand(residual ? M * N : 1, seed + 3);
      const inputs = upload(ctx, [
        [x, [M, K]],
        [w, [N, K]],
        [b, [N]],
        [r, residual ? [M, N] : [1]],
      ]);
      const [tx, tw, tb, tr] = inputs.tensors;
      return instance(
        inputs,
        (pass) =>
          matmul(pass, tx, tw, bias ? tb : null, {
            version: version as MatmulVersion,
            act,
            residual: residual ? tr : undefined,
          }),
        (out) => {
          const rows = sampleRows(M, CHECK_BUDGET / (N * K));
          let ref = matmulRef(pickRows(x, K, rows), w, bias ? b : null, rows.length, N, K);
          if (act) ref = activationRef(ref, act);
          if (residual) ref = addRef(pickRows(r, N, rows), ref);
          return checkRows(out, N, rows, ref, 2e-6 * K);
        },
      );
    },
  };
}

/**
 * The backward of y = x·Wᵀ (x [M, K], W [N, K], dY [M, N]) for training and the explanations:
 * `input` dX = dY·W [M, K], `weight` dW = dYᵀ·X [N, K].
 */
export function matmulBackwardCase(
  product: 'input' | 'weight',
  M: number,
  N: number,
  K: number,
  opts: { version?: string; group?: string; role?: string; calls?: number } = {},
): BenchCase {
  const op = product === 'input' ? MATMUL_BACKWARD_INPUT : MATMUL_BACKWARD_WEIGHT;
  const version = (opts.version ?? 'v1') as MatmulBackwardVersion;
  const [rows, width] = product === 'input' ? [M, K] : [N, K];
  return {
    op: op.op,
    version,
    chosenBy: chosenBy(op, version),
    shape: `M=${M} N=${N} K=${K}`,
    group: opts.group,
    role: opts.role,
    calls: opts.calls,
    flops: 2 * M * N * K,
    bytes: 4 * (M * N + (product === 'input' ? N * K : M * K) + rows * width),
    setup(ctx) {
      const dy = rand(M * N, 1),
        w = rand(N * K, 2),
        x = rand(M * K, 3);
      const inputs = upload(ctx, [
        [dy, [M, N]],
        [product === 'input' ? w : x, product === 'input' ? [N, K] : [M, K]],
      ]);
      const [tdy, tb] = inputs.tensors;
      const check = sampleRows(rows, CHECK_BUDGET / ((product === 'input' ? N : M) * K));
      return instance(
        inputs,
        (pass) =>
          product === 'input'
            ? matmulBackwardInput(pass, tdy, tb, { version })
            : matmulBackwardWeight(pass, tdy, tb, { version }),
        (out) => {
          let ref: Float32Array;
          if (product === 'input')
            ref = Float32Array.from(matmulBackwardInputRef(pickRows(dy, N, check), w, check.length, N, K));
          else {
            ref = new Float32Array(check.length * K);
            check.forEach((n, i) => {
              for (let k = 0; k < K; k++) {
                let acc = 0;
                for (let m = 0; m < M; m++) acc += dy[m * N + n] * x[m * K + k];
                ref[i * K + k] = acc;
              }
            });
          }
          return checkRows(out, width, check, ref, 2e-6 * (product === 'input' ? N : M));
        },
      );
    },
  };
}

export function layernormCase(rows: number, D: number, meta: CaseMeta & { version?: string } = {}): BenchCase {
  const version = meta.version ?? 'v1';
  return {
    op: 'layernorm',
    version,
    chosenBy: chosenBy(LAYERNORM, version as LayernormVersion),
    shape: `rows=${rows} D=${D}`,
    ...meta,
    flops: 8 * rows * D,
    bytes: 4 * (2 * rows * D + 2 * D),
    setup(ctx) {
      const x = rand(rows * D, 4, 3).map((v) => v + 10),
        g = rand(D, 5),
        b = rand(D, 6);
      const inputs = upload(ctx, [
        [x, [rows, D]],
        [g, [D]],
        [b, [D]],
      ]);
      const [tx, tg, tb] = inputs.tensors;
      return instance(
        inputs,
        (pass) => layernorm(pass, tx, tg, tb, 1e-5, { version: version as LayernormVersion }),
        (out) => {
          const r = sampleRows(rows, CHECK_BUDGET / (4 * D));
          return checkRows(out, D, r, layernormRef(pickRows(x, D, r), g, b, D, 1e-5), 2e-5);
        },
      );
    },
  };
}

export function softmaxCase(rows: number, N: number, meta: CaseMeta = {}): BenchCase {
  return {
    op: 'softmax',
    version: 'v1',
    shape: `rows=${rows} N=${N}`,
    ...meta,
    flops: 5 * rows * N,
    bytes: 4 * 2 * rows * N,
    setup(ctx) {
      const x = rand(rows * N, 7, 5);
      const inputs = upload(ctx, [[x, [rows, N]]]);
      const [tx] = inputs.tensors;
      return instance(
        inputs,
        (pass) => softmax(pass, tx),
        (out) => {
          const r = sampleRows(rows, CHECK_BUDGET / (4 * N));
          return checkRows(out, N, r, softmaxRef(pickRows(x, N, r), N), 1e-6);
        },
      );
    },
  };
}

/** Attention FLOPs: QKᵀ and PV (2·hd each per score) plus ~5 per score for the softmax; causal keeps T(T+1)/2 scores. */
export function attentionFlops(B: number, T: number, D: number, heads: number, causal: boolean): number {
  const hd = D / heads;
  const scores = causal ? (T * (T + 1)) / 2 : T * T;
  return B * heads * scores * (4 * hd + 5);
}

export function attentionCase(
  B: number,
  T: number,
  D: number,
  heads: number,
  causal: boolean,
  meta: CaseMeta & { version?: string } = {},
): BenchCase {
  const version = meta.version ?? 'v1';
  return {
    op: 'attention',
    ...meta,
    version,
    chosenBy: chosenBy(ATTENTION, version as AttentionVersion),
    shape: `B=${B} T=${T} D=${D} heads=${heads}${causal ? ' causal' : ''}`,
    flops: attentionFlops(B, T, D, heads, causal),
    bytes: 4 * (B * T * 3 * D + B * T * D),
    setup(ctx) {
      const qkv = rand(B * T * 3 * D, 8, 2);
      const inputs = upload(ctx, [[qkv, [B, T, 3 * D]]]);
      const [t] = inputs.tensors;
      return instance(
        inputs,
        (pass) => attention(pass, t, heads, { causal, version: version as AttentionVersion }),
        (out) => {
          const bs = sampleRows(B, CHECK_BUDGET / (2 * T * T * D));
          const ref = attentionRef(pickRows(qkv, T * 3 * D, bs), bs.length, T, D, heads, causal);
          return checkRows(out, T * D, bs, ref, 2e-6 * D);
        },
      );
    },
  };
}

export function activationCase(n: number, act: Activation, meta: CaseMeta = {}): BenchCase {
  return {
    op: 'activation',
    version: 'v1',
    shape: `n=${n} ${act}`,
    ...meta,
    flops: (act === 'quick_gelu' ? 5 : 14) * n,
    bytes: 4 * 2 * n,
    setup(ctx) {
      const x = rand(n, 9, 12);
      const inputs = upload(ctx, [[x, [n]]]);
      const [t] = inputs.tensors;
      return instance(
        inputs,
        (pass) => activation(pass, t, act),
        (out) => ({ maxAbsDiff: maxAbsDiff(out, activationRef(x, act)), tolerance: 3e-6, compared: n }),
      );
    },
  };
}

export function addCase(n: number, meta: CaseMeta = {}): BenchCase {
  return {
    op: 'add',
    version: 'v1',
    shape: `n=${n}`,
    ...meta,
    flops: n,
    bytes: 4 * 3 * n,
    setup(ctx) {
      const a = rand(n, 10),
        b = rand(n, 11);
      const inputs = upload(ctx, [
        [a, [n]],
        [b, [n]],
      ]);
      const [ta, tb] = inputs.tensors;
      return instance(
        inputs,
        (pass) => add(pass, ta, tb),
        (out) => ({ maxAbsDiff: maxAbsDiff(out, addRef(a, b)), tolerance: 0, compared: n }),
      );
    },
  };
}

export function patchEmbedCase(
  B: number,
  S: number,
  P: number,
  D: number,
  meta: CaseMeta & { version?: string } = {},
): BenchCase {
  const version = meta.version ?? 'v1';
  const C = 3;
  const G = Math.floor(S / P);
  const T = 1 + G * G;
  return {
    op: 'patch-embed',
    version,
    chosenBy: chosenBy(PATCH_EMBED, version as PatchEmbedVersion),
    shape: `B=${B} image=${S} patch=${P} D=${D}`,
    ...meta,
    flops: 2 * B * G * G * D * C * P * P + B * T * D,
    bytes: 4 * (B * C * S * S + D * C * P * P + D + T * D + B * T * D),
    setup(ctx) {
      const pix = rand(B * C * S * S, 12),
        w = rand(D * C * P * P, 13),
        cls = rand(D, 14),
        pos = rand(T * D, 15);
      const inputs = upload(ctx, [
        [pix, [B, C, S, S]],
        [w, [D, C, P, P]],
        [cls, [D]],
        [pos, [T, D]],
      ]);
      const [tp, tw, tc, tpos] = inputs.tensors;
      return instance(
        inputs,
        (pass) => patchEmbed(pass, tp, tw, tc, tpos, { version: version as PatchEmbedVersion }),
        (out) => {
          const bs = sampleRows(B, CHECK_BUDGET / (G * G * D * C * P * P));
          const ref = patchEmbedRef(pickRows(pix, C * S * S, bs), w, cls, pos, bs.length, C, S, P, D);
          return checkRows(out, T * D, bs, ref, 2e-6 * C * P * P);
        },
      );
    },
  };
}

export function embeddingCase(B: number, T: number, V: number, D: number, meta: CaseMeta = {}): BenchCase {
  return {
    op: 'embedding',
    version: 'v1',
    shape: `B=${B} T=${T} vocab=${V} D=${D}`,
    ...meta,
    flops: B * T * D,
    bytes: 4 * (B * T + B * T * D + T * D + B * T * D),
    setup(ctx) {
      const ids = Uint32Array.from({ length: B * T }, (_, i) => (i * 7919 + 13) % V);
      const table = rand(V * D, 16),
        pos = rand(T * D, 17);
      const inputs = upload(ctx, [
        [ids, [B, T]],
        [table, [V, D]],
        [pos, [T, D]],
      ]);
      const [ti, tt, tp] = inputs.tensors;
      return instance(
        inputs,
        (pass) => embedding(pass, ti, tt, tp),
        (out) => ({
          maxAbsDiff: maxAbsDiff(out, embeddingRef(ids, table, pos, B, T, D)),
          tolerance: 0,
          compared: out.length,
        }),
      );
    },
  };
}

export function l2normCase(rows: number, D: number, meta: CaseMeta = {}): BenchCase {
  return {
    op: 'l2norm',
    version: 'v1',
    shape: `rows=${rows} D=${D}`,
    ...meta,
    flops: 3 * rows * D,
    bytes: 4 * 2 * rows * D,
    setup(ctx) {
      const x = rand(rows * D, 18, 5);
      const inputs = upload(ctx, [[x, [rows, D]]]);
      const [t] = inputs.tensors;
      return instance(
        inputs,
        (pass) => l2norm(pass, t),
        (out) => ({ maxAbsDiff: maxAbsDiff(out, l2normRef(x, D)), tolerance: 1e-6, compared: out.length }),
      );
    },
  };
}

export function gatherRowsCase(B: number, T: number, D: number, meta: CaseMeta = {}): BenchCase {
  return {
    op: 'gather-rows',
    version: 'v1',
    shape: `B=${B} T=${T} D=${D}`,
    ...meta,
    flops: 0,
    bytes: 4 * (B + 2 * B * D),
    setup(ctx) {
      const x = rand(B * T * D, 19),
        idx = Uint32Array.from({ length: B }, (_, b) => (b * 5 + 3) % T);
      const inputs = upload(ctx, [
        [x, [B, T, D]],
        [idx, [B]],
      ]);
      const [tx, ti] = inputs.tensors;
      return instance(
        inputs,
        (pass) => gatherRows(pass, tx, ti),
        (out) => ({ maxAbsDiff: maxAbsDiff(out, gatherRowsRef(x, idx, B, T, D)), tolerance: 0, compared: out.length }),
      );
    },
  };
}

/**
 * PAMR's affinity weights [8·ND, S, S] of an RGB image [3, S, S] at PAMR_DEFAULTS' dilations: once per
 * refined map. FLOPs ≈ per pixel and neighbour, |x(p) − x(q)| and the running mean and variance over
 * the 3 channels (~8 each), plus the softmax's exp and divide (~4).
 */
export function pamrAffinityCase(S: number, meta: CaseMeta = {}): BenchCase {
  const { dilations } = PAMR_DEFAULTS;
  const N = 8 * dilations.length;
  return {
    op: 'pamr-affinity',
    version: 'v1',
    shape: `H=${S} W=${S} K=3 ND=${dilations.length}`,
    ...meta,
    flops: S * S * N * (3 * 8 + 4),
    bytes: 4 * (3 * S * S + N * S * S + dilations.length),
    setup(ctx) {
      const image = rand(3 * S * S, 21);
      const inputs = upload(ctx, [[image, [3, S, S]]]);
      const [timage] = inputs.tensors;
      return instance(
        inputs,
        (pass) => pamrAffinity(pass, timage, dilations),
        (out) => {
          const ref = pamrAffinityReference(image, 3, S, S, dilations);
          return { maxAbsDiff: maxAbsDiff(out, Float32Array.from(ref)), tolerance: 1e-5, compared: out.length };
        },
      );
    },
  };
}

/** One PAMR step on C maps of S × S (a refinement runs `iterations` of them): 8·ND multiply-adds per value. */
export function pamrStepCase(S: number, C: number, meta: CaseMeta & { version?: string } = {}): BenchCase {
  const version = (meta.version ?? 'v2') as 'v1' | 'v2';
  const { dilations } = PAMR_DEFAULTS;
  const ND = dilations.length;
  return {
    op: PAMR_STEP.op,
    version,
    chosenBy: chosenBy(PAMR_STEP, version),
    shape: `H=${S} W=${S} C=${C} ND=${ND}`,
    ...meta,
    flops: 2 * 8 * ND * C * S * S,
    bytes: 4 * (8 * ND * S * S + 2 * C * S * S + ND),
    setup(ctx) {
      const image = rand(3 * S * S, 22),
        mask = rand(C * S * S, 23);
      const weights = Float32Array.from(pamrAffinityReference(image, 3, S, S, dilations));
      const inputs = upload(ctx, [
        [weights, [8 * ND, S, S]],
        [Uint32Array.from(dilations), [ND]],
        [mask, [C, S, S]],
      ]);
      const [tw, td, tm] = inputs.tensors;
      return instance(
        inputs,
        (pass) => pamrStep(pass, tw, td, tm, version),
        (out) => {
          const ref = pamrStepReference(weights, mask, C, S, S, dilations); // the weights the kernel read
          return { maxAbsDiff: maxAbsDiff(out, Float32Array.from(ref)), tolerance: 1e-5, compared: out.length };
        },
      );
    },
  };
}

interface CaseMeta {
  group?: string;
  role?: string;
  calls?: number;
}

// ---- the cases of a tower shape ----------------------------------------------------------------

/**
 * The refinement of maps by the image (PAMR, `refine` in detect, segment and gradcam) at each vision
 * tower's input size, once per size: the affinity, and a step on one map (Grad-CAM's, a detection) and
 * on 21 (a segmentation of Pascal VOC's classes), each version. Not part of a forward pass: role
 * `refine` and no group, so no tower's breakdown counts them.
 */
export function refineCases(shapes: readonly TowerShape[], adapter: AdapterSummary): BenchCase[] {
  const sizes = [...new Set(shapes.flatMap((s) => (s.tower === 'vision' ? [s.image!] : [])))];
  const role = 'refine';
  return sizes.flatMap((S) => [
    pamrAffinityCase(S, { role }),
    ...[1, 21].flatMap((C) =>
      versionsFor(PAMR_STEP, { H: S, W: S, C, ND: PAMR_DEFAULTS.dilations.length }, adapter).map((version) =>
        pamrStepCase(S, C, { version, role }),
      ),
    ),
  ]);
}

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
export function towerCases(s: TowerShape, adapter: AdapterSummary): BenchCase[] {
  const { batch: B, tokens: T, hidden: D, mlp, heads } = s;
  const mmVersions = (M: number, N: number, K: number, bias: boolean, act: Activation | undefined, residual: boolean) =>
    versionsFor<MatmulShape, MatmulVersion>(MATMUL, { M, N, K, alpha: 1, bias, act, residual }, adapter);
  const lnVersions = versionsFor(LAYERNORM, { rows: B * T, D, eps: 1e-5 }, adapter);
  const peVersions =
    s.tower === 'vision' ? versionsFor(PATCH_EMBED, { B, C: 3, S: s.image!, P: s.patch!, D }, adapter) : [];
  const attnVersions = versionsFor(ATTENTION, { B, T, heads, hd: D / heads, causal: s.causal }, adapter);
  const L = layersOf(s);
  const M = B * T;
  const g = s.id;
  const cases: BenchCase[] = [];
  if (s.tower === 'vision') {
    for (const version of peVersions)
      cases.push(patchEmbedCase(B, s.image!, s.patch!, D, { group: g, role: 'stem', calls: 1, version }));
  } else cases.push(embeddingCase(B, T, s.vocab!, D, { group: g, role: 'stem', calls: 1 }));
  for (const version of lnVersions)
    cases.push(layernormCase(M, D, { group: g, role: 'ln', calls: 2 * L + 1, version }));
  // The encoder's four matmuls with their fused epilogues (src/model/encoder.ts).
  const mm: [string, number, number, Activation | undefined, boolean][] = [
    ['qkv', 3 * D, D, undefined, false],
    ['out', D, D, undefined, true],
    ['fc1', mlp, D, 'quick_gelu', false],
    ['fc2', D, mlp, undefined, true],
  ];
  for (const [role, N, K, act, residual] of mm) {
    for (const version of mmVersions(M, N, K, true, act, residual))
      cases.push(matmulCase(M, N, K, { version, group: g, role, calls: L, act, residual }));
  }
  for (const version of attnVersions)
    cases.push(attentionCase(B, T, D, heads, s.causal, { group: g, role: 'attn', calls: L, version }));
  cases.push(gatherRowsCase(B, T, D, { group: g, role: 'pool', calls: 1 }));
  for (const version of mmVersions(B, s.projection, D, false, undefined, false)) {
    cases.push(matmulCase(B, s.projection, D, { bias: false, version, group: g, role: 'proj', calls: 1 }));
  }
  cases.push(l2normCase(B, s.projection, { group: g, role: 'head', calls: 1 }));
  if (s.tower === 'vision') cases.push(softmaxCase(B, 1000, { group: g, role: 'head', calls: 1 }));
  return cases;
}
