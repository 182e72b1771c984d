/**
 * The benchmark document (`clip-webgpu bench --json`, the page) and its tables, shared by the CLI
 * and the page so both say the same thing.
 */
import type { AdapterSummary } from '../kernels/runtime.ts';
import type { BenchResult, Peak, TimingMethod } from './harness.ts';
import type { E2eResult } from './e2e.ts';
import type { MapTime } from './maps.ts';

export interface BenchReport {
  adapter: AdapterSummary & { timing: TimingMethod; peak: Peak | null };
  /** Where and when: Node or browser version, date, machine load. */
  environment: Record<string, string | number | null>;
  kernels: BenchResult[];
  peak: { gflops: number; gbps: number; fma: BenchResult; copy: BenchResult } | null;
  /** Estimated forward time per tower shape from the kernel times x calls per pass (best version per role). */
  breakdown: Breakdown[];
  e2e: Omit<E2eResult, 'inputs'> | null;
  peer: PeerSummary | null;
  /** With --maps: the time per map of each explanation and segmentation method (bench/maps.ts). */
  maps?: MapTime[] | null;
  /** Things the reader should know (skipped parts, extrapolations, ops with unbenchmarked versions). */
  notes: string[];
}

/** onnxruntime-web's providers the peer runs (bench/peer-ort.ts, a dev-only module outside src/). */
export type PeerProvider = 'webgpu' | 'wasm';

/** One provider's results from bench/peer-ort.ts (defined here so the report never imports bench/). */
export interface PeerResult {
  provider: PeerProvider;
  /** Session creation for both models, ms (includes the first graph optimization). */
  session_ms: number;
  image_ms: number;
  image_batch: number;
  image_batch_ms: number | null;
  text_batch: number;
  /** Median ms of one text batch. */
  text_ms: number;
  /** Positions per prompt the peer ran (the batch's longest prompt). */
  text_tokens: number;
  text_prompts_per_s: number;
  samples: number;
  /** Max |ours - peer| on the batch-1 image embedding and on the text batch's embeddings. */
  image_max_abs_diff: number;
  text_max_abs_diff: number;
  /**
   * Batch-1 image encodes of ours and the peer timed in pairs, call by call, in alternating order:
   * a ratio that a change of machine speed during the run moves far less than image_ms / e2e image_ms.
   * Present when the caller handed the peer our encode.
   */
  interleaved?: InterleavedImage;
}

export interface InterleavedImage {
  pairs: number;
  /** Medians over the pairs, ms. */
  ours_ms: number;
  peer_ms: number;
  /** Median of the pairs' ours / peer ratios. */
  ratio: number;
}

export interface PeerSummary {
  /** onnxruntime-web's WebGPU provider (what transformers.js runs): batch-1 image encode, ms. */
  image_ms: number | null;
  /** Its text batch encode, ms (batch size in webgpu.text_batch). */
  text_ms: number | null;
  webgpu: PeerResult | { error: string } | null;
  wasm: PeerResult | { error: string } | null;
  description: Record<string, string>;
}

export interface Breakdown {
  group: string;
  /** Sum over roles of calls x ms. */
  ms: number;
  parts: { role: string; op: string; version: string; calls: number; ms: number; share: number }[];
}

export function breakdown(results: readonly BenchResult[]): Breakdown[] {
  const groups = new Map<string, Map<string, BenchResult>>();
  for (const r of results) {
    if (!r.group || !r.role || !r.valid || r.ms === null) continue;
    const roles = groups.get(r.group) ?? new Map<string, BenchResult>();
    groups.set(r.group, roles);
    const best = roles.get(r.role);
    if (!best || r.ms < best.ms!) roles.set(r.role, r);
  }
  return [...groups].map(([group, roles]) => {
    const parts = [...roles.values()].map((r) => ({
      role: r.role!,
      op: r.op,
      version: r.version,
      calls: r.calls ?? 1,
      ms: (r.calls ?? 1) * r.ms!,
      share: 0,
    }));
    const ms = parts.reduce((s, p) => s + p.ms, 0);
    parts.forEach((p) => (p.share = ms > 0 ? p.ms / ms : 0));
    parts.sort((a, b) => b.ms - a.ms);
    return { group, ms, parts };
  });
}

// ---- formatting --------------------------------------------------------------------------------

export function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1000) return x.toFixed(0);
  return Number(x.toPrecision(digits)).toString();
}

export function pct(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  return `${(x * 100).toPrecision(2)}%`;
}

/** Rows (header first) of the kernel table. */
export function kernelRows(results: readonly BenchResult[]): string[][] {
  const rows = [
    ['op', 'version', 'shape', 'where', 'ms', 'GFLOP/s', 'GB/s', 'of peak', 'samples', 'max |diff|', 'chosen by'],
  ];
  for (const r of results) {
    rows.push([
      r.op,
      r.version,
      r.shape,
      [r.group, r.role].filter(Boolean).join(' '),
      r.valid ? fmt(r.ms) : 'INVALID',
      r.valid ? fmt(r.gflops) : '–',
      r.valid ? fmt(r.gbps) : '–',
      pct(r.peak_share),
      r.valid ? `${r.samples}x${r.reps}` : (r.error ?? '').slice(0, 60),
      r.max_abs_diff === null ? '–' : r.max_abs_diff.toExponential(1),
      chosenBy(r),
    ]);
  }
  return rows;
}

