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

/**
 * Zero-shot accuracy on a dropped folder with one sub-folder per class (the folder name is the label):
 * top-1 (with its 95% interval) and top-5 accuracy, per-class accuracy and a confusion-matrix heatmap
 * (rows = truth), one template or the 80-template ensemble, CSV/JSON export (the documents of
 * `clip-webgpu eval --csv` / `--json`). Images are encoded once: switching the template or the
 * ensemble only re-scores. An "Encoding images n/N" bar shows while it encodes.
 *
 * @summary Zero-shot accuracy on a labelled folder: top-1, top-5, per class, confusion matrix.
 *
 * @fires {CustomEvent<EncodeProgress>} clip-dataset-progress - Images encoded so far: `{ done, total, cached }`.
 * @fires {CustomEvent<DatasetEvaluatedDetail>} clip-dataset-evaluated - The evaluation of the current data and prompt (`result` is the CLI's JSON document).
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
 *
 * @cssprop --clip-accent - Buttons, bars and the heatmap's shade (every element reads the same `--clip-*` tokens, see Conventions).
 */
export class ClipDatasetEval extends LitElement {
  static override styles = [
    tokens,
    reportStyles,
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
      </div>`;
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
