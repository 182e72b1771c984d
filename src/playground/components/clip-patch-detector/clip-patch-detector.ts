/** <clip-patch-detector>: zero-shot detection in one image over queries the user edits. */
import { LitElement, html, nothing, svg } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { ClipModel } from '../../../model/clip.ts';
import {
  detectionBoxes,
  type DetectBoxOptions,
  type Detection,
  type DetectionBox,
  DEFAULT_REFINED_RELATIVE_THRESHOLD,
  DEFAULT_RELATIVE_THRESHOLD,
  isExplanationMode,
  type DetectMode,
} from '../../../model/detect/index.ts';
import { ClipError } from '../../../errors.ts';
import type { ImageInput } from '../../../model/platform.ts';
import { DEFAULT_TEMPLATE } from '../../../model/templates.ts';
import { formatPercent } from '../../format.ts';
import { defaultSamples, sampleCanvas, samplesFor, type SampleImage } from '../../samples.ts';
import { emit, isShippedModel } from '../../shared-model.ts';
import {
  isPresetLabels,
  PresetFollower,
  SHIPPED_DETECT,
  ShippedChoice,
  type WorldPreset,
} from '../../world-presets.ts';
import { listAttribute } from '../shared/attributes.ts';
import { seriesColour } from '../shared/colours.ts';
import { errorDetail, reloadOffer, type ElementError } from '../shared/element-error.ts';
import { EmbeddingMemo } from '../shared/embedding-memo.ts';
import { ImageInputController } from '../shared/image-input.ts';
import { LatestRequest } from '../shared/latest-request.ts';
import { presetButtons } from '../shared/preset-buttons.ts';
import { SharedModelController } from '../shared/model-controller.ts';
import { imageFromInput, type ShownImage } from '../shared/shown-image.ts';
import { patchDetectorStyles } from './clip-patch-detector.styles.ts';
import { argmax, cellRects, gridExtent, paintCell, queryRanges } from './overlay.ts';

/** Detail of `clip-detected` (also the `result` property): the engine's Detection, timed. */
export interface DetectorResult extends Detection {
  /** Wall time of the detection, text embeddings included (they come from a cache when known). */
  ms: number;
  /** The slider value the boxes were found with (see the `threshold` attribute). */
  threshold: number;
}

/** Detail of `clip-threshold-change`: the boxes for a new slider value, found without the GPU. */
export interface DetectorThresholdChange {
  threshold: number;
  boxes: DetectionBox[];
  thresholds: number[];
}

export type DetectorError = ElementError;

const MODES: { mode: DetectMode; label: string; about: string }[] = [
  {
    mode: 'patches',
    label: 'Patches',
    about: 'Every patch token of the last layer through the projection, cosine with each query.',
  },
  {
    mode: 'values',
    label: 'Values',
    about: 'MaskCLIP: the last block’s value path instead of its attention; often a sharper map.',
  },
  {
    mode: 'naclip',
    label: 'NACLIP',
    about: 'NACLIP’s last block: neighbourhood attention, no residual, no MLP; a training-free segmentation map.',
  },
  {
    mode: 'relevance',
    label: 'Relevance',
    about:
      'Chefer’s relevance of each query (one backward pass per query); with “Fit to the image” the best boxes on the world’s scenes.',
  },
  {
    mode: 'legrad',
    label: 'LeGrad',
    about: 'The LeGrad explanation of each query (one backward pass per query): the best boxes on the world’s scenes.',
  },
  {
    mode: 'crops',
    label: 'Crops',
    about: 'A 3 × 3 grid of crops, each classified against the queries and “background”: probabilities.',
  },
];

const DEFAULT_QUERIES = ['cat', 'ear', 'eye', 'whiskers'];

/** A mode with or without the image's refinement. */
interface DetectSetting {
  mode: DetectMode;
  refine: boolean;
}

/** The slider's starting value in a mode: the engine's default (each map has its own units, refined maps their own). */
function modeThreshold(mode: DetectMode, refine: boolean): number {
  if (mode === 'crops') return 0.5;
  return (refine ? DEFAULT_REFINED_RELATIVE_THRESHOLD : DEFAULT_RELATIVE_THRESHOLD)[mode];
}