/** Which adapter kinds run this version ('bench only' when none does; '' for single-version ops). */
export function chosenBy(r: Pick<BenchResult, 'chosen_by'>): string {
  if (!r.chosen_by) return '';
  return r.chosen_by.length ? r.chosen_by.join(', ') : 'bench only';
}

export function breakdownRows(b: Breakdown): string[][] {
  return [
    ['role', 'op', 'version', 'calls', 'ms (calls x ms)', 'share'],
    ...b.parts.map((p) => [p.role, p.op, p.version, String(p.calls), fmt(p.ms), pct(p.share)]),
  ];
}

/** Rows of the time-per-map table: one per explanation and segmentation method. */
export function mapRows(maps: readonly MapTime[]): string[][] {
  return [
    ['task', 'method', 'ms per map (median)', 'samples'],
    ...maps.map((m) => [
      m.task,
      m.method,
      m.ms === null ? `failed: ${(m.error ?? '').slice(0, 80)}` : fmt(m.ms),
      String(m.samples),
    ]),
  ];
}

/** Rows of the end-to-end comparison: ours, the peer's WebGPU and WASM providers. */
export function e2eRows(report: Pick<BenchReport, 'e2e' | 'peer'>): string[][] {
  const e = report.e2e;
  const rows = [
    [
      'engine',
      'image, batch 1 (ms)',
      'image batch (ms)',
      'text batch (ms)',
      'prompts/s',
      'max |diff| vs ours (image / text)',
    ],
  ];
  if (e) {
    rows.push([
      'clip-webgpu (ours)',
      fmt(e.image_ms),
      e.image_batch_ms === null ? '–' : `${fmt(e.image_batch_ms)} (${e.image_batch})`,
      `${fmt(e.text_ms)} (${e.text_batch})`,
      fmt(e.text_prompts_per_s),
      '–',
    ]);
  }
  for (const key of ['webgpu', 'wasm'] as const) {
    const p = report.peer?.[key];
    if (!p) continue;
    if ('error' in p) {
      rows.push([`onnxruntime-web ${key}`, `failed: ${p.error.slice(0, 80)}`, '', '', '', '']);
      continue;
    }
    rows.push([
      `onnxruntime-web ${key}`,
      fmt(p.image_ms),
      p.image_batch_ms === null ? '–' : `${fmt(p.image_batch_ms)} (${p.image_batch})`,
      `${fmt(p.text_ms)} (${p.text_batch})`,
      fmt(p.text_prompts_per_s),
      `${p.image_max_abs_diff.toExponential(1)} / ${p.text_max_abs_diff.toExponential(1)}`,
    ]);
  }
  return rows;
}

/** One line per peer provider whose batch-1 image encodes were timed in turn with ours. */
export function interleavedLines(report: Pick<BenchReport, 'peer'>): string[] {
  const out: string[] = [];
  for (const key of ['webgpu', 'wasm'] as const) {
    const p = report.peer?.[key];
    const i = p && !('error' in p) ? p.interleaved : undefined;
    if (i)
      out.push(
        `Image batch 1, ours and onnxruntime-web ${key} in turn (${i.pairs} pairs): ours ${fmt(i.ours_ms)} ms, ` +
          `${key} ${fmt(i.peer_ms)} ms, ratio ${i.ratio.toFixed(2)} (median of the pairs' ratios)`,
      );
  }
  return out;
}

export function markdownTable(rows: readonly (readonly string[])[]): string {
  const esc = (s: string) => s.replaceAll('|', '\\|');
  const [head, ...body] = rows;
  return (
    [
      `| ${head.map(esc).join(' | ')} |`,
      `|${head.map(() => '---').join('|')}|`,
      ...body.map((r) => `| ${r.map(esc).join(' | ')} |`),
    ].join('\n') + '\n'
  );
}

/** The whole report as Markdown (what BENCHMARKS.md records). */
export function markdownReport(r: BenchReport): string {
  const out: string[] = [];
  const env = Object.entries(r.environment)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  out.push(
    `Adapter: ${r.adapter.description} [${r.adapter.backend}${r.adapter.isCpu ? ', CPU' : ''}], timing: ${r.adapter.timing}; ${env}\n`,
  );
  if (r.peak) out.push(`Probed peak: ${fmt(r.peak.gflops)} GFLOP/s (FMA), ${fmt(r.peak.gbps)} GB/s (copy)\n`);
  out.push('\n' + markdownTable(kernelRows(r.kernels)));
  for (const b of r.breakdown)
    out.push(`\nEstimated forward pass ${b.group}: ${fmt(b.ms)} ms\n\n` + markdownTable(breakdownRows(b)));
  if (r.e2e || r.peer) out.push('\n' + markdownTable(e2eRows(r)));
  for (const line of interleavedLines(r)) out.push(`\n${line}\n`);
  if (r.maps?.length) out.push('\n' + markdownTable(mapRows(r.maps)));
  if (r.notes.length) out.push('\n' + r.notes.map((n) => `- ${n}`).join('\n') + '\n');
  return out.join('');
}
