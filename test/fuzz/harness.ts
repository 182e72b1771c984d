/**
 * A small, seeded fuzz runner for the loaders. Each case is a function that must end in a result or
 * in one ClipError: anything else thrown is a crash, a case past the time limit is a hang, and a
 * promise rejected with no handler while a class runs is counted too. Counts per class come back
 * for the test to assert on and for `npm run fuzz` to print.
 */
import { isClipError } from '../../src/errors.ts';
import { rand } from '../../src/bench/harness.ts';

/** Deterministic random numbers (the bench harness's mulberry32 stream, drawn in blocks). */
export class Rng {
  private block: Float32Array = new Float32Array(0);
  private at = 0;
  private blocks = 0;
  constructor(private readonly seed: number) {}

  /** Uniform in [0, 1). */
  next(): number {
    if (this.at >= this.block.length) {
      this.block = rand(4096, (this.seed * 1_000_003 + this.blocks++ * 7919) >>> 0);
      this.at = 0;
    }
    return (this.block[this.at++] + 1) / 2;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.min(n - 1, Math.floor(this.next() * n));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }
}

export interface FuzzCase {
  /** What was done to the input, for the report of a crash. */
  label: string;
  run(): unknown;
}

export type CaseGenerator = (rng: Rng, index: number) => FuzzCase;

export interface ClassCounts {
  cases: number;
  results: number;
  /** ClipErrors by code. */
  errors: Record<string, number>;
  crashes: { label: string; error: string }[];
  hangs: string[];
  unhandledRejections: string[];
  /** Longest case, in milliseconds. */
  slowestMs: number;
}

export interface RunOptions {
  cases: number;
  seed: number;
  /** Per-case limit: a case still running after it is a hang. */
  timeoutMs: number;
}

export async function runFuzzClass(
  generate: CaseGenerator,
  { cases, seed, timeoutMs }: RunOptions,
): Promise<ClassCounts> {
  const counts: ClassCounts = {
    cases: 0,
    results: 0,
    errors: {},
    crashes: [],
    hangs: [],
    unhandledRejections: [],
    slowestMs: 0,
  };
  const onRejection = (reason: unknown) => counts.unhandledRejections.push(describe(reason));
  process.on('unhandledRejection', onRejection);
  try {
    const rng = new Rng(seed);
    for (let i = 0; i < cases; i++) {
      const c = generate(rng, i);
      counts.cases++;
      if (VERBOSE) process.stderr.write(`fuzz case ${i}: ${c.label}\n`);
      const t0 = performance.now();
      let timer: ReturnType<typeof setTimeout> | undefined;
      const hang = new Promise<'hang'>((resolve) => {
        timer = setTimeout(() => resolve('hang'), timeoutMs);
      });
      try {
        const outcome = await Promise.race([Promise.resolve().then(() => c.run()), hang]);
        // A synchronous case cannot be interrupted: one that ran past the limit is a hang all the same.
        if (outcome === 'hang' || performance.now() - t0 > timeoutMs) counts.hangs.push(c.label);
        else counts.results++;
      } catch (e) {
        if (performance.now() - t0 > timeoutMs) counts.hangs.push(c.label);
        else if (isClipError(e)) counts.errors[e.code] = (counts.errors[e.code] ?? 0) + 1;
        else counts.crashes.push({ label: c.label, error: describe(e) });
      } finally {
        clearTimeout(timer);
        counts.slowestMs = Math.max(counts.slowestMs, performance.now() - t0);
      }
    }
    await new Promise((r) => setTimeout(r, 10)); // let late rejections surface
  } finally {
    process.off('unhandledRejection', onRejection);
  }
  return counts;
}

function describe(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`.slice(0, 300);
  return String(e).slice(0, 300);
}

/**
 * Cases per class for this run: FUZZ_CASES (the long mode) shared out in proportion to the small
 * default run (slow classes, such as whole tokenizers, get fewer), summing exactly to FUZZ_CASES;
 * else the small default.
 */
export function casesPerClass(small: readonly number[]): number[] {
  const total = Number(process.env.FUZZ_CASES);
  if (!(Number.isFinite(total) && total > 0)) return [...small];
  const all = small.reduce((a, b) => a + b, 0);
  let before = 0;
  return small.map((k) => {
    const from = Math.round((total * before) / all);
    before += k;
    return Math.round((total * before) / all) - from;
  });
}

/** Per-test limit: the long mode runs for many minutes. */
export const LONG_MODE = Number(process.env.FUZZ_CASES) > 0;

/** FUZZ_VERBOSE=1 names each case before it runs (to find one that kills the process). */
const VERBOSE = !!process.env.FUZZ_VERBOSE;

export const FUZZ_SEED = Number(process.env.FUZZ_SEED) || 20241202;
