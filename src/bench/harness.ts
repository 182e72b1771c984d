/**
 * The kernel benchmark harness (llm.c `dev/cuda` style), the same in Node and in the browser:
 *
 *  1. validate: run the case once on the GPU and compare its output with the CPU reference
 *     (`reference.ts` of the op's folder) — a wrong kernel is reported as such and never timed;
 *  2. warm up (pipelines are compiled by then), choose how many repetitions one sample records so
 *     a sample is long enough to time;
 *  3. time N samples: GPU time from `timestamp-query` when the device has it (two timestamps in
 *     empty compute passes submitted right before and after the work), else wall time around
 *     `queue.onSubmittedWorkDone()` with an idle queue at the start; report the median. Versions of
 *     one op at one shape are timed together, their samples alternating, so load drift on a shared
 *     machine hits them alike.
 *
 * No result here is asserted on: these are benchmarks, not timed tests.
 */
import type { GpuContext, Pass, Tensor } from '../kernels/runtime.ts';

export type TimingMethod = 'timestamp-query' | 'wall';

/** What one case is: an op version at a shape, with its work and traffic for GFLOP/s and GB/s. */
export interface BenchCase {
  op: string;
  version: string;
  /** Readable shape, e.g. "M=50 N=3072 K=768". */
  shape: string;
  /** Which tower shape it belongs to (shapes.ts id), and its role there (e.g. "fc1"). */
  group?: string;
  role?: string;
  /** How many times one forward pass of `group` runs it (for the per-op breakdown). */
  calls?: number;
  /** Ops with several versions: the adapter kinds that run this one ([] = bench only; src/kernels/versions.ts). */
  chosenBy?: readonly string[];
  /** Floating-point operations of one run (a fused multiply-add counts 2). */
  flops: number;
  /** Bytes one run must move at least: every input read once, every output written once. */
  bytes: number;
  /** Upload inputs; the instance records the op and checks its output. */
  setup(ctx: GpuContext): CaseInstance;
}

export interface CaseInstance {
  /** Record one run of the op into `pass`; returns its output. */
  record(pass: Pass): Tensor;
  /** Compare the GPU output with the CPU reference (on all of it or on sampled rows). */
  check(out: Float32Array): Check;
  release(): void;
}

export interface Check {
  maxAbsDiff: number;
  tolerance: number;
  /** How many output values were compared. */
  compared: number;
}

export interface BenchResult {
  op: string;
  version: string;
  shape: string;
  group?: string;
  role?: string;
  calls?: number;
  /** Ops with several versions: the adapter kinds that run this version when nothing is forced ([] = kept for the benchmark only). */
  chosen_by?: string[];
  /** False when the output disagreed with the CPU reference (then nothing was timed) or the run failed. */
  valid: boolean;
  error?: string;
  max_abs_diff: number | null;
  tolerance: number | null;
  /** Median time of one run, in milliseconds. */
  ms: number | null;
  ms_min: number | null;
  ms_max: number | null;
  samples: number;
  /** Runs recorded per sample (ms is per run). */
  reps: number;
  method: TimingMethod;
  flops: number;
  bytes: number;
  gflops: number | null;
  gbps: number | null;
  /** Share of the adapter's probed roofline: max(flops / peak FLOP/s, bytes / peak B/s) / time. */
  peak_share: number | null;
}

export interface HarnessOptions {
  /** Warm-up runs after validation (default 1). */
  warmup?: number;
  /** Samples to take (default 10). */
  samples?: number;
  /** Stop adding samples once this much time was spent timing a case, if `minSamples` are in (ms, default 4000). */
  budgetMs?: number;
  /** At least this many samples, whatever the budget (default 3). */
  minSamples?: number;
  /** Aim for samples at least this long by recording several runs in one (ms, default 20). */
  minSampleMs?: number;
  /** At most this many runs per sample (default 50). */
  maxReps?: number;
  /** Time with wall clock even when timestamp-query is there. */
  forceWall?: boolean;
  /** Called before each case (progress). */
  onCase?: (c: BenchCase, index: number, total: number) => void;
}