/** The slider's value as the engine's box options: relative to each query's range, or a probability (crops). */
function boxThreshold(mode: DetectMode, t: number): DetectBoxOptions {
  return mode === 'crops' ? { threshold: t } : { relativeThreshold: t };
}

/** Probabilities as percents, cosines to 3 decimals, explanation maps (often far below 0.01) to 3 digits. */
function formatScore(v: number, mode: DetectMode): string {
  if (mode === 'crops') return formatPercent(v);
  return isExplanationMode(mode) ? v.toPrecision(3) : v.toFixed(3);
}

/**
 * Zero-shot detection: where in one image each query (one per line) matches. The patch grid is drawn
 * over the image: each cell coloured by its best query (one colour per query), or by one chosen query's
 * score (from the *Cells* menu, or by clicking the query in the legend); boxes in the query's colour
 * with their score. The legend lists every query with its colour, its best score and its box count,
 * and reads a hovered (or tapped) cell's scores. The *Boxes* slider re-computes boxes from the map in
 * hand (`detectionBoxes`, no GPU work); a new query, template, mode or image runs the model once
 * (query embeddings are cached per model, query and template). Modes are the engine's
 * (`model.detect`): `patches` (every patch token through the projection: cosine with each query),
 * `values` (MaskCLIP's value path), `naclip` (NACLIP's last block), `legrad` (LeGrad's explanation of
 * each query, one backward pass per query), `crops` (a 3 × 3 grid of crops classified against the
 * queries and "background": probabilities); the `mode` property takes any of the engine's modes
 * (DETECT_MODES). For the patch-grid modes the model sees the centre crop of a non-square image; the
 * rest of the image is dimmed.
 *
 * @summary Zero-shot detection: a score for every patch of the grid, and boxes where it is high.
 *
 * @fires {CustomEvent<DetectorResult>} clip-detected - A detection of the current inputs (detail = `result`).
 * @fires {CustomEvent<DetectorThresholdChange>} clip-threshold-change - The slider moved: new boxes from the same map.
 * @fires {CustomEvent<{ name: string | null }>} clip-image-change - The shown image changed.
 * @fires {CustomEvent<ElementError>} clip-error - Something went wrong; a drop that is not an image keeps the current image and says why.
 * @fires {CustomEvent<{}>} clip-model-reload - "Reload the model" was pressed after a GPU failure: the page's loader loads the model again.
 *
 * @csspart base - The element's layout.
 * @csspart queries - The queries textarea.
 * @csspart presets - The row of world presets (shapes, colours): queries and template.
 * @csspart template - The template input.
 * @csspart modes - The mode fieldset.
 * @csspart refine - The "Fit to the image" (PAMR) checkbox's label.
 * @csspart mode - One mode choice (the chosen one is also `mode-active`).
 * @csspart threshold - The Boxes slider.
 * @csspart threshold-value - The slider's value.
 * @csspart colour-by - The Cells menu.
 * @csspart drop-zone - Where an image is dropped or clicked for.
 * @csspart image - The shown image.
 * @csspart grid - The SVG of the patch grid.
 * @csspart cell - One cell of the grid.
 * @csspart cell-hover - The outline of the cell under the pointer.
 * @csspart box - One box.
 * @csspart box-label - A box's query and score.
 * @csspart samples - The row of sample images.
 * @csspart sample - One sample button.
 * @csspart choose - The Choose image button.
 * @csspart meta - The line under the image.
 * @csspart scale - The colour scale of the chosen query.
 * @csspart readout - The hovered cell's heading in the legend.
 * @csspart legend - The legend table.
 * @csspart legend-item - One query's row (the chosen one is also `legend-item-active`).
 * @csspart swatch - A query's colour.
 * @csspart error - The error message.
 * @csspart reload-button - After a GPU failure (device lost): loads the model again.
 *
 * @cssprop --clip-accent - Buttons, focus rings, the chosen mode (every element reads the same `--clip-*` tokens, see Conventions).
 */
