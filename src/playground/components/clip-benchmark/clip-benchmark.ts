/**
 * <clip-benchmark>: the kernel benchmark of `clip-webgpu bench` in the playground. Every version of
 * every kernel, on the tower shapes chosen (B/32 batch-1 vision and text by default), is checked
 * against its CPU reference and timed on the loaded model's own GPU device (no second device); the
 * FMA and copy probes give this adapter's roofline. Shows the kernel table (fastest version per op
 * highlighted), a bar chart of the share of peak, the per-tower breakdown and, with a model, the
 * end-to-end encode times; exports the report as JSON and Markdown (the CLI's documents).
 *
 * onnxruntime-web stays out of the playground: the side-by-side comparison is bench/bench.html.
 */
import { LitElement, html, nothing } from 'lit';
import { e2eChart, kernelChart, type BarChartLayout } from '../../../bench/chart.ts';
import { measureE2e } from '../../../bench/e2e.ts';
import { breakdownRows, e2eRows, fmt, kernelRows, markdownReport, type BenchReport } from '../../../bench/report.ts';
import { QUICK_HARNESS, addE2e, bestVersions, runKernelBench } from '../../../bench/run.ts';
import { QUICK_SHAPE_IDS, SHAPES, TINY_SHAPES, selectShapes } from '../../../bench/shapes.ts';
import { requestBrowserContext } from '../../../kernels/device.ts';
import type { GpuContext } from '../../../kernels/runtime.ts';
import type { ClipModel } from '../../../model/clip.ts';
import { currentModel, emit, onModelReady } from '../../shared-model.ts';
import { download } from '../clip-bias-probe/image-files.ts';
import { errorDetail } from '../shared/image-input.ts';
import { benchmarkStyles } from './clip-benchmark.styles.ts';

export type BenchPhase = 'peak' | 'kernels' | 'e2e';

/** Detail of `clip-bench-progress`. */
export interface BenchProgress {
  phase: BenchPhase;
  message: string;
  /** Steps done and in all, within the phase. */
  done: number;
  total: number;
}

export interface BenchmarkError { code: string; message: string }

const listAttribute = {
  fromAttribute: (v: string | null) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean),
  toAttribute: (v: string[]) => v.join(','),
};

class Stopped extends Error {}

interface Charts { kernels: SVGSVGElement; e2e: SVGSVGElement | null }
/** Width of the stacked charts on narrow screens (px). */
const NARROW_CHART = 320;
const SHAPE_LABELS = new Map([...SHAPES, ...TINY_SHAPES].map((s) => [s.id, s.label]));

export class ClipBenchmark extends LitElement {
  static override properties = {
    model: { attribute: false },
    shapes: { converter: listAttribute },
    samples: { type: Number, reflect: true },
    imageBatch: { type: Number, attribute: 'image-batch' },
    textBatch: { type: Number, attribute: 'text-batch' },
    noE2e: { type: Boolean, attribute: 'no-e2e' },
    peerPage: { type: String, attribute: 'peer-page' },
    report: { attribute: false },
    error: { attribute: false },
    running: { type: Boolean, reflect: true },
    progress: { state: true },
    notice: { state: true },
  };
  static override styles = benchmarkStyles;

  /** The model whose device runs the benchmark (and whose encodes are timed); by default the shared one. */
  declare model: ClipModel | null;
  /** Tower shape ids of bench/shapes.ts (default: B/32 vision and text, batch 1). */
  declare shapes: string[];
  /** Timed samples per kernel case and per end-to-end measurement (default 3). */
  declare samples: number;
  /** Images in the end-to-end throughput batch (default 4; 0 or 1 skips it). */
  declare imageBatch: number;
  /** Prompts per end-to-end text batch (default 8). */
  declare textBatch: number;
  /** Kernels only, even with a model. */
  declare noE2e: boolean;
  /** The standalone page with the onnxruntime-web comparison (default `bench/bench.html`). */
  declare peerPage: string;
  /** The last finished report (also `clip-bench-done`'s detail), or null. */
  declare report: BenchReport | null;
  declare error: BenchmarkError | null;
  declare running: boolean;
  declare progress: BenchProgress | null;
  declare notice: string;

  private stopRequested = false;
  private charts: { report: BenchReport; wide: Charts; narrow: Charts } | null = null;
  private unsubscribe: (() => void) | undefined;

  constructor() {
    super();
    this.model = null;
    this.shapes = [...QUICK_SHAPE_IDS];
    this.samples = 3;
    this.imageBatch = 4;
    this.textBatch = 8;
    this.noE2e = false;
    this.peerPage = 'bench/bench.html';
    this.report = null;
    this.error = null;
    this.running = false;
    this.progress = null;
    this.notice = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.model ??= currentModel();
    this.unsubscribe = onModelReady((d) => (this.model = d.model));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unsubscribe?.();
  }

