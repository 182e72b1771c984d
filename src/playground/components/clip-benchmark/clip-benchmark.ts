/** <clip-benchmark>: the kernel benchmark of `clip-webgpu bench` in the playground, on the loaded model's device. */
import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { e2eChart, kernelChart, type BarChartLayout } from '../../../bench/chart.ts';
import { measureE2e } from '../../../bench/e2e.ts';
import { breakdownRows, e2eRows, fmt, kernelRows, markdownReport, type BenchReport } from '../../../bench/report.ts';
import { QUICK_HARNESS, addE2e, bestVersions, runKernelBench } from '../../../bench/run.ts';
import { towerCases } from '../../../bench/cases.ts';
import { QUICK_SHAPE_IDS, SHAPES, TINY_SHAPES, selectShapes } from '../../../bench/shapes.ts';
import { formatDuration } from '../../format.ts';
import { ClipError } from '../../../errors.ts';
import type { ClipModel } from '../../../model/clip.ts';
import { emit } from '../../shared-model.ts';
import { listAttribute } from '../shared/attributes.ts';
import { download } from '../shared/download.ts';
import { errorDetail, reloadOffer, type ElementError } from '../shared/element-error.ts';
import { SharedModelController } from '../shared/model-controller.ts';
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

export type BenchmarkError = ElementError;

class Stopped extends Error {}

interface Charts {
  kernels: SVGSVGElement;
  e2e: SVGSVGElement | null;
}
/** Width of the stacked charts on narrow screens (px). */
const NARROW_CHART = 320;
const SHAPE_LABELS = new Map([...SHAPES, ...TINY_SHAPES].map((s) => [s.id, s.label]));

/**
 * The kernel benchmark of `clip-webgpu bench` as a tab: pick tower shapes (ViT-B/32 batch-1 vision and
 * text by default; B/16, L/14, larger batches and two tiny smoke shapes on request) and the number of
 * samples, press *Run benchmark*. Every version of every kernel is first checked against its CPU
 * reference (a wrong one shows as `INVALID` and is never timed), then timed (median; GPU time from
 * `timestamp-query` when the adapter has it, else wall time); the FMA and copy probes give this
 * adapter's own peak. It runs **on the loaded model's GPU device**: the element hands the model's
 * context to the benchmark API and holds no GPU object itself, so it needs a loaded model; it first
 * times the model's end-to-end encodes (image batch 1, a small image batch, a batch of prompts:
 * prompts/s). Results: the adapter and its probed peak, a bar chart of each case's share of that peak
 * (colour = version; labels above the bars on narrow screens), the kernel table (op, version, shape,
 * place, ms, GFLOP/s, GB/s, share of peak, samples, max |diff|; the fastest version of each op at each
 * place is marked), the estimated forward pass per tower (calls × the fastest version) and the
 * end-to-end table. *Copy* / *Download* give the report as JSON (the CLI's `--json` document) and
 * Markdown (`--markdown`, what BENCHMARKS.md records). The playground loads no other ML runtime: the
 * side-by-side comparison with onnxruntime-web is the standalone `bench/bench.html` (linked from the
 * element; `npm run dev`). The harness, cases, shapes, report and charts come from the benchmark API,
 * shared with the CLI and that page.
 *
 * @summary Every version of every kernel, checked then timed on the loaded model's GPU device, with end-to-end encode times.
 *
 * @fires {CustomEvent<BenchProgress>} clip-bench-progress - `{ phase: 'e2e' | 'peak' | 'kernels', message, done, total }`.
 * @fires {CustomEvent<BenchReport>} clip-bench-done - The finished report (also `report`).
 * @fires {CustomEvent<ElementError>} clip-error - The run failed.
 * @fires {CustomEvent<{}>} clip-model-reload - "Reload the model" was pressed after a GPU failure: the page's loader loads the model again.
 *
 * @csspart base - The element's layout.
 * @csspart controls - The controls panel.
 * @csspart shapes - The shapes fieldset.
 * @csspart options - The samples and end-to-end fieldset.
 * @csspart samples - The samples input.
 * @csspart image-batch - The image batch input.
 * @csspart text-batch - The prompts input.
 * @csspart e2e - The end-to-end checkbox, and the end-to-end panel of the report.
 * @csspart run-button - The Run benchmark button.
 * @csspart stop-button - The Stop button.
 * @csspart quick-button - On CPU adapters: runs the tiny shapes only, one sample each.
 * @csspart estimate - Before a run: the number of kernel cases and how long they may take.
 * @csspart peer-link - The link to the onnxruntime-web comparison page.
 * @csspart progress - The progress bar.
 * @csspart status - The progress message.
 * @csspart error - The error message.
 * @csspart reload-button - After a GPU failure (device lost): loads the model again.
 * @csspart summary - The adapter panel.
 * @csspart copy-json - The Copy JSON button.
 * @csspart copy-markdown - The Copy Markdown button.
 * @csspart export-json - The Download JSON button.
 * @csspart export-markdown - The Download Markdown button.
 * @csspart kernels - The kernels panel.
 * @csspart chart - The kernels' share-of-peak chart.
 * @csspart table - The kernel table.
 * @csspart row - One kernel case (the fastest version of an op at a place is also `row-best`).
 * @csspart breakdown - The per-tower panel.
 * @csspart tower - One tower's table.
 * @csspart e2e-chart - The end-to-end chart.
 * @csspart e2e-table - The end-to-end table.
 * @csspart notes - The report's notes.
 *
 * @cssprop --clip-accent - Buttons, bars, focus rings (every element reads the same `--clip-*` tokens, see Conventions).
 */