const QUERY_RESOLVE = 0x200;
const COPY_SRC = 0x4;
const COPY_DST = 0x8;
const MAP_READ = 0x1;

/** Times GPU work that `submit` puts on the queue; returns milliseconds. */
export interface GpuTimer {
  readonly method: TimingMethod;
  time(submit: () => Promise<unknown>): Promise<number>;
  dispose(): void;
}

export function hasTimestamps(ctx: GpuContext): boolean {
  return ctx.device.features.has('timestamp-query');
}

/** A timestamp-query timer when the device has the feature (and `forceWall` is off), else a wall-clock one. */
export function createTimer(ctx: GpuContext, forceWall = false): GpuTimer {
  return hasTimestamps(ctx) && !forceWall ? new TimestampTimer(ctx) : new WallTimer(ctx);
}

class WallTimer implements GpuTimer {
  readonly method = 'wall' as const;
  constructor(private readonly ctx: GpuContext) {}
  async time(submit: () => Promise<unknown>): Promise<number> {
    const queue = this.ctx.device.queue;
    await queue.onSubmittedWorkDone(); // start from an idle queue
    const t0 = performance.now();
    const done = submit();
    await queue.onSubmittedWorkDone();
    const ms = performance.now() - t0;
    await done;
    return ms;
  }
  dispose(): void {}
}

class TimestampTimer implements GpuTimer {
  readonly method = 'timestamp-query' as const;
  private readonly querySet: GPUQuerySet;
  private readonly resolve: GPUBuffer;
  private readonly readback: GPUBuffer;

  constructor(private readonly ctx: GpuContext) {
    const device = ctx.device;
    this.querySet = device.createQuerySet({ type: 'timestamp', count: 2, label: 'bench-timestamps' });
    this.resolve = device.createBuffer({
      size: 16,
      usage: QUERY_RESOLVE | COPY_SRC,
      label: 'bench-timestamps-resolve',
    });
    this.readback = device.createBuffer({ size: 16, usage: MAP_READ | COPY_DST, label: 'bench-timestamps-read' });
  }

  async time(submit: () => Promise<unknown>): Promise<number> {
    const device = this.ctx.device;
    const queue = device.queue;
    // The Pass API records its own encoder, so the timestamps go into empty passes of their own,
    // submitted right before and right after it on the same queue (queue order is execution order).
    const begin = device.createCommandEncoder();
    begin.beginComputePass({ timestampWrites: { querySet: this.querySet, beginningOfPassWriteIndex: 0 } }).end();
    queue.submit([begin.finish()]);
    const done = submit();
    const end = device.createCommandEncoder();
    end.beginComputePass({ timestampWrites: { querySet: this.querySet, endOfPassWriteIndex: 1 } }).end();
    end.resolveQuerySet(this.querySet, 0, 2, this.resolve, 0);
    end.copyBufferToBuffer(this.resolve, 0, this.readback, 0, 16);
    queue.submit([end.finish()]);
    await done;
    await this.readback.mapAsync(MAP_READ);
    const [t0, t1] = new BigUint64Array(this.readback.getMappedRange().slice(0));
    this.readback.unmap();
    this.ctx.check();
    if (t1 < t0) throw new Error('timestamp-query went backwards');
    // Equal timestamps (seen once on SwiftShader for a tiny case): less than one tick, so report one
    // nanosecond, the resolution, rather than a time of zero and infinite rates.
    return Math.max(Number(t1 - t0), 1) / 1e6;
  }