  /** The report as Markdown (what BENCHMARKS.md records), or '' before a run. */
  get markdown(): string {
    return this.report ? markdownReport(this.report) : '';
  }

  get json(): string {
    return this.report ? JSON.stringify(this.report, null, 1) + '\n' : '';
  }

  /** Stops after the kernel case (or encode) in progress. */
  stop(): void {
    if (this.running) this.stopRequested = true;
  }

  /**
   * Runs the benchmark: end-to-end encodes first when a model is there (so its memory figures are
   * the model's own), then the peak probes and every kernel case. Resolves with the report, or null
   * when stopped or failed (the failure is shown and sent as `clip-error`).
   */
  async run(): Promise<BenchReport | null> {
    if (this.running) return null;
    const model = this.model;
    this.running = true;
    this.stopRequested = false;
    this.error = null;
    this.notice = '';
    let ctx: GpuContext | null = null;
    let owned = false;
    try {
      const shapes = selectShapes(this.shapes);
      const samples = Math.max(1, Math.round(this.samples) || 1);
      const e2eSamples = this.e2eSamples(model, samples);
      let e2e: Awaited<ReturnType<typeof measureE2e>> | null = null;
      if (model && e2eSamples) {
        let step = 0;
        e2e = await measureE2e(model, {
          samples, imageBatch: this.imageBatch, textBatch: this.textBatch,
          onStep: (m) => this.progressed({ phase: 'e2e', message: `End to end: ${m}`, done: step++, total: e2eSamples }),
        });
      }
      if (model) ctx = model.gpu;
      else {
        this.progressed({ phase: 'peak', message: 'Requesting the WebGPU adapter', done: 0, total: 1 });
        ctx = await requestBrowserContext();
        owned = true;
      }
      const report = await runKernelBench(ctx, shapes, {
        harness: { ...QUICK_HARNESS, samples, minSamples: Math.min(3, samples) },
        environment: {
          runtime: navigator.userAgent, date: new Date().toISOString(), cores: navigator.hardwareConcurrency ?? null,
          page: 'playground <clip-benchmark>', model: model?.name ?? null,
        },
        onStatus: (m, i, n) => this.progressed(i === undefined
          ? { phase: 'peak', message: capitalize(m), done: 0, total: 1 }
          : { phase: 'kernels', message: capitalize(m), done: i, total: n ?? 1 }),
      });
      if (e2e) addE2e(report, e2e);
      else report.notes.push(model ? 'end-to-end encodes not measured (turned off)' : 'end-to-end encodes not measured: no model loaded');
      report.notes.push('onnxruntime-web side by side: bench/bench.html (the playground loads no other ML runtime)');
      this.report = report;
      emit(this, 'clip-bench-done', report);
      return report;
    } catch (e) {
      if (e instanceof Stopped) this.notice = 'Stopped.';
      else this.showError(e);
      return null;
    } finally {
      if (owned && ctx) {
        ctx.destroy();
        ctx.device.destroy();
      }
      this.running = false;
      this.progress = null;
    }
  }

  /** Steps measureE2e reports (warm-up + samples per measurement), or 0 when it does not run. */
  private e2eSamples(model: ClipModel | null, samples: number): number {
    if (!model || this.noE2e) return 0;
    return (1 + samples) * (this.imageBatch > 1 ? 3 : 2);
  }

  private progressed(p: BenchProgress): void {
    if (this.stopRequested) throw new Stopped('stopped');
    this.progress = p;
    emit(this, 'clip-bench-progress', p);
  }

  private showError(e: unknown): void {
    this.error = errorDetail(e);
    emit(this, 'clip-error', this.error);
  }

  private toggleShape(id: string, on: boolean): void {
    const set = new Set(this.shapes);
    if (on) set.add(id);
    else set.delete(id);
    this.shapes = [...SHAPES, ...TINY_SHAPES].map((s) => s.id).filter((x) => set.has(x));
  }

  private async copy(kind: 'json' | 'markdown'): Promise<void> {
    try {
      await navigator.clipboard.writeText(kind === 'json' ? this.json : this.markdown);
      this.notice = `Copied the ${kind === 'json' ? 'JSON' : 'Markdown'} report.`;
    } catch {
      this.notice = 'The clipboard refused: use Download instead.';
    }
  }

  private save(kind: 'json' | 'markdown'): void {
    if (!this.report) return;
    if (kind === 'json') download('clip-webgpu-bench.json', this.json, 'application/json');
    else download('clip-webgpu-bench.md', this.markdown, 'text/markdown');
  }