export class ClipPatchDetector extends LitElement {
  static override styles = patchDetectorStyles;

  /** The model to detect with; by default the one any clip-model-loader on the page publishes. */
  @property({ attribute: false }) model: ClipModel | null = null;
  /** What to look for, one name per query: a comma-separated attribute, or an array property (default `cat, ear, eye, whiskers`). */
  @property({ converter: listAttribute(',') }) queries: string[] = [...DEFAULT_QUERIES];
  /** The prompt template, "{}" marks the query (default `a photo of a {}.`). */
  @property() template: string = DEFAULT_TEMPLATE;
  /**
   * One of the engine's DETECT_MODES; the buttons offer patches, values, naclip, relevance, legrad and
   * crops. With the shipped model `relevance` with `refine`, until a mode or Fit is chosen.
   */
  @property({ reflect: true }) mode: DetectMode = 'patches';
  /**
   * Where boxes start, 0..1: a fraction of each query's own score range (min + t · (max − min)), or
   * for crops the probability. Moving it never touches the GPU. Choosing a mode with its button sets
   * it to that mode's default (DEFAULT_RELATIVE_THRESHOLD: LeGrad 0.6, the cosine maps 0.5).
   */
  @property({ type: Number, reflect: true }) threshold = 0.5;
  /** Cut prompts over 77 tokens instead of reporting them. */
  @property({ type: Boolean, reflect: true }) truncate = false;
  /**
   * Fit the boxes to the image: each map refined by the image's pixels (PAMR) before the boxes are cut,
   * so they follow the object's edges rather than the patch grid. Every mode but crops.
   */
  @property({ type: Boolean, reflect: true }) refine = false;
  /** Hide the sample images. */
  @property({ type: Boolean, attribute: 'no-samples' }) noSamples = false;
  /** The sample images offered under the stage: `[{ name, url }]` (default: the bundled ones). */
  @property({ attribute: false }) samples: readonly SampleImage[] = defaultSamples();
  /** The image: a File/Blob, URL, `<img>`, canvas, ImageBitmap or ImageData. */
  @property({ attribute: false }) image: ImageInput | null = null;
  /** The engine's Detection (`grid`, `patchSimilarity` [cell][query], `boxes` in image pixels, ...) plus `ms` and `threshold`, or null. */
  @property({ attribute: false }) result: DetectorResult | null = null;
  /** `{ code, message }` of the last failure, or null. */
  @property({ attribute: false }) error: DetectorError | null = null;
  /** A detection is running. */
  @property({ type: Boolean, reflect: true }) busy = false;
  @state() private shown: ShownImage | null = null;
  @state() private natural: { width: number; height: number } | null = null;
  /** @internal The drop zone's highlight, set by the image input. */
  @state() dragging = false;
  /** Colour cells by this query, or (-1) by each cell's best query. */
  @state() private colourBy = -1;
  /** The cell under the pointer (row-major index), or null. */
  @state() private hover: number | null = null;

  /** Detections this element has run on the GPU (a threshold change adds none). */
  detections = 0;

  private readonly input = new ImageInputController(this, {
    verb: 'detect',
    paste: true,
    show: (img) => this.setShown(img),
    fail: (err) => this.showError(err),
  });
  private readonly request = new LatestRequest(this, (e) => {
    this.result = null;
    this.showError(e);
  });
  private readonly embeddings = new EmbeddingMemo();
  private queryTimer: ReturnType<typeof setTimeout> | undefined;
  private templateTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly resize = new ResizeObserver(() => this.placeLabels());
  /** The textarea's text as typed (kept so that trimming queries never moves the caret). */
  private queriesText: string | null = null;
  private queriesFromTextarea = false;
  private readonly presets = new PresetFollower();
  /** Relevance fitted to the image on the shipped model, where patch similarity finds nothing, until one is chosen. */
  private readonly modeFollower = new ShippedChoice<DetectSetting>(
    { mode: 'patches', refine: false },
    SHIPPED_DETECT,
    (s) => `${s.mode} ${s.refine}`,
  );