export class ClipBenchmark extends LitElement {
  static override styles = benchmarkStyles;

  /** The model whose device runs the benchmark (and whose encodes are timed); by default the shared one. */
  @property({ attribute: false }) model: ClipModel | null = null;
  /** Tower shape ids of the benchmark's shapes, comma-separated (default `b32-vision-b1,b32-text-b1`: B/32 vision and text, batch 1). */
  @property({ converter: listAttribute(',', ',') }) shapes: string[] = [...QUICK_SHAPE_IDS];
  /** Timed samples per kernel case and per end-to-end measurement. */
  @property({ type: Number, reflect: true }) samples = 3;
  /** Images in the end-to-end throughput batch (0 or 1 skips it). */
  @property({ type: Number, attribute: 'image-batch' }) imageBatch = 4;
  /** Prompts per end-to-end text batch. */
  @property({ type: Number, attribute: 'text-batch' }) textBatch = 8;
  /** Kernels only: no end-to-end encodes. */
  @property({ type: Boolean, attribute: 'no-e2e' }) noE2e = false;
  /** URL of the standalone page with the onnxruntime-web comparison. */
  @property({ attribute: 'peer-page' }) peerPage = 'bench/bench.html';
  /** The last finished report (also `clip-bench-done`'s detail), or null. */
  @property({ attribute: false }) report: BenchReport | null = null;
  /** `{ code, message }` of the last failure, or null. */
  @property({ attribute: false }) error: BenchmarkError | null = null;
  /** A run is in progress. */
  @property({ type: Boolean, reflect: true }) running = false;
  @state() private progress: BenchProgress | null = null;
  @state() private notice = '';

  private stopRequested = false;
  private charts: { report: BenchReport; wide: Charts; narrow: Charts } | null = null;