  /** Each chart twice: label column on wide screens, labels above the bars on narrow ones (CSS shows one). */
  private chartsOf(r: BenchReport) {
    if (this.charts?.report !== r) {
      const make = (layout: BarChartLayout = {}): Charts => ({ kernels: kernelChart(r.kernels, layout), e2e: e2eChart(r, layout) });
      this.charts = { report: r, wide: make(), narrow: make({ stacked: NARROW_CHART }) };
    }
    return this.charts;
  }

  private renderChart(which: 'kernels' | 'e2e', part: string) {
    const c = this.chartsOf(this.report!);
    if (!c.wide[which]) return nothing;
    return html`<div class="chart" part=${part}><div class="scroll chart-wide">${c.wide[which]}</div><div class="chart-narrow">${c.narrow[which]}</div></div>`;
  }

  override render() {
    return html`<div part="base" class="layout">${this.renderControls()}${this.report ? this.renderReport(this.report) : nothing}</div>`;
  }

  private renderControls() {
    const chosen = new Set(this.shapes);
    const p = this.progress;
    const peerHref = `${this.peerPage}?shapes=${encodeURIComponent(this.shapes.join(','))}`;
    return html`
      <section class="panel controls" part="controls">
        <h3>Kernel benchmark</h3>
        <fieldset part="shapes">
          <legend>Shapes</legend>
          <div class="shapes">
            ${[...SHAPES, ...TINY_SHAPES].map((s) => html`
              <label><input type="checkbox" name="shape" value=${s.id} .checked=${chosen.has(s.id)} ?disabled=${this.running}
                @change=${(e: Event) => this.toggleShape(s.id, (e.target as HTMLInputElement).checked)}>
                <span>${s.label}</span></label>`)}
          </div>
        </fieldset>
        <fieldset part="options">
          <legend>Samples and end to end</legend>
          <div class="numbers">
            <label>samples <input part="samples" type="number" min="1" max="50" .value=${String(this.samples)} ?disabled=${this.running}
              @change=${(e: Event) => (this.samples = Math.max(1, Number((e.target as HTMLInputElement).value) || 1))}></label>
            <label>image batch <input part="image-batch" type="number" min="0" max="256" .value=${String(this.imageBatch)} ?disabled=${this.running || !this.model}
              @change=${(e: Event) => (this.imageBatch = Math.max(0, Number((e.target as HTMLInputElement).value) || 0))}></label>
            <label>prompts <input part="text-batch" type="number" min="1" max="1000" .value=${String(this.textBatch)} ?disabled=${this.running || !this.model}
              @change=${(e: Event) => (this.textBatch = Math.max(1, Number((e.target as HTMLInputElement).value) || 1))}></label>
          </div>
          <label class="check"><input part="e2e" type="checkbox" .checked=${!this.noE2e && !!this.model} ?disabled=${this.running || !this.model}
            @change=${(e: Event) => (this.noE2e = !(e.target as HTMLInputElement).checked)}>
            <span>End-to-end encodes ${this.model ? html`of <strong>${this.model.name}</strong>` : html`<span class="muted">(load a model)</span>`}</span></label>
        </fieldset>
        <div class="actions">
          ${this.running
            ? html`<button part="stop-button" type="button" @click=${() => this.stop()}>Stop</button>`
            : html`<button part="run-button" class="primary" type="button" ?disabled=${this.shapes.length === 0} @click=${() => void this.run()}>Run benchmark</button>`}
          <a part="peer-link" href=${peerHref} target="_blank" rel="noopener">Side by side with onnxruntime-web ↗</a>
        </div>
        ${p ? html`
          <div class="progress" part="progress" role="progressbar" aria-valuemin="0" aria-valuemax=${p.total} aria-valuenow=${p.done}>
            <div class="progress-bar" style="width:${(100 * p.done) / Math.max(1, p.total)}%"></div>
            <span class="progress-text" part="status">${p.message}</span>
          </div>` : nothing}
        ${this.error ? html`<div class="error" part="error" role="alert"><strong>The benchmark failed</strong>${this.error.message}</div>` : nothing}
        <p class="hint muted">
          Each version is checked against its CPU reference, then timed (median; GPU time from timestamp-query when the
          adapter has it). ${this.model ? 'It runs on the loaded model’s GPU device: other tabs’ work meanwhile disturbs the timings.' : 'Without a model it borrows the adapter for the run.'}
        </p>
      </section>`;
  }

