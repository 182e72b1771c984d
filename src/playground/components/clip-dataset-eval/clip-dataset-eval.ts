/** <clip-dataset-eval>: zero-shot accuracy on a labelled folder dropped on the page. */
import { LitElement, css, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { evaluateEmbedded, type Evaluation } from '../../../model/bias/evaluate.ts';
import { EmbeddingCache, embedImages, type EmbeddedImage, type EncodeProgress } from '../../../model/bias/images.ts';
import { countOf, evaluationCsv, evaluationJson } from '../../../model/bias/format.ts';
import type { ImageItem } from '../../../model/bias/images.ts';
import type { ClipModel } from '../../../model/clip.ts';
import { ClipError } from '../../../errors.ts';
import { DEFAULT_TEMPLATE, IMAGENET_TEMPLATES } from '../../../model/templates.ts';
import { emit, isShippedModel } from '../../shared-model.ts';
import { PresetFollower, WORLD_PRESETS, type WorldPreset } from '../../world-presets.ts';
import { download } from '../shared/download.ts';
import { byPath, filesFromDrop, filesFromList, type PickedFile } from '../shared/dropped-files.ts';
import { errorDetail, reloadOffer, type ElementError } from '../shared/element-error.ts';
import { classesFromFiles } from '../shared/image-folders.ts';
import { LatestRequest } from '../shared/latest-request.ts';
import { presetButtons } from '../shared/preset-buttons.ts';
import { SharedModelController } from '../shared/model-controller.ts';
import { reportStyles } from '../shared/report.styles.ts';
import { tokens } from '../shared/theme.ts';
import { WORLD_LABELS, type WorldLabel } from '../../../model/bias/world.ts';
import { probeJson, shiftsJson } from '../../../model/probe/format.ts';
import { chartStyles, kShotChart, shiftChart } from './figure-charts.ts';
import { worldFigures, type WorldFigures } from './world-figures.ts';
import { evaluateWorldFolders, hasWorlds } from './world-folders.ts';

export type DatasetEvalError = ElementError;

/** Detail of `clip-dataset-evaluated`. */
export interface DatasetEvaluatedDetail {
  /** The `clip-webgpu eval --json` document. */
  result: Record<string, unknown>;
  templates: number;
  /** Images the vision tower has encoded for this element so far (a re-score adds none). */
  encodedImages: number;
  ms: number;
}

/** Detail of `clip-dataset-figures`: the documents of `clip-webgpu eval --shifts all --probe … --json`. */
export interface DatasetFiguresDetail {
  label: WorldLabel;
  /** Accuracy on the clean world ("none") and each shift. */
  shifts: Record<string, unknown>[];
  /** Zero-shot vs the linear probe, with the k-shot table (null for dropped world folders). */
  probe: Record<string, unknown> | null;
  ms: number;
}

/**
 * Zero-shot accuracy on a dropped folder with one sub-folder per class (the folder name is the label):
 * top-1 (with its 95% interval) and top-5 accuracy, per-class accuracy and a confusion-matrix heatmap
 * (rows = truth), one template or the 80-template ensemble, CSV/JSON export (the documents of
 * `clip-webgpu eval --csv` / `--json`). Images are encoded once: switching the template or the
 * ensemble only re-scores. An "Encoding images n/N" bar shows while it encodes.
 *
 * World figures (the CLIP paper's two, on the procedural world generated in the page): zero-shot
 * accuracy on the clean single-object world and on each distribution shift as a bar chart, and
 * zero-shot vs a linear probe (logistic regression on the same image embeddings, fitted on our
 * kernels) with its k-shot curve (1, 2, 4, 8, 16 images per class and all, 3 draws each). World
 * folders written by `clip-webgpu world` (each with its truth.json) can be chosen instead: a bar each.
 *
 * @summary Zero-shot accuracy on a labelled folder: top-1, top-5, per class, confusion matrix.
 *
 * @fires {CustomEvent<EncodeProgress>} clip-dataset-progress - Images encoded so far: `{ done, total, cached }`.
 * @fires {CustomEvent<DatasetEvaluatedDetail>} clip-dataset-evaluated - The evaluation of the current data and prompt (`result` is the CLI's JSON document).
 * @fires {CustomEvent<DatasetFiguresDetail>} clip-dataset-figures - The world figures are drawn (the CLI's `--shifts` and `--probe` JSON).
 * @fires {CustomEvent<ElementError>} clip-error - Something went wrong.
 * @fires {CustomEvent<{}>} clip-model-reload - "Reload the model" was pressed after a GPU failure: the page's loader loads the model again.
 *
 * @csspart base - The element's layout.
 * @csspart drop-zone - Where the folder is dropped.
 * @csspart add-folder - The Choose folder button.
 * @csspart presets - The row of world presets (shapes, colours): their template and ensemble.
 * @csspart summary - What the dropped folder holds.
 * @csspart template - The template input.
 * @csspart progress - The encoding progress bar.
 * @csspart error - The error message.
 * @csspart reload-button - After a GPU failure (device lost): loads the model again.
 * @csspart accuracy - The top-1 and top-k figures.
 * @csspart top1 - The top-1 accuracy.
 * @csspart topk - The top-5 accuracy.
 * @csspart per-class - The per-class table.
 * @csspart confusion - The confusion matrix.
 * @csspart cell - One cell of the confusion matrix.
 * @csspart export-csv - The Export CSV button.
 * @csspart export-json - The Export JSON button.
 * @csspart figures - The world figures' panel.
 * @csspart run-figures - The Draw figures button.
 * @csspart add-worlds - The Choose world folders button.
 * @csspart figures-progress - What the figures are computing now.
 * @csspart shift-chart - The accuracy-per-shift bar chart (SVG).
 * @csspart kshot-chart - The k-shot curve with the zero-shot line (SVG).
 *
 * @cssprop --clip-accent - Buttons, bars and the heatmap's shade (every element reads the same `--clip-*` tokens, see Conventions).
 */
export class ClipDatasetEval extends LitElement {
  static override styles = [
    tokens,
    reportStyles,
    chartStyles,
    css`
    .summary { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: baseline; }
    .big { font-size: 1.6rem; font-weight: 650; font-variant-numeric: tabular-nums; }
    .acc-bar { display: inline-block; height: 0.55rem; border-radius: 3px; background: var(--_accent); vertical-align: middle; }
    .matrix-scroll { overflow-x: auto; }
    .matrix { border-collapse: collapse; font-size: 0.8rem; font-variant-numeric: tabular-nums; }
    .matrix th { font-weight: 500; color: var(--_muted); padding: 0.25rem 0.4rem; white-space: nowrap; }
    .matrix th.truth { text-align: right; max-width: 14rem; overflow: hidden; text-overflow: ellipsis; }
    .matrix td { width: 2.4rem; height: 2.1rem; text-align: center; border: 1px solid var(--_border); }
    .matrix td.diag { outline: 2px solid color-mix(in srgb, var(--_success) 60%, transparent); outline-offset: -2px; }
    .axis-note { font-size: 0.8rem; color: var(--_muted); }
    .figure-controls { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: end; }
    .figure-controls label { display: flex; flex-direction: column; gap: 0.2rem; font-size: 0.8rem; color: var(--_muted); }
    .figure-controls input { width: 5.5rem; }
    .figure-grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; margin-top: 0.75rem; }
    .figure-grid figure { margin: 0; }
    .figure-grid h4 { margin: 0 0 0.25rem; font-size: 0.9rem; font-weight: 600; }
  `,
  ];

  /** The model; by default the one any clip-model-loader on the page publishes. */
  @property({ attribute: false }) model: ClipModel | null = null;
  /** The prompt template, "{}" marks the class name (default `a photo of a {}.`; used unless `ensemble`). */
  @property() template: string = DEFAULT_TEMPLATE;
  /** Average `ensembleTemplates` (the 80 ImageNet templates of the CLIP paper) instead of one template. */
  @property({ type: Boolean, reflect: true }) ensemble = false;
  /** The templates of the ensemble (default: the CLIP paper's 80 ImageNet ones; a world preset sets its own). */
  @property({ attribute: false }) ensembleTemplates: readonly string[] = IMAGENET_TEMPLATES;
  /** The current evaluation, or null. */
  @property({ attribute: false }) result: Evaluation | null = null;
  /** `{ code, message }` of the last failure, or null. */
  @property({ attribute: false }) error: DatasetEvalError | null = null;
  /** Images are being encoded or scored. */
  @property({ type: Boolean, reflect: true }) busy = false;
  @state() private progress: EncodeProgress | null = null;
  @state() private data: { name: string; classes: string[]; items: ImageItem[]; skipped: string[] } | null = null;
  @state() private dragging = false;
  /** The world figures' classes: each scene's object by shape or by colour. */
  @property({ attribute: 'world-label' }) worldLabel: WorldLabel = 'shape';
  /** Test scenes of the generated world (single objects), per shift. */
  @property({ type: Number, attribute: 'world-scenes' }) worldScenes = 100;
  /** Training scenes for the linear probe (a second world, seed + 1). */
  @property({ type: Number, attribute: 'train-scenes' }) trainScenes = 200;
  /** The test world's seed (the training world's is one more). */
  @property({ type: Number, attribute: 'world-seed' }) worldSeed = 1;
  /** The last world figures, or null. */
  @property({ attribute: false }) figures: WorldFigures | null = null;
  @state() private figuresStep = '';
  private figuresAbort: AbortController | null = null;
  private figuresRun = 0;

  /** Images the vision tower encoded for this element (cached ones not counted). */
  encodedImages = 0;

  private readonly cache = new EmbeddingCache();
  private readonly request = new LatestRequest(this, (e) => {
    this.progress = null;
    this.result = null;
    this.showError(e);
  });
  private embedded: EmbeddedImage[] | null = null;
  private abort: AbortController | null = null;
  private templateTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly presets = new PresetFollower();

  constructor() {
    super();
    new SharedModelController(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // Stop encoding; the aborted request is stale, so its abort error is not shown.
    this.request.cancel();
    this.abort?.abort();
    this.figuresAbort?.abort();
  }

  /**
   * Generates the world (`worldScenes` test and `trainScenes` training scenes, `worldSeed`) and draws
   * both figures; a later call or a new model replaces a run in progress.
   */
  async drawFigures(): Promise<void> {
    await this.figureRun(async (model, signal, onStep) =>
      worldFigures(model, {
        label: this.worldLabel,
        testScenes: this.worldScenes,
        trainScenes: this.trainScenes,
        seed: this.worldSeed,
        cache: this.cache,
        signal,
        onStep,
      }),
    );
  }

  /**
   * Evaluates world folders written by `clip-webgpu world` ("world/truth.json", "world/images/…", or
   * several such folders under one): a bar per folder, by the shift its truth.json names.
   */
  async setWorldFiles(files: FileList | readonly File[] | readonly PickedFile[]): Promise<void> {
    const picked = [...files].map((f) => (f instanceof File ? filesFromList([f])[0] : f));
    if (!hasWorlds(picked))
      return this.showError(new ClipError('input', 'No truth.json: choose folders written by "clip-webgpu world".'));
    const label = this.worldLabel;
    await this.figureRun(async (model, signal, onStep) => {
      onStep('Evaluating the world folders');
      const shifts = await evaluateWorldFolders(model, picked, label, { cache: this.cache, batchSize: 8, signal });
      return { label, shifts, probe: null };
    });
  }

  /** Runs one figures computation; a later one (or a new model) makes it stale. */
  private async figureRun(
    work: (model: ClipModel, signal: AbortSignal, onStep: (text: string) => void) => Promise<WorldFigures>,
  ): Promise<void> {
    const model = this.model;
    this.figuresAbort?.abort();
    const run = ++this.figuresRun;
    this.figures = null;
    if (!model) return this.showError(new ClipError('input', 'Load a model to draw the world figures.'));
    const abort = (this.figuresAbort = new AbortController());
    const t0 = performance.now();
    this.figuresStep = 'Generating the world';
    try {
      const figures = await work(model, abort.signal, (text) => {
        if (run === this.figuresRun) this.figuresStep = text;
      });
      if (run !== this.figuresRun) return;
      this.figures = figures;
      this.error = null;
      emit<DatasetFiguresDetail>(this, 'clip-dataset-figures', {
        label: figures.label,
        shifts: shiftsJson(figures.shifts),
        probe: figures.probe && probeJson(figures.probe),
        ms: performance.now() - t0,
      });
    } catch (e) {
      if (run === this.figuresRun && !abort.signal.aborted) this.showError(e);
    } finally {
      if (run === this.figuresRun) this.figuresStep = '';
    }
  }

  /** The templates in use: one, or the ensemble. */
  get templates(): readonly string[] {
    return this.ensemble ? this.ensembleTemplates : [this.template];
  }

  /** The template and ensemble of a world preset (class folders named by shape or colour), or null for the CLIP defaults. */
  usePreset(preset: WorldPreset | null): void {
    this.template = preset?.template ?? DEFAULT_TEMPLATE;
    this.ensembleTemplates = preset?.ensemble ?? IMAGENET_TEMPLATES;
  }

  /** Evaluates these files: "root/class/image.png" paths (a dropped or picked folder), or File objects with webkitRelativePath. */
  setFiles(files: FileList | readonly File[] | readonly PickedFile[], name = 'dataset'): void {
    const picked = [...files].map((f) => (f instanceof File ? filesFromList([f])[0] : f));
    const d = classesFromFiles(picked);
    if (d.items.length === 0) {
      this.showError(
        new ClipError(
          'input',
          'No class folders with .png/.jpg/.jpeg images: drop a folder that holds one sub-folder of images per class.',
        ),
      );
      return;
    }
    const top = picked[0]?.path.split('/')[0];
    this.data = { name: top && picked.every((f) => f.path.startsWith(`${top}/`)) ? top : name, ...d };
    this.error = null;
  }

  /** The `clip-webgpu eval --json` document of the current result, or null. */
  get json(): Record<string, unknown> | null {
    return this.result && evaluationJson(this.result);
  }

  /** The per-image CSV of the current result, or null. */
  get csv(): string | null {
    return this.result && evaluationCsv(this.result);
  }

  /** Resolves once the current data is evaluated (or the error is shown). */
  settled(): Promise<void> {
    return this.request.settled();
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('model')) {
      const untouched = [DEFAULT_TEMPLATE, ...Object.values(WORLD_PRESETS).map((p) => p.template)].includes(
        this.template,
      );
      const next = this.presets.next(isShippedModel(this.model), untouched);
      if (next) this.usePreset(next === 'defaults' ? null : next);
    }
    const images = changed.has('model') || changed.has('data');
    if (images) this.embedded = null;
    if (changed.has('model') && this.figuresRun) {
      this.figuresAbort?.abort();
      this.figuresRun++;
      this.figures = null;
      this.figuresStep = '';
    }
    if (['model', 'data', 'template', 'ensemble', 'ensembleTemplates'].some((k) => changed.has(k))) this.run(images);
  }

  private showError(e: unknown): void {
    this.error = errorDetail(e);
    emit(this, 'clip-error', this.error);
  }

  /** Queues encoding (when the images changed) and scoring; `images`: stop encoding the old images. */
  private run(images: boolean): void {
    const model = this.model,
      data = this.data,
      templates = this.templates;
    // The old request's abort error arrives after this call has made it stale: it is never shown.
    if (images) this.abort?.abort();
    if (!model || !data) {
      this.request.cancel();
      this.result = null;
      this.progress = null;
      return;
    }
    if (images || !this.abort) this.abort = new AbortController();
    const abort = this.abort;
    this.request.run(async (current) => {
      const t0 = performance.now();
      if (!this.embedded) {
        let last: EncodeProgress | null = null;
        const embedded = await embedImages(model, data.items, {
          cache: this.cache,
          batchSize: 8,
          signal: abort.signal,
          onProgress: (p) => {
            last = p;
            this.progress = p;
            emit(this, 'clip-dataset-progress', p);
          },
        });
        const l = last as EncodeProgress | null;
        if (l) this.encodedImages += l.done - l.cached;
        if (this.data === data && this.model === model) this.embedded = embedded;
        if (!current()) return;
      }
      this.progress = null;
      const result = await evaluateEmbedded(model, this.embedded!, { classes: data.classes, templates });
      if (!current()) return;
      this.result = result;
      this.error = null;
      emit<DatasetEvaluatedDetail>(this, 'clip-dataset-evaluated', {
        result: evaluationJson(result),
        templates: templates.length,
        encodedImages: this.encodedImages,
        ms: performance.now() - t0,
      });
    });
  }

  private onPick(e: Event): void {
    const input = e.target as HTMLInputElement;
    const picked = filesFromList(input.files ?? []);
    input.value = '';
    if (picked.length) this.setFiles(picked);
  }

  private onDrop(e: DragEvent): void {
    e.preventDefault();
    this.dragging = false;
    if (!e.dataTransfer) return;
    // Folders in the order the CLI lists them.
    void filesFromDrop(e.dataTransfer).then((picked) => picked.length && this.setFiles(picked.sort(byPath)));
  }

  private onTemplateInput(e: Event): void {
    const value = (e.target as HTMLInputElement).value;
    clearTimeout(this.templateTimer);
    this.templateTimer = setTimeout(() => {
      if (!value.includes('{}'))
        return this.showError(
          new ClipError('input', 'The template needs {} where the class name goes, e.g. "a photo of a {}."'),
        );
      this.error = null;
      this.template = value;
    }, 300);
  }

  private exportFile(kind: 'csv' | 'json'): void {
    if (!this.result) return;
    if (kind === 'csv') download('evaluation.csv', evaluationCsv(this.result), 'text/csv');
    else download('evaluation.json', JSON.stringify(evaluationJson(this.result), null, 2) + '\n', 'application/json');
  }

  override render() {
    const d = this.data;
    return html`
      <div part="base" class="layout">
        <section class="panel" aria-labelledby="data-title">
          <h3 id="data-title">Dataset</h3>
          <div part="drop-zone" class="drop ${this.dragging ? 'dragging' : ''}"
            @dragover=${(e: DragEvent) => {
              e.preventDefault();
              this.dragging = true;
            }}
            @dragleave=${() => (this.dragging = false)} @drop=${this.onDrop}>
            <span><strong>Drop a folder</strong> with one sub-folder of images per class (the folder name is the label)</span>
            <div class="row"><button part="add-folder" type="button" @click=${() => this.renderRoot.querySelector<HTMLInputElement>('#folder')!.click()}>Choose folder…</button></div>
          </div>
          <input id="folder" type="file" webkitdirectory multiple hidden @change=${this.onPick}>
          ${d ? html`<p part="summary" class="small">${d.name}: ${countOf(d.items.length, 'image')} in ${countOf(d.classes.length, 'class', 'classes')}${d.skipped.length ? html` <span class="muted">(skipped ${d.skipped.length} other files)</span>` : nothing}</p>` : nothing}
        </section>
        <section class="panel" aria-labelledby="prompt-title">
          <h3 id="prompt-title">Prompt</h3>
          <label class="row"><input type="radio" name="mode" .checked=${!this.ensemble} @change=${() => (this.ensemble = false)}> One template</label>
          <input part="template" class="template" aria-label="Template" .value=${this.template} ?disabled=${this.ensemble} spellcheck="false" @input=${this.onTemplateInput}>
          <label class="row"><input type="radio" name="mode" .checked=${this.ensemble} @change=${() => (this.ensemble = true)}> ${this.ensembleTemplates.length}-template ensemble <span class="muted small">${
            this.ensembleTemplates === IMAGENET_TEMPLATES ? '(CLIP paper, ImageNet)' : '(the world’s phrasings)'
          }</span></label>
          ${presetButtons((p) => this.usePreset(p))}
        </section>
        <section class="panel results" aria-labelledby="acc-title" aria-live="polite">
          <h3 id="acc-title">Accuracy ${this.busy ? html`<span class="spinner" aria-label="working"></span>` : nothing}
            <span class="spacer"></span>
            <button part="export-csv" type="button" ?disabled=${!this.result} @click=${() => this.exportFile('csv')}>Export CSV</button>
            <button part="export-json" type="button" ?disabled=${!this.result} @click=${() => this.exportFile('json')}>Export JSON</button>
          </h3>
          ${
            this.progress
              ? html`
            <div part="progress" class="progress" role="progressbar" aria-valuemin="0" aria-valuemax=${this.progress.total} aria-valuenow=${this.progress.done}>
              <div class="progress-bar" style="width:${(100 * this.progress.done) / Math.max(1, this.progress.total)}%"></div>
              <span class="progress-text">Encoding images ${this.progress.done}/${this.progress.total}${this.progress.cached ? ` (${this.progress.cached} cached)` : ''}</span>
            </div>`
              : nothing
          }
          ${this.error ? html`<div part="error" class="error" role="alert">${this.error.message}${reloadOffer(this.error, this)}</div>` : nothing}
          ${this.renderResult()}
        </section>
        ${this.renderFigures()}
      </div>`;
  }

  private numberInput(label: string, value: number, set: (v: number) => void, min = 1) {
    return html`<label>${label}<input type="number" min=${min} .value=${String(value)}
      @change=${(e: Event) => {
        const v = Number((e.target as HTMLInputElement).value);
        if (Number.isInteger(v) && v >= min) set(v);
      }}></label>`;
  }

  private renderFigures() {
    const f = this.figures;
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    return html`
      <section part="figures" class="panel results" aria-labelledby="figures-title" aria-live="polite">
        <h3 id="figures-title">World figures ${this.figuresStep ? html`<span class="spinner" aria-label="working"></span>` : nothing}</h3>
        <p class="small muted">Generated in the page: single-object scenes of the procedural world, clean and under each shift, and a linear probe on the same image embeddings.</p>
        <div class="figure-controls">
          <label>Classes<select aria-label="Classes" .value=${this.worldLabel}
            @change=${(e: Event) => (this.worldLabel = (e.target as HTMLSelectElement).value as WorldLabel)}>
            ${WORLD_LABELS.map((l) => html`<option value=${l} ?selected=${l === this.worldLabel}>${l}</option>`)}
          </select></label>
          ${this.numberInput('Test scenes', this.worldScenes, (v) => (this.worldScenes = v))}
          ${this.numberInput('Training scenes', this.trainScenes, (v) => (this.trainScenes = v))}
          ${this.numberInput('Seed', this.worldSeed, (v) => (this.worldSeed = v), 0)}
          <button part="run-figures" class="primary" type="button" ?disabled=${!this.model} @click=${() => void this.drawFigures()}>Draw figures</button>
          <button part="add-worlds" type="button" ?disabled=${!this.model} title="Folders written by clip-webgpu world (truth.json): a bar each"
            @click=${() => this.renderRoot.querySelector<HTMLInputElement>('#worlds')!.click()}>Choose world folders…</button>
          <input id="worlds" type="file" webkitdirectory multiple hidden @change=${(e: Event) => {
            const input = e.target as HTMLInputElement;
            const picked = filesFromList(input.files ?? []);
            input.value = '';
            if (picked.length) void this.setWorldFiles(picked);
          }}>
        </div>
        ${this.figuresStep ? html`<p part="figures-progress" class="small muted" role="status">${this.figuresStep}…</p>` : nothing}
        ${
          f
            ? html`<div class="figure-grid">
              <figure>
                <h4>Zero-shot accuracy per shift <span class="muted small">(${f.label}, "${f.shifts[0].evaluation.templates[0]}")</span></h4>
                ${shiftChart(f.shifts.map(({ shift, evaluation: e }) => ({ shift, accuracy: e.accuracy, ci: e.accuracyCi, n: e.n })))}
              </figure>
              ${
                f.probe
                  ? html`<figure>
                <h4>Zero-shot vs linear probe <span class="muted small">(probe on all ${f.probe.trainImages}: ${pct(f.probe.probe)}; zero-shot ${pct(f.probe.zeroShot)})</span></h4>
                ${kShotChart(f.probe.kShot, f.probe.zeroShot)}
              </figure>`
                  : nothing
              }
            </div>`
            : nothing
        }
      </section>`;
  }

  private renderResult() {
    if (!this.model) return html`<p class="empty muted">Load a model to evaluate a dataset.</p>`;
    if (!this.data) return html`<p class="empty muted">Drop a labelled folder.</p>`;
    const e = this.result;
    if (!e) return nothing;
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    const top1 = Math.round(e.accuracy * e.n);
    return html`
      <div part="accuracy" class="summary">
        <div><div class="muted small">Top-1</div><div class="big" part="top1">${pct(e.accuracy)}</div>
          <div class="muted small">${top1}/${e.n} · 95% CI ${pct(e.accuracyCi[0])}–${pct(e.accuracyCi[1])}</div></div>
        <div><div class="muted small">Top-${e.topK}</div><div class="big" part="topk">${pct(e.topKAccuracy)}</div></div>
      </div>
      <table part="per-class" class="table">
        <thead><tr><th>#</th><th>Class</th><th class="num">n</th><th class="num">Correct</th><th>Accuracy</th></tr></thead>
        <tbody>${e.perClass.map(
          (c, i) => html`
          <tr><td class="num">${i + 1}</td><th scope="row">${c.name}</th><td class="num">${c.n}</td><td class="num">${c.correct}</td>
            <td>${c.n ? html`<span class="acc-bar" style="width:${5 * c.accuracy}rem"></span> ${pct(c.accuracy)}` : '—'}</td></tr>`,
        )}
        </tbody>
      </table>
      <p class="axis-note">Confusion matrix: rows are the true class, columns the predicted class (by #); shade = share of the row.</p>
      <div class="matrix-scroll">
        <table part="confusion" class="matrix">
          <thead><tr><th></th>${e.classes.map((c, j) => html`<th scope="col" title=${c}>${j + 1}</th>`)}</tr></thead>
          <tbody>${e.confusion.map((row, i) => {
            const total = row.reduce((a, b) => a + b, 0);
            return html`<tr><th scope="row" class="truth" title=${e.classes[i]}>${i + 1} ${e.classes[i]}</th>
              ${row.map((v, j) => {
                const share = total ? v / total : 0;
                return html`<td part="cell" class=${i === j ? 'diag' : ''} data-count=${v}
                  title=${`${e.classes[i]} → ${e.classes[j]}: ${v}${total ? ` (${pct(share)})` : ''}`}
                  style="background:color-mix(in srgb, var(--_accent) ${Math.round(share * 85)}%, transparent);color:${share > 0.55 ? 'var(--_on-accent)' : 'inherit'}">${v}</td>`;
              })}</tr>`;
          })}</tbody>
        </table>
      </div>`;
  }
}

if (!customElements.get('clip-dataset-eval')) customElements.define('clip-dataset-eval', ClipDatasetEval);

declare global {
  interface HTMLElementTagNameMap {
    'clip-dataset-eval': ClipDatasetEval;
  }
}
