/** <clip-classifier>: zero-shot classification of one image over labels the user edits. */
import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ClipModel } from '../../../model/clip.ts';
import { ClipError } from '../../../errors.ts';
import type { ImageInput } from '../../../model/platform.ts';
import { DEFAULT_TEMPLATE, IMAGENET_TEMPLATES } from '../../../model/templates.ts';
import { formatPercent } from '../../format.ts';
import { SAMPLE_LABELS, defaultSamples, sampleCanvas, samplesFor, type SampleImage } from '../../samples.ts';
import { emit, isShippedModel } from '../../shared-model.ts';
import { PresetFollower, isPresetLabels, type WorldPreset } from '../../world-presets.ts';
import { listAttribute } from '../shared/attributes.ts';
import { errorDetail, reloadOffer, type ElementError } from '../shared/element-error.ts';
import { EmbeddingMemo } from '../shared/embedding-memo.ts';
import { ImageInputController } from '../shared/image-input.ts';
import { LatestRequest } from '../shared/latest-request.ts';
import { presetButtons } from '../shared/preset-buttons.ts';
import { SharedModelController } from '../shared/model-controller.ts';
import { imageFromInput, type ShownImage } from '../shared/shown-image.ts';
import { classifierStyles } from './clip-classifier.styles.ts';

/** Detail of `clip-classified` (also the `result` property). */
export interface ClassifierResult {
  labels: string[];
  /** Probability per label, in label order. */
  probs: number[];
  /** Labels by probability, highest first. */
  ranked: { label: string; prob: number }[];
  templates: number;
  /** Labels whose text embedding had to be computed for this result. */
  newTextEmbeddings: number;
  ms: number;
}

export type ClassifierError = ElementError;

/**
 * Zero-shot classification of one image over editable labels (one per line), with one template or the
 * 80-template ImageNet ensemble of the CLIP paper. With the shipped model (trained on the procedural
 * world) it starts with the world's colour preset (what that model knows) and scenes (presets: colours, shapes). The sorted bar chart follows every edit; text
 * embeddings are cached per model, label and template set, so adding a label encodes only that label.
 * Labels whose prompt would exceed CLIP's 77 tokens are reported by name (with a button to cut them)
 * instead of being cut silently. The image comes by drop, paste, file picker or one of the samples.
 *
 * @summary Zero-shot classification of one image over labels the user edits.
 *
 * @fires {CustomEvent<ClassifierResult>} clip-classified - A result for the current inputs (detail = `result`).
 * @fires {CustomEvent<{ name: string | null }>} clip-image-change - The shown image changed.
 * @fires {CustomEvent<ElementError>} clip-error - Something went wrong; a drop that is not an image keeps the current image and says why.
 * @fires {CustomEvent<{}>} clip-model-reload - "Reload the model" was pressed after a GPU failure: the page's loader loads the model again.
 *
 * @csspart base - The element's layout.
 * @csspart drop-zone - Where an image is dropped or clicked for.
 * @csspart image - The shown image.
 * @csspart samples - The row of sample images.
 * @csspart sample - One sample button.
 * @csspart labels - The labels textarea.
 * @csspart presets - The row of world presets (shapes, colours).
 * @csspart templates - The prompt fieldset.
 * @csspart template - The template input.
 * @csspart chart - The bar chart (a list).
 * @csspart row - One label's row of the chart.
 * @csspart bar-label - A row's label.
 * @csspart bar-track - A row's bar background.
 * @csspart bar - A row's bar.
 * @csspart bar-value - A row's probability.
 * @csspart error - The error message.
 * @csspart reload-button - After a GPU failure (device lost): loads the model again.
 *
 * @cssprop --clip-accent - Buttons, bars, focus rings (every element reads the same `--clip-*` tokens, see Conventions).
 */
export class ClipClassifier extends LitElement {
  static override styles = classifierStyles;