  constructor() {
    super();
    new SharedModelController(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resize.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize.disconnect();
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

  /** The threshold as used: within 0..1 (0.5 when the attribute is not a number). */
  private get sliderValue(): number {
    const t = Number(this.threshold);
    return Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0.5;
  }

  // ---- reacting to changes ------------------------------------------------------------------------

  /** Queries and template of a world preset, or null for the photo defaults. */
  usePreset(preset: WorldPreset | null): void {
    this.queries = [...(preset?.labels ?? DEFAULT_QUERIES)];
    this.template = preset?.template ?? DEFAULT_TEMPLATE;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('model')) {
      const next = this.presets.next(isShippedModel(this.model), isPresetLabels(this.queries, DEFAULT_QUERIES));
      if (next) this.usePreset(next === 'defaults' ? null : next);
      const setting = this.modeFollower.next(isShippedModel(this.model), { mode: this.mode, refine: this.refine });
      if (setting) {
        this.threshold = modeThreshold(setting.mode, setting.refine);
        this.mode = setting.mode;
        this.refine = setting.refine;
      }
    }
    if (changed.has('queries')) {
      if (!this.queriesFromTextarea) this.queriesText = null;
      this.queriesFromTextarea = false;
    }
    if (changed.has('image') && this.image !== (this.shown?.input ?? null)) {
      try {
        this.setShown(this.image ? imageFromInput(this.image) : null);
      } catch (e) {
        this.showError(e);
      }
    }
    if (['model', 'queries', 'template', 'mode', 'truncate', 'refine', 'shown'].some((k) => changed.has(k)))
      this.detect();
    else if (changed.has('threshold')) this.rebox();
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('result') || changed.has('colourBy')) this.placeLabels();
  }

  /**
   * Box labels that would cover one another (boxes of several queries often start at the same
   * cell) move down one label height at a time until they are clear; higher scores keep their place.
   */
  private placeLabels(): void {
    const labels = [...this.renderRoot.querySelectorAll<HTMLElement>('.box-label')];
    for (const l of labels) l.style.transform = '';
    const placed: DOMRect[] = [];
    const hits = (a: DOMRect, b: DOMRect) =>
      a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
    for (const l of labels) {
      const r = l.getBoundingClientRect();
      if (r.width === 0) continue; // not on screen
      let box = r;
      for (let i = 0; i < 16 && placed.some((p) => hits(p, box)); i++)
        box = new DOMRect(r.x, box.y + r.height, r.width, r.height);
      if (box !== r) l.style.transform = `translateY(${box.y - r.y}px)`;
      placed.push(box);
    }
  }

  private setShown(next: ShownImage | null): void {
    if (this.shown?.objectUrl) URL.revokeObjectURL(this.shown.objectUrl);
    this.shown = next;
    this.image = next?.input ?? null;
    this.natural = null;
    this.result = null; // the old overlay belongs to the old image
    this.hover = null;
    this.error = null;
    emit(this, 'clip-image-change', { name: next?.name ?? null });
  }

  private showError(e: unknown): void {
    this.error = errorDetail(e);
    emit(this, 'clip-error', this.error);
  }

  private currentQueries(): string[] {
    return [...new Set(this.queries.map((q) => q.trim()).filter(Boolean))];
  }

  /** Queues one detection of the current inputs; a newer one makes older results stale. */
  private detect(): void {
    const model = this.model,
      shown = this.shown;
    const queries = this.currentQueries();
    const mode = this.mode,
      template = this.template,
      truncate = this.truncate,
      refine = this.refine && mode !== 'crops';
    if (!model || !shown || queries.length === 0) {
      this.request.cancel();
      this.result = null;
      return;
    }
    this.request.run(async (current) => {
      const t0 = performance.now();
      // Text embeddings are cached per model, query and template: a new mode or image encodes no text.
      const text = await this.embeddings.labels(model, queries, [template], truncate);
      const threshold = this.sliderValue;
      const d = await model.detect(
        shown.input,
        queries.map((label, i) => ({ label, embedding: text.embeds[i] })),
        {
          mode,
          templates: [template],
          truncate,
          refine,
          ...boxThreshold(mode, threshold),
        },
      );
      if (!current()) return;
      this.detections++;
      const now = this.sliderValue; // the slider may have moved while the GPU worked
      this.result = {
        ...d,
        ...(now === threshold ? {} : detectionBoxes(d, boxThreshold(mode, now))),
        ms: performance.now() - t0,
        threshold: now,
      };
      if (this.colourBy >= queries.length) this.colourBy = -1;
      if (this.hover !== null && this.hover >= d.patchSimilarity.length) this.hover = null;
      this.error = null;
      emit(this, 'clip-detected', this.result);
    });
  }