  private renderReport(r: BenchReport) {
    const best = bestVersions(r.kernels);
    const [head, ...rows] = kernelRows(r.kernels);
    const valid = r.kernels.filter((k) => k.valid).length;
    return html`
      <section class="panel" part="summary">
        <h3>Adapter <span class="spacer"></span>
          <span class="exports">
            <button part="copy-json" type="button" @click=${() => void this.copy('json')}>Copy JSON</button>
            <button part="copy-markdown" type="button" @click=${() => void this.copy('markdown')}>Copy Markdown</button>
            <button part="export-json" type="button" @click=${() => this.save('json')}>Download JSON</button>
            <button part="export-markdown" type="button" @click=${() => this.save('markdown')}>Download Markdown</button>
          </span>
        </h3>
        ${this.notice ? html`<p class="hint" role="status">${this.notice}</p>` : nothing}
        <dl class="facts">
          <dt>Adapter</dt><dd>${r.adapter.description} [${r.adapter.backend}${r.adapter.isCpu ? ', CPU' : ''}]</dd>
          <dt>Timing</dt><dd>${r.adapter.timing}</dd>
          ${r.peak ? html`<dt>Probed peak</dt><dd>${fmt(r.peak.gflops)} GFLOP/s (FMA), ${fmt(r.peak.gbps)} GB/s (copy)</dd>` : nothing}
          <dt>Kernel cases</dt><dd>${valid}/${r.kernels.length} valid</dd>
        </dl>
      </section>
      <section class="panel" part="kernels">
        <h3>Kernels</h3>
        ${this.renderChart('kernels', 'chart')}
        <div class="scroll">
          <table class="table" part="table">
            <thead><tr>${head.map((h) => html`<th>${h}</th>`)}</tr></thead>
            <tbody>${rows.map((row, i) => html`
              <tr part="row${best.has(r.kernels[i]) ? ' row-best' : ''}" class=${best.has(r.kernels[i]) ? 'best' : ''}
                data-valid=${r.kernels[i].valid ? 'true' : 'false'}>
                ${row.map((c, j) => html`<td class=${c === 'INVALID' ? 'bad' : j >= 4 ? 'num' : ''}>${c}</td>`)}
              </tr>`)}
            </tbody>
          </table>
        </div>
      </section>
      ${r.breakdown.length ? html`
        <div class="towers" part="breakdown">
          ${r.breakdown.map((b) => {
            const [bh, ...brows] = breakdownRows(b);
            return html`
              <section class="panel" part="tower">
                <h3>Forward pass <span class="small">${SHAPE_LABELS.get(b.group) ?? b.group}: ≈ ${fmt(b.ms)} ms (calls × the fastest version)</span></h3>
                <div class="scroll">
                  <table class="table">
                    <thead><tr>${bh.map((h) => html`<th>${h}</th>`)}</tr></thead>
                    <tbody>${brows.map((row, i) => html`<tr>${row.map((c, j) => html`<td class=${j >= 3 ? 'num' : ''}>${j === 5
                      ? html`<span class="share" style="width:${(4 * b.parts[i].share).toFixed(2)}rem"></span>${c}` : c}</td>`)}</tr>`)}
                    </tbody>
                  </table>
                </div>
              </section>`;
          })}
        </div>` : nothing}
      ${r.e2e ? html`
        <section class="panel" part="e2e">
          <h3>End to end <span class="small">${r.environment.model ?? ''}</span></h3>
          ${this.renderChart('e2e', 'e2e-chart')}
          <dl class="facts">
            <dt>Image, batch 1</dt><dd>${fmt(r.e2e.image_ms)} ms</dd>
            ${r.e2e.image_batch_ms !== null ? html`<dt>Images, batch ${r.e2e.image_batch}</dt><dd>${fmt(r.e2e.image_batch_ms)} ms (${fmt(r.e2e.images_per_s)} images/s)</dd>` : nothing}
            <dt>Text, ${r.e2e.text_batch} prompts</dt><dd>${fmt(r.e2e.text_ms)} ms (${fmt(r.e2e.text_prompts_per_s)} prompts/s)</dd>
            <dt>GPU memory</dt><dd>${fmt(r.e2e.gpu_bytes_peak / 2 ** 20)} MiB (weights ${fmt(r.e2e.weights_bytes / 2 ** 20)} MiB)</dd>
          </dl>
          <div class="scroll">
            <table class="table" part="e2e-table">
              ${e2eRows(r).map((row, i) => html`<tr>${row.map((c, j) => (i === 0 ? html`<th>${c}</th>` : html`<td class=${j >= 1 ? 'num' : ''}>${c}</td>`))}</tr>`)}
            </table>
          </div>
        </section>` : nothing}
      ${r.notes.length ? html`<ul class="notes" part="notes">${r.notes.map((n) => html`<li>${n}</li>`)}</ul>` : nothing}`;
  }
}

function capitalize(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

if (!customElements.get('clip-benchmark')) customElements.define('clip-benchmark', ClipBenchmark);

declare global {
  interface HTMLElementTagNameMap { 'clip-benchmark': ClipBenchmark }
}