  /** The model to classify with; by default the one any clip-model-loader on the page publishes. */
  @property({ attribute: false }) model: ClipModel | null = null;
  /** The labels: a comma-separated attribute, or an array property (default: the samples' labels). */
  @property({ converter: listAttribute(',') }) labels: string[] = [...SAMPLE_LABELS];
  /** The prompt template, "{}" marks the label (default `a photo of a {}.`; used unless `ensemble`). */
  @property() template: string = DEFAULT_TEMPLATE;
  /** Average `ensembleTemplates` (the 80 ImageNet templates of the CLIP paper) instead of one template. */
  @property({ type: Boolean, reflect: true }) ensemble = false;
  /** The templates of the ensemble (default: the CLIP paper's 80 ImageNet ones; a world preset sets its own). */
  @property({ attribute: false }) ensembleTemplates: readonly string[] = IMAGENET_TEMPLATES;
  /** Cut prompts over 77 tokens as `clip.tokenize(truncate=True)` does, instead of reporting them. */
  @property({ type: Boolean, reflect: true }) truncate = false;
  /** Hide the sample images. */
  @property({ type: Boolean, attribute: 'no-samples' }) noSamples = false;
  /** The sample images offered under the drop zone: `[{ name, url }]` (default: world scenes and the bundled photos). */
  @property({ attribute: false }) samples: readonly SampleImage[] = defaultSamples();
  /** The image to classify: a File/Blob, URL, `<img>`, canvas, ImageBitmap or ImageData. */
  @property({ attribute: false }) image: ImageInput | null = null;
  /** `{ labels, probs, ranked, templates, newTextEmbeddings, ms }` for the current inputs, or null. */
  @property({ attribute: false }) result: ClassifierResult | null = null;
  /** `{ code, message }` of the last failure, or null. */
  @property({ attribute: false }) error: ClassifierError | null = null;
  /** A classification is running. */
  @property({ type: Boolean, reflect: true }) busy = false;
  @state() private shown: ShownImage | null = null;
  /** @internal The drop zone's highlight, set by the image input. */
  @state() dragging = false;

  private readonly input = new ImageInputController(this, {
    verb: 'classify',
    paste: true,
    show: (img) => this.setShown(img),
    fail: (err) => this.showError(err),
  });
  private readonly request = new LatestRequest(this, (e) => {
    this.result = null;
    this.showError(e);
  });
  private readonly embeddings = new EmbeddingMemo();
  private imageKey: object = {};
  private labelTimer: ReturnType<typeof setTimeout> | undefined;
  private templateTimer: ReturnType<typeof setTimeout> | undefined;
  /** The textarea's text as typed (kept so that trimming labels never moves the caret). */
  private labelsText: string | null = null;
  private labelsFromTextarea = false;
  private readonly presets = new PresetFollower();

  constructor() {
    super();
    new SharedModelController(this);
  }

  /** The templates in use: one, or the ensemble. */
  get templates(): readonly string[] {
    return this.ensemble ? this.ensembleTemplates : [this.template];
  }

  /** Labels, template and ensemble of a world preset, or null for the photo defaults. */
  usePreset(preset: WorldPreset | null): void {
    this.labels = [...(preset?.labels ?? SAMPLE_LABELS)];
    this.template = preset?.template ?? DEFAULT_TEMPLATE;
    this.ensembleTemplates = preset?.ensemble ?? IMAGENET_TEMPLATES;
  }

  /** Shows a bundled sample image by name (e.g. "cat"). */
  async showSample(name: string): Promise<void> {
    const s = this.samples.find((x) => x.name === name);
    if (!s) return;
    const canvas = await sampleCanvas(s.url);
    this.setShown({ input: canvas, preview: s.url, name: s.name });
  }

  /** Resolves once the result for the current inputs is in (or the error is shown). */
  settled(): Promise<void> {
    return this.request.settled();
  }