  /** New boxes for the slider's value from the map in hand: CPU only. */
  private rebox(): void {
    const r = this.result;
    if (!r) return;
    const threshold = this.sliderValue;
    const next = detectionBoxes(r, boxThreshold(r.mode, threshold));
    this.result = { ...r, ...next, threshold };
    emit<DetectorThresholdChange>(this, 'clip-threshold-change', { threshold, ...next });
  }

  // ---- user input ---------------------------------------------------------------------------------

  private onQueriesInput(e: Event): void {
    const text = (e.target as HTMLTextAreaElement).value;
    this.queriesText = text;
    clearTimeout(this.queryTimer);
    // Wait for a pause in typing: every keystroke would otherwise run a half-typed query.
    this.queryTimer = setTimeout(() => {
      this.queriesFromTextarea = true;
      this.queries = text
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
        this.showError(new ClipError('input', 'The template needs {} where the query goes, e.g. "a photo of a {}."'));
        return;
      }
      this.error = null;
      this.template = value;
    }, 300);
  }

  private onImageLoad(e: Event): void {
    const img = e.target as HTMLImageElement;
    if (img.naturalWidth > 0 && img.naturalHeight > 0)
      this.natural = { width: img.naturalWidth, height: img.naturalHeight };
  }

  private chooseMode(mode: DetectMode): void {
    this.modeFollower.chosen();
    this.threshold = modeThreshold(mode, this.refine);
    this.mode = mode;
  }

  private chooseRefine(refine: boolean): void {
    this.modeFollower.chosen();
    this.threshold = modeThreshold(this.mode, refine);
    this.refine = refine;
  }

  private onSlider(e: Event): void {
    this.threshold = Number((e.target as HTMLInputElement).value);
  }

  // ---- rendering ----------------------------------------------------------------------------------

  override render() {
    const r = this.result;
    return html`
      <div part="base" class="layout">
        <section class="panel controls-panel" aria-labelledby="queries-title">
          <h3 id="queries-title"><label for="queries">Queries</label> <span class="muted small">one per line</span></h3>
          <textarea id="queries" part="queries" rows="5" spellcheck="false" .value=${this.queriesText ?? this.queries.join('\n')}
            @input=${this.onQueriesInput}></textarea>
          ${presetButtons((p) => this.usePreset(p))}
          <label class="field"><span class="field-label">Template</span>
            <input part="template" class="template" .value=${this.template} spellcheck="false" @input=${this.onTemplateInput}>
          </label>
          <fieldset part="modes" class="modes">
            <legend class="field-label">Mode</legend>
            <div class="segmented">
              ${MODES.map(
                (m) => html`
                <label part="mode ${m.mode === this.mode ? 'mode-active' : ''}" class="segment">
                  <input type="radio" name="mode" value=${m.mode} .checked=${m.mode === this.mode}
                    @change=${() => this.chooseMode(m.mode)}>
                  <span>${m.label}</span>
                </label>`,
              )}
            </div>
            <p class="muted small about">${MODES.find((m) => m.mode === this.mode)?.about ?? ''}</p>
            <label part="refine" class="check">
              <input type="checkbox" .checked=${this.refine} ?disabled=${this.mode === 'crops'}
                @change=${(e: Event) => this.chooseRefine((e.target as HTMLInputElement).checked)}>
              <span>Fit to the image (PAMR: the map refined by the pixels, boxes follow edges)</span>
            </label>
          </fieldset>
        </section>

        <section class="panel view-panel" aria-labelledby="view-title">
          <h3 id="view-title">Detection ${this.busy ? html`<span class="spinner" aria-label="working"></span>` : nothing}</h3>
          ${this.renderToolbar(r)}
          ${this.error ? this.renderError(this.error) : nothing}
          ${this.renderStage(r)}
          ${this.renderFooter(r)}
        </section>

        <section class="panel legend-panel" aria-labelledby="legend-title">
          <h3 id="legend-title">Scores</h3>
          ${this.renderLegend(r)}
        </section>
      </div>`;
  }

  private renderToolbar(r: DetectorResult | null) {
    const t = this.sliderValue;
    const crops = (r?.mode ?? this.mode) === 'crops';
    const queries = r?.queries ?? this.currentQueries();
    return html`
      <div class="toolbar">
        <label class="slider">
          <span class="field-label">Boxes</span>
          <input part="threshold" type="range" min="0" max="1" step="0.01" .value=${String(t)} @input=${this.onSlider}
            aria-label="Box threshold" aria-valuetext=${crops ? `probability ${t.toFixed(2)}` : `${Math.round(t * 100)}% of each query's range`}>
          <output part="threshold-value" class="slider-value">${crops ? html`p ≥ ${t.toFixed(2)}` : html`${Math.round(t * 100)}% <span class="muted">of range</span>`}</output>
        </label>
        <label class="colour-by">
          <span class="field-label">Cells</span>
          <select part="colour-by" aria-label="Colour cells by" @change=${(e: Event) => (this.colourBy = Number((e.target as HTMLSelectElement).value))}>
            <option value="-1" ?selected=${this.colourBy < 0}>Best query per cell</option>
            ${queries.map((q, i) => html`<option value=${i} ?selected=${this.colourBy === i}>${q}</option>`)}
          </select>
        </label>
      </div>`;
  }

  private renderError(err: DetectorError) {
    const tooLong = err.code === 'input' && /tokens long/.test(err.message) && !this.truncate;
    return html`<div part="error" class="error" role="alert">
      ${err.message}
      ${tooLong ? html`<div><button class="link" type="button" @click=${() => (this.truncate = true)}>Cut long prompts to 77 tokens</button></div>` : nothing}
      ${reloadOffer(err, this)}
    </div>`;
  }

  private renderStage(r: DetectorResult | null) {
    const shown = this.shown;
    const dims = r?.image ?? this.natural ?? { width: 1, height: 1 };
    const small = Math.max(dims.width, dims.height) < 200;
    return html`
      <div part="drop-zone" class="stage ${this.dragging ? 'dragging' : ''} ${shown ? 'has-image' : ''}"
        role=${shown ? nothing : 'button'} tabindex=${shown ? nothing : '0'} aria-label=${shown ? nothing : 'Drop, paste or choose an image'}
        @click=${() => !this.shown && this.input.pick()} @keydown=${(e: KeyboardEvent) => !this.shown && (e.key === 'Enter' || e.key === ' ') && this.input.pick()}
        @dragover=${this.input.onDragOver}
        @dragleave=${this.input.onDragLeave} @drop=${this.input.onDrop}>
        ${
          shown
            ? html`<div class="frame" style="aspect-ratio: ${dims.width} / ${dims.height}; --ratio: ${dims.width / dims.height}">
              <img part="image" class=${small ? 'pixelated' : ''} src=${shown.preview} alt=${shown.name} @load=${this.onImageLoad}
                @error=${() => this.showError(new ClipError('image', `"${shown.name}" is not an image this browser can show.`))}>
              ${r ? this.renderOverlay(r) : nothing}
            </div>`
            : html`<div class="placeholder">
              <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 5h16v14H4z M4 15l4-4 5 5 3-3 4 4" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"/><circle cx="15.5" cy="9" r="1.6" fill="currentColor"/></svg>
              <span><strong>Drop an image</strong>, paste one, or click to choose</span>
            </div>`
        }
        ${this.dragging && shown ? html`<div class="drop-hint">Drop to detect in this image</div>` : nothing}
      </div>`;
  }

  private renderOverlay(r: DetectorResult) {
    const { width: W, height: H } = r.image;
    const cells = cellRects(r);
    const ext = gridExtent(cells);
    const ranges = queryRanges(r);
    const crops = r.mode === 'crops';
    const focus = this.colourBy < r.queries.length ? this.colourBy : -1;
    const hovered = this.hover !== null ? cells[this.hover] : undefined;
    const covered = ext.x > 0.5 || ext.y > 0.5 || ext.x + ext.w < W - 0.5 || ext.y + ext.h < H - 0.5;
    // Highest score first: it gets the first say on where its label goes (placeLabels).
    const boxes = r.boxes.filter((b) => focus < 0 || b.queryIndex === focus).sort((a, b) => b.score - a.score);
    const pct = (v: number, of: number) => `${(100 * v) / of}%`;
    return html`
      <svg part="grid" class="grid" viewBox="0 0 ${W} ${H}" preserveAspectRatio="none" role="img"
        aria-label=${`${r.grid[0]} × ${r.grid[1]} grid of ${crops ? 'crop probabilities' : 'patch similarities'}`}
        @pointerleave=${(e: PointerEvent) => e.pointerType === 'mouse' && ((this.hover = null))}>
        ${
          covered
            ? svg`<path class="outside" fill-rule="evenodd"
          d="M0 0H${W}V${H}H0Z M${ext.x} ${ext.y}h${ext.w}v${ext.h}h${-ext.w}Z"><title>Outside the centre crop the model sees</title></path>`
            : nothing
        }
        ${cells.map((c, i) => {
          const p = paintCell(r.patchSimilarity[i], focus, ranges, crops);
          return svg`<rect part="cell" class="cell" x=${c.x} y=${c.y} width=${c.w} height=${c.h} fill=${p.colour} fill-opacity=${p.opacity}
            data-cell=${i} @pointerenter=${() => (this.hover = i)} @pointerdown=${() => (this.hover = i)}></rect>`;
        })}
        ${hovered ? svg`<rect part="cell-hover" class="cell-hover" x=${hovered.x} y=${hovered.y} width=${hovered.w} height=${hovered.h}></rect>` : nothing}
      </svg>
      <div class="boxes">
        ${repeat(
          boxes,
          (b) => `${b.queryIndex}:${b.x}:${b.y}:${b.w}:${b.h}`,
          (b) => html`
          <div part="box" class="box ${b.y / H < 0.1 ? 'label-inside' : ''}" data-query=${b.queryIndex}
            style="left:${pct(b.x, W)};top:${pct(b.y, H)};width:${pct(b.w, W)};height:${pct(b.h, H)};--c:${seriesColour(b.queryIndex)}">
            <span part="box-label" class="box-label">${b.query} <span class="box-score">${formatScore(b.score, r.mode)}</span></span>
          </div>`,
        )}
      </div>`;
  }

  private renderFooter(r: DetectorResult | null) {
    const samples =
      this.noSamples || this.samples.length === 0
        ? nothing
        : html`
      <div part="samples" class="samples" role="group" aria-label="Sample images">
        <span class="muted small">Samples</span>
        ${samplesFor(this.samples, isShippedModel(this.model)).map(
          (s) => html`
          <button part="sample" class="sample ${this.shown?.name === s.name ? 'selected' : ''}" type="button"
            title=${s.name} aria-label=${`Sample: ${s.name}`} @click=${() => this.showSample(s.name)}>
            <img src=${s.url} alt="">
          </button>`,
        )}
      </div>`;
    const focus = r && this.colourBy >= 0 && this.colourBy < r.queries.length ? this.colourBy : -1;
    const range = r && focus >= 0 ? queryRanges(r)[focus] : null;
    return html`
      <div class="under-stage">
        ${samples}
        <span class="spacer"></span>
        <button part="choose" type="button" @click=${this.input.pick}>Choose image…</button>
        <input id="file" type="file" accept="image/*" hidden @change=${this.input.onPick}>
      </div>
      ${
        r
          ? html`
        <p part="meta" class="meta muted small">
          ${
            range
              ? html`<span part="scale" class="scale" title="Cell colour: this query's score, low to high">
            ${formatScore(r.mode === 'crops' ? 0 : range.min, r.mode)}
            <span class="scale-bar" style="--c:${seriesColour(focus)}"></span>
            ${formatScore(r.mode === 'crops' ? 1 : range.max, r.mode)}
          </span>`
              : nothing
          }
          <span>${MODES.find((m) => m.mode === r.mode)?.label} · ${r.grid[0]} × ${r.grid[1]} ${r.mode === 'crops' ? 'crops' : 'patches'}
            · ${r.boxes.length} ${r.boxes.length === 1 ? 'box' : 'boxes'} · ${Math.round(r.ms)} ms</span>
        </p>`
          : nothing
      }`;
  }

  private renderLegend(r: DetectorResult | null) {
    if (!this.model) return html`<p class="empty muted">Load a model to see where each query matches the image.</p>`;
    const queries = r?.queries ?? this.currentQueries();
    if (queries.length === 0) return html`<p class="empty muted">Add a query or two.</p>`;
    const row = r && this.hover !== null ? r.patchSimilarity[this.hover] : null;
    const ranges = r ? queryRanges(r) : null;
    const winner = row ? argmax(row) : -1;
    const counts = queries.map((_, i) => r?.boxes.filter((b) => b.queryIndex === i).length ?? 0);
    const [, cols] = r?.grid ?? [0, 0];
    return html`
      <p part="readout" class="readout small ${row ? '' : 'muted'}">
        ${
          row && this.hover !== null
            ? html`<strong>Cell row ${Math.floor(this.hover / cols) + 1}, column ${(this.hover % cols) + 1}</strong>`
            : r
              ? 'Hover a cell (or tap it) to read its scores.'
              : this.shown
                ? 'Detecting…'
                : 'Scores appear with an image.'
        }
      </p>
      <table part="legend" class="legend">
        <thead><tr>
          <th scope="col">Query</th>
          <th scope="col" class="num">${row ? 'Cell' : ''}</th>
          <th scope="col" class="num" title="Highest score over the cells">Best</th>
          <th scope="col" class="num" title="Boxes at the current threshold">Boxes</th>
        </tr></thead>
        <tbody>
          ${queries.map(
            (q, i) => html`
            <tr part="legend-item ${this.colourBy === i ? 'legend-item-active' : ''}" class="${this.colourBy === i ? 'active' : ''} ${winner === i ? 'winner' : ''}">
              <th scope="row">
                <button class="query" type="button" aria-pressed=${this.colourBy === i ? 'true' : 'false'}
                  title=${`${q}\n${this.colourBy === i ? 'Click: back to the best query per cell' : 'Click: colour the cells by this query'}`}
                  @click=${() => (this.colourBy = this.colourBy === i ? -1 : i)}>
                  <span part="swatch" class="swatch" style="background:${seriesColour(i)}"></span><span class="query-text">${q}</span>
                </button>
              </th>
              <td class="num">${row && r ? formatScore(row[i], r.mode) : ''}</td>
              <td class="num">${ranges && r ? formatScore(ranges[i].max, r.mode) : '–'}</td>
              <td class="num">${r ? counts[i] : '–'}</td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${
        r && isExplanationMode(r.mode)
          ? html`<p class="muted small note">Scores are each query’s explanation map per patch (${r.mode}), not similarities${r.refined ? '; the boxes come from the map refined by the image' : ''}.</p>`
          : r && r.mode !== 'crops'
            ? html`<p class="muted small note">Scores are cosine similarities of patch and query embeddings${r.refined ? '; the boxes come from the map refined by the image' : ''}.</p>`
            : r
              ? html`<p class="muted small note">Scores are each crop’s probability for the query, against the others and “background”.</p>`
              : nothing
      }`;
  }
}

if (!customElements.get('clip-patch-detector')) customElements.define('clip-patch-detector', ClipPatchDetector);

declare global {
  interface HTMLElementTagNameMap {
    'clip-patch-detector': ClipPatchDetector;
  }
}