  dispose(): void {
    this.querySet.destroy();
    this.resolve.destroy();
    this.readback.destroy();
  }
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** Submit `reps` runs of the case in one pass, no readback. */
function submitRuns(ctx: GpuContext, inst: CaseInstance, reps: number): Promise<unknown> {
  const pass = ctx.pass();
  for (let r = 0; r < reps; r++) {
    const y = inst.record(pass);
    if (r < reps - 1) pass.free(y); // the next run reuses the same output buffer
  }
  return pass.run([]); // submits synchronously; resolves at once (nothing to read)
}

function emptyResult(c: BenchCase, method: TimingMethod): BenchResult {
  return {
    op: c.op,
    version: c.version,
    shape: c.shape,
    group: c.group,
    role: c.role,
    calls: c.calls,
    ...(c.chosenBy ? { chosen_by: [...c.chosenBy] } : {}),
    valid: false,
    max_abs_diff: null,
    tolerance: null,
    ms: null,
    ms_min: null,
    ms_max: null,
    samples: 0,
    reps: 0,
    method,
    flops: c.flops,
    bytes: c.bytes,
    gflops: null,
    gbps: null,
    peak_share: null,
  };
}

interface Prepared {
  c: BenchCase;
  result: BenchResult;
  inst: CaseInstance | null;
  reps: number;
  times: number[];
}

type Resolved = Required<Omit<HarnessOptions, 'onCase' | 'forceWall'>>;

function resolve(options: HarnessOptions): Resolved {
  return {
    warmup: 1,
    samples: 10,
    budgetMs: 4000,
    minSamples: 3,
    minSampleMs: 20,
    maxReps: 50,
    ...options,
  } as Resolved;
}

function fail(p: Prepared, e: unknown): void {
  p.result.valid = false;
  p.result.error = (e as Error)?.message ?? String(e);
  p.inst?.release();
  p.inst = null;
}

/** Set up, validate against the CPU reference (this run also compiles the pipelines), warm up, size the samples. */
async function prepare(ctx: GpuContext, c: BenchCase, timer: GpuTimer, o: Resolved): Promise<Prepared> {
  const p: Prepared = { c, result: emptyResult(c, timer.method), inst: null, reps: 0, times: [] };
  try {
    p.inst = c.setup(ctx);
    const pass = ctx.pass();
    const [out] = await pass.run([p.inst.record(pass)]);
    const check = p.inst.check(out);
    p.result.max_abs_diff = check.maxAbsDiff;
    p.result.tolerance = check.tolerance;
    if (!(check.maxAbsDiff <= check.tolerance)) {
      fail(
        p,
        new Error(
          `output differs from the CPU reference: max |diff| ${check.maxAbsDiff} > ${check.tolerance} over ${check.compared} values`,
        ),
      );
      return p;
    }
    let one = 0;
    for (let i = 0; i < Math.max(1, o.warmup); i++) one = await timer.time(() => submitRuns(ctx, p.inst!, 1));
    p.reps = Math.max(1, Math.min(o.maxReps, Math.ceil(o.minSampleMs / Math.max(one, 1e-3))));
  } catch (e) {
    fail(p, e);
  }
  return p;
}

async function sample(ctx: GpuContext, p: Prepared, timer: GpuTimer): Promise<void> {
  try {
    p.times.push((await timer.time(() => submitRuns(ctx, p.inst!, p.reps))) / p.reps);
  } catch (e) {
    fail(p, e);
    p.times = [];
  }
}

function finish(p: Prepared): BenchResult {
  p.inst?.release();
  p.inst = null;
  const { result, times, c } = p;
  if (!result.error && times.length) {
    const ms = median(times);
    Object.assign(result, {
      valid: true,
      ms,
      ms_min: Math.min(...times),
      ms_max: Math.max(...times),
      samples: times.length,
      reps: p.reps,
      gflops: c.flops ? c.flops / (ms * 1e6) : 0,
      gbps: c.bytes / (ms * 1e6),
    });
  }
  return result;
}

/**
 * Validate and time `cases` (versions of one op at one shape) together: each is validated and warmed
 * up, then their samples alternate (A B, B A, A B, ...) so a change of machine load during the
 * measurement hits every version alike. Never throws for a bad kernel: see `valid`/`error`.
 */
export async function runInterleaved(
  ctx: GpuContext,
  cases: readonly BenchCase[],
  timer: GpuTimer,
  options: HarnessOptions = {},
): Promise<BenchResult[]> {
  const o = resolve(options);
  const prepared: Prepared[] = [];
  try {
    for (const c of cases) prepared.push(await prepare(ctx, c, timer, o));
    const started = performance.now();
    for (let i = 0; i < o.samples; i++) {
      const live = prepared.filter((p) => p.inst);
      if (live.length === 0) break;
      for (const p of i % 2 ? live.reverse() : live) await sample(ctx, p, timer);
      if (i + 1 >= o.minSamples && performance.now() - started > o.budgetMs * live.length) break;
    }
    return prepared.map(finish);
  } finally {
    prepared.forEach((p) => p.inst?.release());
  }
}

/** Validate one case against its CPU reference, then time it. Never throws for a bad kernel: see `valid`/`error`. */
export async function runCase(
  ctx: GpuContext,
  c: BenchCase,
  timer: GpuTimer,
  options: HarnessOptions = {},
): Promise<BenchResult> {
  const [r] = await runInterleaved(ctx, [c], timer, options);
  return r;
}

export interface Peak {
  /** GFLOP/s of the FMA probe. */
  gflops: number;
  /** GB/s of the copy probe. */
  gbps: number;
}

/** Roofline share: the time the adapter's own peaks allow for this work, over the time it took. */
export function peakShare(r: Pick<BenchResult, 'flops' | 'bytes' | 'ms'>, peak: Peak): number | null {
  if (r.ms === null || !(r.ms > 0) || !(peak.gflops > 0) || !(peak.gbps > 0)) return null;
  const boundMs = Math.max(r.flops / (peak.gflops * 1e6), r.bytes / (peak.gbps * 1e6));
  return boundMs / r.ms;
}

/** The cases that differ only in version (same op, shape and place) are timed together, interleaved. */
function sameExceptVersion(a: BenchCase, b: BenchCase): boolean {
  return a.op === b.op && a.shape === b.shape && a.group === b.group && a.role === b.role && a.version !== b.version;
}

/** Run every case in order (one at a time: they share the GPU); versions of one op at one shape interleaved. */
export async function runCases(
  ctx: GpuContext,
  cases: readonly BenchCase[],
  options: HarnessOptions = {},
  peak?: Peak,
): Promise<BenchResult[]> {
  const timer = createTimer(ctx, options.forceWall);
  try {
    const results: BenchResult[] = [];
    for (let i = 0; i < cases.length; ) {
      let j = i + 1;
      while (j < cases.length && cases.slice(i, j).every((c) => sameExceptVersion(c, cases[j]))) j++;
      for (let k = i; k < j; k++) options.onCase?.(cases[k], k, cases.length);
      for (const r of await runInterleaved(ctx, cases.slice(i, j), timer, options)) {
        if (peak) r.peak_share = peakShare(r, peak);
        results.push(r);
      }
      i = j;
    }
    return results;
  } finally {
    timer.dispose();
  }
}

// ---- helpers for case builders ---------------------------------------------------------------

/** Deterministic uniform values in [-scale, scale) (mulberry32); the tests draw theirs from here too. */
export function rand(n: number, seed = 1, scale = 1): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1) * scale;
  }
  return out;
}

/** Up to `max` row indices of `total`, evenly spread, first and last included. */
export function sampleRows(total: number, max: number): number[] {
  const n = Math.max(1, Math.min(total, Math.floor(max)));
  if (n >= total) return Array.from({ length: total }, (_, i) => i);
  if (n === 1) return [total - 1];
  return Array.from({ length: n }, (_, i) => Math.round((i * (total - 1)) / (n - 1)));
}

/** Rows `rows` (each `width` long) of `a`, packed. */
export function pickRows(a: Float32Array, width: number, rows: readonly number[]): Float32Array {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => out.set(a.subarray(r * width, (r + 1) * width), i * width));
  return out;
}

/** Max |a - b| (NaN counts as infinite). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

/** Compare sampled rows of a row-major output with the reference computed for those rows only. */
export function checkRows(
  out: Float32Array,
  width: number,
  rows: readonly number[],
  expected: Float32Array,
  tolerance: number,
): Check {
  return { maxAbsDiff: maxAbsDiff(pickRows(out, width, rows), expected), tolerance, compared: expected.length };
}