  // ---- reacting to changes ------------------------------------------------------------------------

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('model')) {
      const next = this.presets.next(isShippedModel(this.model), isPresetLabels(this.labels, SAMPLE_LABELS));
      if (next) this.usePreset(next === 'defaults' ? null : next);
    }
    if (changed.has('labels')) {
      if (!this.labelsFromTextarea) this.labelsText = null;
      this.labelsFromTextarea = false;
    }
    if (changed.has('image') && this.image !== (this.shown?.input ?? null)) {
      try {
        this.setShown(this.image ? imageFromInput(this.image) : null);
      } catch (e) {
        this.showError(e);
      }
    }
    if (
      ['model', 'labels', 'template', 'ensemble', 'ensembleTemplates', 'truncate', 'shown'].some((k) => changed.has(k))
    )
      this.classify();
  }

  private setShown(next: ShownImage | null): void {
    if (this.shown?.objectUrl) URL.revokeObjectURL(this.shown.objectUrl);
    this.shown = next;
    this.imageKey = {};
    this.image = next?.input ?? null;
    this.error = null;
    emit(this, 'clip-image-change', { name: next?.name ?? null });
  }

  private showError(e: unknown): void {
    this.error = errorDetail(e);
    emit(this, 'clip-error', this.error);
  }

  /** Queues one classification of the current inputs; a newer one makes older results stale. */
  private classify(): void {
    const model = this.model,
      shown = this.shown,
      key = this.imageKey;
    const labels = [...new Set(this.labels.filter((l) => l.trim()))];
    const templates = this.templates,
      truncate = this.truncate;
    if (!model || !shown || labels.length === 0) {
      this.request.cancel();
      this.result = null;
      // Over-long labels are worth saying before there is an image to classify.
      if (model && labels.length > 0 && !truncate) {
        try {
          checkPromptLengths(model, labels, templates);
          if (this.error?.code === 'input') this.error = null;
        } catch (e) {
          this.showError(e);
        }
      }
      return;
    }
    this.request.run(async (current) => {
      const t0 = performance.now();
      if (!truncate) checkPromptLengths(model, labels, templates);
      const text = await this.embeddings.labels(model, labels, templates, truncate);
      const image = await this.embeddings.image(model, key, shown.input);
      const { probs } = await model.similarity([image], text.embeds);
      if (!current()) return;
      const p = [...probs[0]];
      this.result = {
        labels,
        probs: p,
        ranked: labels.map((label, i) => ({ label, prob: p[i] })).sort((a, b) => b.prob - a.prob),
        templates: templates.length,
        newTextEmbeddings: text.computed,
        ms: performance.now() - t0,
      };
      this.error = null;
      emit(this, 'clip-classified', this.result);
    });
  }

  // ---- user input ---------------------------------------------------------------------------------

  private onLabelsInput(e: Event): void {
    const text = (e.target as HTMLTextAreaElement).value;
    this.labelsText = text;
    clearTimeout(this.labelTimer);
    // Wait for a pause in typing: every keystroke would otherwise encode a half-typed label.
    this.labelTimer = setTimeout(() => {
      this.labelsFromTextarea = true;
      this.labels = text
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean);
    }, 300);
  }

  private onTemplateInput(e: Event): void {
    const value = (e.target as HTMLInputElement).value;
    clearTimeout(this.templateTimer);
    this.templateTimer = setTimeout(() => {
      if (!value.includes('{}')) {
        this.showError(new ClipError('input', `The template needs {} where the label goes, e.g. "a photo of a {}."`));
        return;
      }
      this.error = null;
      this.template = value;
    }, 300);
  }

  // ---- rendering ----------------------------------------------------------------------------------

  override render() {
    return html`
      <div part="base" class="layout">
        <section class="panel image-panel" aria-labelledby="image-title">
          <h3 id="image-title">Image</h3>
          <div part="drop-zone" class="drop ${this.dragging ? 'dragging' : ''} ${this.shown ? 'has-image' : ''}"
            role="button" tabindex="0" aria-label="Drop, paste or choose an image"
            @click=${this.input.pick} @keydown=${(e: KeyboardEvent) => (e.key === 'Enter' || e.key === ' ') && this.input.pick()}
            @dragover=${this.input.onDragOver}
            @dragleave=${this.input.onDragLeave} @drop=${this.input.onDrop}>
            ${
              this.shown
                ? html`<img part="image" src=${this.shown.preview} alt=${this.shown.name}
                  @error=${() => !this.model && this.showError(new ClipError('image', `"${this.shown?.name}" is not an image this browser can show.`))}>`
                : html`<div class="placeholder">
                  <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 5h16v14H4z M4 15l4-4 5 5 3-3 4 4" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"/><circle cx="15.5" cy="9" r="1.6" fill="currentColor"/></svg>
                  <span><strong>Drop an image</strong>, paste one, or click to choose</span>
                </div>`
            }
          </div>
          <input id="file" type="file" accept="image/*" hidden @change=${this.input.onPick}>
          ${
            this.noSamples || this.samples.length === 0
              ? nothing
              : html`
            <div part="samples" class="samples" role="group" aria-label="Sample images">
              <span class="muted">Samples</span>
              ${samplesFor(this.samples, isShippedModel(this.model)).map(
                (s) => html`
                <button part="sample" class="sample ${this.shown?.name === s.name ? 'selected' : ''}" type="button"
                  title=${s.name} aria-label=${`Sample: ${s.name}`} @click=${() => this.showSample(s.name)}>
                  <img src=${s.url} alt="">
                </button>`,
              )}
            </div>`
          }
        </section>

        <section class="panel labels-panel" aria-labelledby="labels-title">
          <h3 id="labels-title"><label for="labels">Labels</label> <span class="muted small">one per line</span></h3>
          <textarea id="labels" part="labels" rows="7" spellcheck="false" .value=${this.labelsText ?? this.labels.join('\n')}
            @input=${this.onLabelsInput}></textarea>
          ${presetButtons((p) => this.usePreset(p))}
          <fieldset part="templates" class="templates">
            <legend>Prompt</legend>
            <label class="choice">
              <input type="radio" name="mode" .checked=${!this.ensemble} @change=${() => (this.ensemble = false)}>
              <span>One template</span>
            </label>
            <input part="template" class="template" aria-label="Template" .value=${this.template} ?disabled=${this.ensemble}
              spellcheck="false" @input=${this.onTemplateInput}>
            <label class="choice">
              <input type="radio" name="mode" .checked=${this.ensemble} @change=${() => (this.ensemble = true)}>
              <span>${this.ensembleTemplates.length}-template ensemble <span class="muted small">${
                this.ensembleTemplates === IMAGENET_TEMPLATES ? '(CLIP paper, ImageNet)' : '(the world’s phrasings)'
              }</span></span>
            </label>
          </fieldset>
        </section>

        <section class="panel result-panel" aria-labelledby="result-title" aria-live="polite">
          <h3 id="result-title">Probabilities ${this.busy ? html`<span class="spinner" aria-label="working"></span>` : nothing}</h3>
          ${this.error ? this.renderError(this.error) : nothing}
          ${this.renderResult()}
        </section>
      </div>`;
  }

  private renderError(err: ClassifierError) {
    const tooLong = err.code === 'input' && err.message.includes('-token limit') && !this.truncate;
    return html`<div part="error" class="error" role="alert">
      ${err.message}
      ${tooLong ? html`<div><button class="link" type="button" @click=${() => (this.truncate = true)}>Cut long prompts to 77 tokens</button></div>` : nothing}
      ${reloadOffer(err, this)}
    </div>`;
  }

  private renderResult() {
    if (!this.model) return html`<p class="empty muted">Load a model to see how well each label matches the image.</p>`;
    if (!this.shown) return html`<p class="empty muted">Drop an image, paste one, or pick a sample.</p>`;
    if (this.labels.length === 0) return html`<p class="empty muted">Add a label or two.</p>`;
    const r = this.result;
    if (!r) return this.busy ? html`<p class="empty muted">Classifying…</p>` : nothing;
    return html`
      <ol part="chart" class="chart">
        ${repeat(
          r.ranked,
          (x) => x.label,
          (x, i) => html`
          <li part="row" class="row ${i === 0 ? 'top' : ''}" title=${`${x.label}: ${x.prob}`}>
            <span part="bar-label" class="bar-label">${x.label}</span>
            <span part="bar-track" class="bar-track"><span part="bar" class="bar" style="width:${Math.max(x.prob * 100, 0.4)}%"></span></span>
            <span part="bar-value" class="bar-value">${formatPercent(x.prob)}</span>
          </li>`,
        )}
      </ol>
      <p class="meta muted small">
        ${r.templates === 1 ? html`Prompt “${this.templates[0].replace('{}', r.ranked[0].label)}”` : `${r.templates} templates per label`}
        · ${r.newTextEmbeddings === 0 ? 'labels from the cache' : `${r.newTextEmbeddings} new ${r.newTextEmbeddings === 1 ? 'label' : 'labels'} encoded`}
        · ${Math.round(r.ms)} ms
      </p>`;
  }
}

/** CLIP reads 77 tokens: say which labels are too long, and by how much, before encoding. */
function checkPromptLengths(model: ClipModel, labels: readonly string[], templates: readonly string[]): void {
  const limit = model.config.text.maxPositions;
  const tooLong: string[] = [];
  for (const label of labels) {
    const longest = Math.max(...templates.map((t) => model.tokenizer.encode(t.replaceAll('{}', label)).length + 2));
    if (longest > limit) tooLong.push(`“${label.length > 48 ? label.slice(0, 48) + '…' : label}” (${longest} tokens)`);
  }
  if (tooLong.length > 0) {
    throw new ClipError(
      'input',
      `${tooLong.length === 1 ? 'This label makes a prompt' : 'These labels make prompts'} longer than ` +
        `CLIP's ${limit}-token limit: ${tooLong.join(', ')}. Shorten ${tooLong.length === 1 ? 'it' : 'them'}, or cut long prompts.`,
    );
  }
}

if (!customElements.get('clip-classifier')) customElements.define('clip-classifier', ClipClassifier);

declare global {
  interface HTMLElementTagNameMap {
    'clip-classifier': ClipClassifier;
  }
}