  constructor() {
    super();
    new SharedModelController(this);
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('model') && this.error?.code === 'gpu') this.error = null; // reloaded after a lost device
  }

  /** The report as Markdown (what BENCHMARKS.md records), or '' before a run. */
  get markdown(): string {
    return this.report ? markdownReport(this.report) : '';
  }

  /** The report as JSON text (the CLI's `--json` document), or '' before a run. */
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
    try {
      if (!model)
        throw new ClipError('input', 'Load a model first: the benchmark runs on the loaded model’s GPU device.');
      const shapes = selectShapes(this.shapes);
      const samples = Math.max(1, Math.round(this.samples) || 1);
      const e2eSamples = this.e2eSamples(samples);
      let e2e: Awaited<ReturnType<typeof measureE2e>> | null = null;
      if (e2eSamples) {
        let step = 0;
        e2e = await measureE2e(model, {
          samples,
          imageBatch: this.imageBatch,
          textBatch: this.textBatch,
          onStep: (m) =>
            this.progressed({ phase: 'e2e', message: `End to end: ${m}`, done: step++, total: e2eSamples }),
        });
      }
      // The model's own device: the element passes its context to the benchmark API and never uses it.
      const report = await runKernelBench(model.gpu, shapes, {
        harness: { ...QUICK_HARNESS, samples, minSamples: Math.min(3, samples) },
        environment: {
          runtime: navigator.userAgent,
          date: new Date().toISOString(),
          cores: navigator.hardwareConcurrency ?? null,
          page: 'playground <clip-benchmark>',
          model: model.name,
        },
        onStatus: (m, i, n) =>
          this.progressed(
            i === undefined
              ? { phase: 'peak', message: capitalize(m), done: 0, total: 1 }
              : { phase: 'kernels', message: capitalize(m), done: i, total: n ?? 1 },
          ),
      });
      if (e2e) addE2e(report, e2e);
      else report.notes.push('end-to-end encodes not measured (turned off)');
      report.notes.push('onnxruntime-web side by side: bench/bench.html (the playground loads no other ML runtime)');
      this.report = report;
      emit(this, 'clip-bench-done', report);
      return report;
    } catch (e) {
      if (e instanceof Stopped) this.notice = 'Stopped.';
      else this.showError(e);
      return null;
    } finally {
      this.running = false;
      this.progress = null;
    }
  }

  /** Steps measureE2e reports (warm-up + samples per measurement), or 0 when it does not run. */
  private e2eSamples(samples: number): number {
    if (this.noE2e) return 0;
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
      const make = (layout: BarChartLayout = {}): Charts => ({
        kernels: kernelChart(r.kernels, layout),
        e2e: e2eChart(r, layout),
      });
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
            ${[...SHAPES, ...TINY_SHAPES].map(
              (s) => html`
              <label><input type="checkbox" name="shape" value=${s.id} .checked=${chosen.has(s.id)} ?disabled=${this.running}
                @change=${(e: Event) => this.toggleShape(s.id, (e.target as HTMLInputElement).checked)}>
                <span>${s.label}</span></label>`,
            )}
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
          ${
            this.running
              ? html`<button part="stop-button" type="button" @click=${() => this.stop()}>Stop</button>`
              : html`<button part="run-button" class="primary" type="button" ?disabled=${this.shapes.length === 0 || !this.model} @click=${() => void this.run()}>Run benchmark</button>`
          }
          ${
            !this.running &&
            this.model?.adapter.isCpu &&
            !sameShapes(
              this.shapes,
              TINY_SHAPES.map((s) => s.id),
            )
              ? html`<button part="quick-button" type="button" @click=${() => this.runQuick()}>Quick run: tiny shapes</button>`
              : nothing
          }
          <a part="peer-link" href=${peerHref} target="_blank" rel="noopener">Side by side with onnxruntime-web ↗</a>
        </div>
        ${this.renderEstimate()}
        ${this.notice && !this.report ? html`<p class="hint" role="status">${this.notice}</p>` : nothing /* no report to show it in */}
        ${
          p
            ? html`
          <div class="progress" part="progress" role="progressbar" aria-valuemin="0" aria-valuemax=${p.total} aria-valuenow=${p.done}>
            <div class="progress-bar" style="width:${(100 * p.done) / Math.max(1, p.total)}%"></div>
            <span class="progress-text" part="status">${p.message}</span>
          </div>`
            : nothing
        }
        ${this.error ? html`<div class="error" part="error" role="alert"><strong>The benchmark failed</strong>${this.error.message}${reloadOffer(this.error, this)}</div>` : nothing}
        <p class="hint muted">
          Each version is checked against its CPU reference, then timed (median; GPU time from timestamp-query when the
          adapter has it). ${this.model ? 'It runs on the loaded model’s GPU device: other tabs’ work meanwhile disturbs the timings.' : 'Load a model: the benchmark runs on its GPU device.'}
        </p>
      </section>`;
  }

  /** Before a run: how many cases and how long at most (a CPU adapter takes about the full budget per case). */
  private renderEstimate() {
    if (!this.model || this.running || this.shapes.length === 0) return nothing;
    const { cases, seconds } = benchmarkEstimate(this.model, this.shapes);
    const tiny = sameShapes(
      this.shapes,
      TINY_SHAPES.map((s) => s.id),
    );
    return html`<p class="hint" part="estimate">
      ${cases} kernel ${cases === 1 ? 'case' : 'cases'}, each timed for up to ${(QUICK_HARNESS.budgetMs ?? 1500) / 1000} s: roughly ${formatDuration(seconds)}${this.noE2e ? '' : ', plus the end-to-end encodes'}.
      ${
        this.model.adapter.isCpu && !tiny
          ? html`This adapter runs on the CPU, where a case of these shapes takes its full time budget: the quick run
            (tiny shapes, one sample each) checks and times every kernel version in a fraction of that.`
          : nothing
      }
    </p>`;
  }

  /** The tiny smoke shapes, one sample each: every kernel version checked and timed, soon, on CPU adapters. */
  private runQuick(): void {
    this.shapes = TINY_SHAPES.map((s) => s.id);
    this.samples = 1;
    void this.run();
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
            <tbody>${rows.map(
              (row, i) => html`
              <tr part="row${best.has(r.kernels[i]) ? ' row-best' : ''}" class=${best.has(r.kernels[i]) ? 'best' : ''}
                data-valid=${r.kernels[i].valid ? 'true' : 'false'}>
                ${row.map((c, j) => html`<td class=${c === 'INVALID' ? 'bad' : j >= 4 ? 'num' : ''}>${c}</td>`)}
              </tr>`,
            )}
            </tbody>
          </table>
        </div>
      </section>
      ${
        r.breakdown.length
          ? html`
        <div class="towers" part="breakdown">
          ${r.breakdown.map((b) => {
            const [bh, ...brows] = breakdownRows(b);
            return html`
              <section class="panel" part="tower">
                <h3>Forward pass <span class="small">${SHAPE_LABELS.get(b.group) ?? b.group}: ≈ ${fmt(b.ms)} ms (calls × the fastest version)</span></h3>
                <div class="scroll">
                  <table class="table">
                    <thead><tr>${bh.map((h) => html`<th>${h}</th>`)}</tr></thead>
                    <tbody>${brows.map(
                      (row, i) =>
                        html`<tr>${row.map(
                          (c, j) =>
                            html`<td class=${j >= 3 ? 'num' : ''}>${
                              j === 5
                                ? html`<span class="share" style="width:${(4 * b.parts[i].share).toFixed(2)}rem"></span>${c}`
                                : c
                            }</td>`,
                        )}</tr>`,
                    )}
                    </tbody>
                  </table>
                </div>
              </section>`;
          })}
        </div>`
          : nothing
      }
      ${
        r.e2e
          ? html`
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
        </section>`
          : nothing
      }
      ${r.notes.length ? html`<ul class="notes" part="notes">${r.notes.map((n) => html`<li>${n}</li>`)}</ul>` : nothing}`;
  }
}

/** Seconds the peak probes take at most (four probes, each within the harness's budget). */
const PEAK_SECONDS = (4 * (QUICK_HARNESS.budgetMs ?? 1500)) / 1000;

/**
 * How long a run of these shapes may take: each kernel case stops at the harness's time budget, so
 * the bound is cases × budget (CPU adapters reach it, GPUs finish well under it), plus the peak probes.
 */
export function benchmarkEstimate(model: ClipModel, shapeIds: readonly string[]): { cases: number; seconds: number } {
  const cases = selectShapes(shapeIds).reduce((n, s) => n + towerCases(s, model.adapter).length, 0);
  return { cases, seconds: PEAK_SECONDS + (cases * (QUICK_HARNESS.budgetMs ?? 1500)) / 1000 };
}

function sameShapes(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function capitalize(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

if (!customElements.get('clip-benchmark')) customElements.define('clip-benchmark', ClipBenchmark);

declare global {
  interface HTMLElementTagNameMap {
    'clip-benchmark': ClipBenchmark;
  }
}
