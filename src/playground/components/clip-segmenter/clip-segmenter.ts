/** <clip-segmenter>: a label per pixel of one image, from a training-free segmentation method. */
import { LitElement, html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ClipModel } from '../../../model/clip.ts';
import { ClipError } from '../../../errors.ts';
import {
  BACKGROUND,
  SEGMENT_LOGIT_SCALE,
  labelMask,
  type SegmentMethod,
  type Segmentation,
} from '../../../model/segment/index.ts';
import type { ImageInput } from '../../../model/platform.ts';
import { DEFAULT_TEMPLATE } from '../../../model/templates.ts';
import { defaultSamples, sampleCanvas, samplesFor, type SampleImage } from '../../samples.ts';
import { emit, isShippedModel } from '../../shared-model.ts';
import {
  PresetFollower,
  SHIPPED_SEGMENT,
  SHIPPED_SEGMENT_SHARE,
  ShippedChoice,
  isPresetLabels,
  type WorldPreset,
} from '../../world-presets.ts';
import { listAttribute } from '../shared/attributes.ts';
import { seriesColour } from '../shared/colours.ts';
import { errorDetail, reloadOffer, type ElementError } from '../shared/element-error.ts';
import { EmbeddingMemo } from '../shared/embedding-memo.ts';
import { ImageInputController } from '../shared/image-input.ts';
import { LatestRequest } from '../shared/latest-request.ts';
import { SharedModelController } from '../shared/model-controller.ts';
import { drawableOf, imageFromInput, type ShownImage } from '../shared/shown-image.ts';
import { segmenterStyles } from './clip-segmenter.styles.ts';

/** Detail of `clip-segment`: the engine's Segmentation (mask after the element's threshold) and its wall time. */
export interface SegmenterResult extends Segmentation {
  ms: number;
}

export type SegmenterError = ElementError;

/** How background is decided: none, a label of its own, or a probability threshold. */
export type BackgroundMode = 'none' | 'label' | 'threshold';

/** What the shipped model starts with (SHIPPED_SEGMENT) and gives back. */
interface SegmentSetting {
  method: SegmentMethod;
  refine: boolean;
  backgroundMode: BackgroundMode;
}

const METHODS: { method: SegmentMethod; label: string; about: string }[] = [
  { method: 'raw', label: 'Raw', about: 'The plain patch tokens of the last layer: the baseline.' },
  {
    method: 'maskclip',
    label: 'MaskCLIP',
    about: 'MaskCLIP: the last block keeps the value path, no query-key attention.',
  },
  {
    method: 'sclip',
    label: 'SCLIP',
    about: 'SCLIP: correlative attention, softmax(q·q) + softmax(k·k), in the last block.',
  },
  {
    method: 'clearclip',
    label: 'ClearCLIP',
    about: 'ClearCLIP: q·q attention; the last block drops its residual and MLP.',
  },
  {
    method: 'naclip',
    label: 'NACLIP',
    about: 'NACLIP: k·k attention plus a Gaussian neighbourhood window; no residual, no MLP.',
  },
  {
    method: 'relevance',
    label: 'Relevance',
    about:
      'Each label’s relevance map (the gradient of its score, as Explain shows it) times its probability: for models whose patch tokens do not point, like the shipped one. One backward pass per label.',
  },
];

const DEFAULT_LABELS = ['cat', 'sky', 'grass'];
const DEFAULT_THRESHOLD = 0.5;
/** The overlay is drawn at most this many pixels on its long side (the export too). */
const DRAW_SIZE = 768;

/**
 * Training-free segmentation: every pixel of one image gets one of the labels (one per line), from
 * the patch tokens of the last vision block as the chosen *Method* changes it (`model.segment`):
 * `raw` (the baseline), `maskclip`, `sclip`, `clearclip` or `naclip` (default), or from each label's
 * relevance map (`relevance`: what the shipped model starts with, where the patch tokens do not
 * point). *Background* is none, a label of its own (its pixels are left
 * uncoloured) or a threshold (the best label's probability, softmax of 40 × cosine over the labels;
 * for relevance a share of the image's best map); moving it re-masks on the CPU with no GPU work. *Opacity* redraws
 * without the GPU; hovering (or tapping) the image reads the label there and every label's cosine
 * at that patch; the legend gives each label's colour and share of the pixels; *Export PNG* saves
 * the overlay with its legend.
 *
 * @summary A label per pixel: MaskCLIP, SCLIP, ClearCLIP, NACLIP or relevance segmentation, with no training.
 *
 * @fires {CustomEvent<SegmenterResult>} clip-segment - A segmentation of the current inputs (detail = `result`).
 * @fires {CustomEvent<{ bytes: number }>} clip-segment-export - Export PNG saved a file.
 * @fires {CustomEvent<{ name: string | null }>} clip-image-change - The shown image changed.
 * @fires {CustomEvent<ElementError>} clip-error - Something went wrong.
 * @fires {CustomEvent<{}>} clip-model-reload - "Reload the model" was pressed after a GPU failure: the page's loader loads the model again.
 *
 * @csspart base - The element's layout.
 * @csspart labels - The labels textarea.
 * @csspart methods - The method fieldset.
 * @csspart refine - The "Fit to the image" (PAMR) checkbox's label.
 * @csspart method - One method choice (the chosen one is also `method-active`).
 * @csspart background-mode - The background menu (none, label, threshold).
 * @csspart background-label - The background label field.
 * @csspart threshold - The threshold slider.
 * @csspart opacity - The opacity slider.
 * @csspart drop-zone - Where an image is dropped or clicked for.
 * @csspart overlay - The canvas: the image with the label colours over it.
 * @csspart cell-hover - The outline of the patch under the pointer.
 * @csspart legend - The colour legend.
 * @csspart legend-item - One label of the legend (with its share of the pixels).
 * @csspart readout - The label and cosines under the pointer.
 * @csspart samples - The row of sample images.
 * @csspart sample - One sample button.
 * @csspart choose - The Choose image button.
 * @csspart export - The Export PNG button.
 * @csspart meta - The line under the image.
 * @csspart error - The error message.
 * @csspart reload-button - After a GPU failure (device lost): loads the model again.
 *
 * @cssprop --clip-accent - Buttons, focus rings, the chosen method (every element reads the same `--clip-*` tokens, see Conventions).
 */
export class ClipSegmenter extends LitElement {
  static override styles = segmenterStyles;

  /** The model to segment with; by default the one any clip-model-loader on the page publishes. */
  @property({ attribute: false }) model: ClipModel | null = null;
  /** The labels: an attribute with the names separated by "," or an array property (default `cat, sky, grass`). */
  @property({ converter: listAttribute(',') }) labels: string[] = [...DEFAULT_LABELS];
  /** The prompt template, "{}" marks the label (default `a photo of a {}.`; the shipped model's presets set theirs). */
  @property() template: string = DEFAULT_TEMPLATE;
  /**
   * `raw`, `maskclip`, `sclip`, `clearclip`, `naclip` or `relevance`. With the shipped model `relevance`
   * with a threshold (SHIPPED_SEGMENT), until a method, Fit or background is chosen.
   */
  @property({ reflect: true }) method: SegmentMethod = 'naclip';
  /** `none`, `label` (`background-label` is a label of its own) or `threshold`. */
  @property({ attribute: 'background-mode', reflect: true }) backgroundMode: BackgroundMode = 'none';
  /** The background label (with `background-mode="label"`). */
  @property({ attribute: 'background-label', reflect: true }) backgroundLabel = 'background';
  /**
   * Background below this best-label probability (with `background-mode="threshold"`), 0..1; with
   * `relevance` below this share of the image's best map. Re-masks without the GPU.
   */
  @property({ type: Number, reflect: true }) threshold = DEFAULT_THRESHOLD;
  /** Weight of the label colours over the image, 0..1. Redraws without the GPU. */
  @property({ type: Number, reflect: true }) opacity = 0.6;
  /** Cut labels over 77 tokens instead of reporting them. */
  @property({ type: Boolean, reflect: true }) truncate = false;
  /** Fit the mask to the image: the label maps refined by the image's pixels (PAMR) before each pixel's label. */
  @property({ type: Boolean, reflect: true }) refine = false;
  /** Hide the sample images. */
  @property({ type: Boolean, attribute: 'no-samples' }) noSamples = false;
  /** The sample images offered under the stage: `[{ name, url }]` (default: the bundled ones). */
  @property({ attribute: false }) samples: readonly SampleImage[] = defaultSamples();
  /** The image: a File/Blob, URL, `<img>`, canvas, ImageBitmap or ImageData. */
  @property({ attribute: false }) image: ImageInput | null = null;
  /** The segmentation of the current inputs (also the `clip-segment` event's detail), or null. */
  @property({ attribute: false }) result: SegmenterResult | null = null;
  /** `{ code, message }` of the last failure, or null. */
  @property({ attribute: false }) error: SegmenterError | null = null;
  /** A segmentation is being computed. */
  @property({ type: Boolean, reflect: true }) busy = false;
  @state() private shown: ShownImage | null = null;
  /** @internal The drop zone's highlight, set by the image input. */
  @state() dragging = false;
  /** The image pixel under the pointer, or null. */
  @state() private hover: { x: number; y: number } | null = null;
  /** The shown image's pixels at drawing size. */
  @state() private base: ImageData | null = null;
  /** The last run's segmentation, before the threshold (the mask is re-made from its logits). */
  private segmentation: Segmentation | null = null;

  /** Segmentations this element has run on the GPU (threshold and opacity changes add none). */
  runs = 0;

  private readonly input = new ImageInputController(this, {
    verb: 'segment',
    paste: false,
    show: (img) => this.setShown(img),
    fail: (err) => this.showError(err),
  });
  private readonly request = new LatestRequest(this, (e) => this.showError(e));
  private readonly embeddings = new EmbeddingMemo();
  private labelsTimer: ReturnType<typeof setTimeout> | undefined;
  private labelsText: string | null = null;
  private labelsFromTextarea = false;
  private readonly presets = new PresetFollower();
  /** Relevance on the shipped model, where the dense heads never find background, until a setting is chosen. */
  private readonly settingFollower = new ShippedChoice<SegmentSetting>(
    { method: 'naclip', refine: false, backgroundMode: 'none' },
    SHIPPED_SEGMENT,
    (x) => `${x.method} ${x.refine} ${x.backgroundMode}`,
  );

  constructor() {
    super();
    new SharedModelController(this);
  }

  /** Shows a bundled sample image by name (e.g. "cat"). */
  async showSample(name: string): Promise<void> {
    const s = this.samples.find((x) => x.name === name);
    if (!s) return;
    this.setShown({ input: await sampleCanvas(s.url), preview: s.url, name: s.name });
  }

  /** Labels and template of a world preset, or the element's own (null). */
  usePreset(preset: WorldPreset | null): void {
    this.labels = [...(preset?.labels ?? DEFAULT_LABELS)];
    this.template = preset?.template ?? DEFAULT_TEMPLATE;
  }

  /** Resolves once the segmentation of the current inputs is in (or the error is shown). */
  settled(): Promise<void> {
    return this.request.settled();
  }

  /** The overlay with its legend below, as a PNG. */
  async exportPng(): Promise<Blob> {
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>('canvas[part="overlay"]');
    const r = this.result;
    if (!canvas || !r) throw new ClipError('input', 'Nothing to export yet: the segmentation is not ready.');
    const pad = 12,
      line = 20;
    const entries = legendEntries(r);
    const out = Object.assign(document.createElement('canvas'), {
      width: Math.max(canvas.width + 2 * pad, 240),
      height: pad + canvas.height + 8 + entries.length * line + pad,
    });
    const ctx = out.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, pad, pad);
    ctx.font = '600 13px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    entries.forEach((e, i) => {
      const y = pad + canvas.height + 8 + i * line;
      ctx.fillStyle = e.colour ?? '#cbd5e1';
      ctx.fillRect(pad, y + 3, 14, 14);
      ctx.fillStyle = '#1f2937';
      ctx.fillText(`${e.name}  ${(100 * e.share).toFixed(1)}%`, pad + 22, y + 10, out.width - pad * 2 - 22);
    });
    return new Promise((resolve, reject) =>
      out.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'),
    );
  }

  // ---- reacting to changes ------------------------------------------------------------------------

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('model')) {
      const shipped = isShippedModel(this.model);
      const next = this.presets.next(shipped, isPresetLabels(this.labels, DEFAULT_LABELS));
      if (next) this.usePreset(next === 'defaults' ? null : next);
      const setting = this.settingFollower.next(shipped, {
        method: this.method,
        refine: this.refine,
        backgroundMode: this.backgroundMode,
      });
      if (setting) {
        this.method = setting.method;
        this.refine = setting.refine;
        this.backgroundMode = setting.backgroundMode;
        this.threshold = setting.method === 'relevance' ? SHIPPED_SEGMENT_SHARE : DEFAULT_THRESHOLD;
      }
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
    const gpu = ['model', 'labels', 'template', 'method', 'truncate', 'refine', 'shown', 'backgroundMode'];
    if (gpu.some((k) => changed.has(k)) || (changed.has('backgroundLabel') && this.backgroundMode === 'label'))
      this.run();
    else if (changed.has('threshold') && this.backgroundMode === 'threshold') this.remask();
  }

  override updated(changed: Map<string, unknown>): void {
    if (['result', 'opacity', 'base'].some((k) => changed.has(k))) this.paint();
  }

  private setShown(next: ShownImage | null): void {
    if (this.shown?.objectUrl) URL.revokeObjectURL(this.shown.objectUrl);
    this.shown = next;
    this.image = next?.input ?? null;
    this.result = null;
    this.segmentation = null;
    this.base = null;
    this.hover = null;
    this.error = null;
    emit(this, 'clip-image-change', { name: next?.name ?? null });
  }

  private showError(e: unknown): void {
    this.error = errorDetail(e);
    emit(this, 'clip-error', this.error);
  }

  private currentLabels(): string[] {
    return [...new Set(this.labels.map((p) => p.trim()).filter(Boolean))];
  }

  /** Queues a segmentation of the current inputs; a newer request makes older ones stale. */
  private run(): void {
    const model = this.model,
      shown = this.shown;
    const labels = this.currentLabels();
    const { method, truncate, refine, backgroundMode, template } = this;
    const backgroundLabel = this.backgroundLabel.trim();
    if (!model || !shown || labels.length === 0 || (backgroundMode === 'label' && !backgroundLabel)) {
      this.request.cancel();
      return;
    }
    this.request.run(async (current) => {
      const t0 = performance.now();
      // Each label is encoded once per model and template: a method switch is one vision pass.
      const label = backgroundMode === 'label' ? backgroundLabel : undefined;
      const names = label === undefined ? labels : [...labels, label];
      const { embeds } = await this.embeddings.labels(model, names, [template], truncate);
      if (!current()) return;
      // Relevance makes background of its own (a share of the best map): "none" asks for a label everywhere.
      const background = label ?? (method === 'relevance' && backgroundMode === 'none' ? 0 : undefined);
      const s = await model.segment(shown.input, labels, { method, background, embeddings: embeds, refine });
      if (!current()) return;
      this.runs++;
      this.segmentation = s;
      void this.loadBase(shown, s, current);
      this.publish(performance.now() - t0);
    });
  }

  /** The threshold moved: a new mask from the same logits, no GPU. */
  private remask(): void {
    if (this.segmentation) this.publish(this.result?.ms ?? 0);
  }

  private publish(ms: number): void {
    const s = this.segmentation!;
    const t = Math.min(1, Math.max(0, Number(this.threshold) || 0));
    const relevance = s.method === 'relevance';
    const thresholded = this.backgroundMode === 'threshold' && (s.labels.length > 1 || relevance);
    // The maps the mask is chosen from: refined at the image's pixels (refine), or on the grid.
    const [maps, size] = s.refined ? [s.refined.maps, s.refined.size] : [s.logits, s.grid];
    const mask = thresholded
      ? labelMask(maps, s.labels.length, size, s.image, {
          ...(relevance ? { share: t } : { threshold: t }),
          logitScale: SEGMENT_LOGIT_SCALE,
        })
      : s.mask;
    this.result = relevance
      ? { ...s, mask, relevanceShare: thresholded ? t : s.relevanceShare, ms }
      : { ...s, mask, background: thresholded ? { threshold: t } : s.background, ms };
    this.error = null;
    emit(this, 'clip-segment', this.result);
  }

  /** The shown image's pixels at the size the overlay is drawn. */
  private async loadBase(shown: ShownImage, s: Segmentation, current: () => boolean): Promise<void> {
    const { width, height } = drawSize(s.image);
    if (this.base && this.base.width === width && this.base.height === height) return;
    try {
      const source = await drawableOf(shown);
      if (!current() || shown !== this.shown) return;
      const c = Object.assign(document.createElement('canvas'), { width, height });
      const ctx = c.getContext('2d', { willReadFrequently: true })!;
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, width, height);
      ctx.drawImage(source, 0, 0, width, height);
      this.base = ctx.getImageData(0, 0, width, height);
    } catch (e) {
      this.showError(e);
    }
  }

  /** The image with each pixel's label colour blended in (background left as it is). CPU only. */
  private paint(): void {
    const base = this.base,
      r = this.result;
    const canvas = this.renderRoot.querySelector<HTMLCanvasElement>('canvas[part="overlay"]');
    if (!base || !r || !canvas) return;
    const { width: W, height: H } = r.image;
    const a = Math.min(1, Math.max(0, Number(this.opacity) || 0));
    const colours = r.labels.map((_, i) => rgb(seriesColour(i)));
    const out = new ImageData(new Uint8ClampedArray(base.data), base.width, base.height);
    for (let y = 0; y < base.height; y++) {
      const my = Math.min(H - 1, Math.floor(((y + 0.5) * H) / base.height));
      for (let x = 0; x < base.width; x++) {
        const l = r.mask[my * W + Math.min(W - 1, Math.floor(((x + 0.5) * W) / base.width))];
        if (l === BACKGROUND) continue;
        const c = colours[l];
        const k = (y * base.width + x) * 4;
        for (let ch = 0; ch < 3; ch++) out.data[k + ch] = Math.round((1 - a) * base.data[k + ch] + a * c[ch]);
      }
    }
    canvas.getContext('2d')!.putImageData(out, 0, 0);
  }

  // ---- user input ---------------------------------------------------------------------------------

  /** A method, Fit or background chosen by the user: the shipped model's setting is followed no more. */
  private choose(setting: Partial<SegmentSetting>): void {
    this.settingFollower.chosen();
    Object.assign(this, setting);
  }

  private onLabelsInput(e: Event): void {
    const text = (e.target as HTMLTextAreaElement).value;
    this.labelsText = text;
    clearTimeout(this.labelsTimer);
    this.labelsTimer = setTimeout(() => {
      this.labelsFromTextarea = true;
      this.labels = text
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean);
    }, 300);
  }

  private onPointer(e: PointerEvent, r: SegmenterResult): void {
    const rect = (e.currentTarget as HTMLElement).getBoundingClientRect();
    const x = Math.min(
      r.image.width - 1,
      Math.max(0, Math.floor(((e.clientX - rect.left) / rect.width) * r.image.width)),
    );
    const y = Math.min(
      r.image.height - 1,
      Math.max(0, Math.floor(((e.clientY - rect.top) / rect.height) * r.image.height)),
    );
    if (x !== this.hover?.x || y !== this.hover?.y) this.hover = { x, y };
  }

  private async download(): Promise<void> {
    try {
      const blob = await this.exportPng();
      const url = URL.createObjectURL(blob);
      const a = Object.assign(document.createElement('a'), { href: url, download: 'segmentation.png' });
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
      emit(this, 'clip-segment-export', { bytes: blob.size });
    } catch (e) {
      this.showError(e);
    }
  }

  // ---- rendering ----------------------------------------------------------------------------------

  override render() {
    const about = METHODS.find((m) => m.method === this.method)?.about ?? '';
    return html`
      <div part="base" class="layout">
        <section class="panel controls-panel" aria-labelledby="labels-title">
          <h3 id="labels-title"><label for="labels">Labels</label> <span class="muted small">one per line</span></h3>
          <textarea id="labels" part="labels" rows="4" spellcheck="false" .value=${this.labelsText ?? this.labels.join('\n')}
            @input=${this.onLabelsInput}></textarea>
          <fieldset part="methods" class="methods">
            <legend class="field-label">Method</legend>
            <div class="segmented">
              ${METHODS.map(
                (m) => html`
                <label part="method ${m.method === this.method ? 'method-active' : ''}" class="segment">
                  <input type="radio" name="method" value=${m.method} .checked=${m.method === this.method} @change=${() => this.choose({ method: m.method })}>
                  <span>${m.label}</span>
                </label>`,
              )}
            </div>
            <p class="muted small about">${about}</p>
            <label part="refine" class="check">
              <input type="checkbox" .checked=${this.refine} @change=${(e: Event) => this.choose({ refine: (e.target as HTMLInputElement).checked })}>
              <span>Fit to the image (PAMR: the maps refined by the pixels, as SCLIP)</span>
            </label>
          </fieldset>
          <label class="field"><span class="field-label">Background</span>
            <select part="background-mode" aria-label="Background" @change=${(e: Event) => this.choose({ backgroundMode: (e.target as HTMLSelectElement).value as BackgroundMode })}>
              <option value="none" ?selected=${this.backgroundMode === 'none'}>None</option>
              <option value="label" ?selected=${this.backgroundMode === 'label'}>A label of its own</option>
              <option value="threshold" ?selected=${this.backgroundMode === 'threshold'}>${this.method === 'relevance' ? 'A share of the best map' : 'A probability threshold'}</option>
            </select>
          </label>
          ${this.backgroundMode === 'label' ? this.renderBackgroundLabel() : nothing}
          ${this.backgroundMode === 'threshold' ? this.renderThreshold() : nothing}
          <label class="field"><span class="field-label">Opacity</span>
            <span class="slider">
              <input part="opacity" type="range" min="0" max="1" step="0.05" .value=${String(this.opacity)} aria-label="Label colour opacity"
                @input=${(e: Event) => (this.opacity = Number((e.target as HTMLInputElement).value))}>
              <output>${Math.round(Number(this.opacity) * 100)}%</output>
            </span>
          </label>
        </section>

        <section class="panel view-panel" aria-labelledby="view-title">
          <h3 id="view-title">A label per pixel ${this.busy ? html`<span class="spinner" aria-label="working"></span>` : nothing}</h3>
          ${this.error ? this.renderError(this.error) : nothing}
          ${this.renderStage()}
          ${this.renderLegend()}
          ${this.renderFooter()}
        </section>
      </div>`;
  }

  private renderBackgroundLabel() {
    return html`<label class="field"><span class="field-label">Background label</span>
      <input part="background-label" type="text" .value=${this.backgroundLabel} aria-label="Background label"
        @change=${(e: Event) => (this.backgroundLabel = (e.target as HTMLInputElement).value)}>
    </label>`;
  }

  private renderThreshold() {
    return html`<label class="field"><span class="field-label">Threshold</span>
      <span class="slider">
        <input part="threshold" type="range" min="0" max="1" step="0.05" .value=${String(this.threshold)} aria-label="Probability threshold"
          @input=${(e: Event) => (this.threshold = Number((e.target as HTMLInputElement).value))}>
        <output>${Number(this.threshold).toFixed(2)}</output>
      </span>
      <span class="muted small">${
        this.method === 'relevance'
          ? 'Background where the best label’s weighted relevance is below this share of the image’s best.'
          : `Background where the best label’s probability (softmax of ${SEGMENT_LOGIT_SCALE} × cosine) is lower.`
      }</span>
    </label>`;
  }

  private renderError(err: SegmenterError) {
    const tooLong = err.code === 'input' && /tokens long/.test(err.message) && !this.truncate;
    return html`<div part="error" class="error" role="alert">
      ${err.message}
      ${tooLong ? html`<div><button class="link" type="button" @click=${() => (this.truncate = true)}>Cut long labels to 77 tokens</button></div>` : nothing}
      ${reloadOffer(err, this)}
    </div>`;
  }

  private renderStage() {
    const shown = this.shown,
      r = this.result;
    const size = r ? drawSize(r.image) : null;
    return html`
      <div part="drop-zone" class="stage ${this.dragging ? 'dragging' : ''} ${shown ? 'has-image' : ''}"
        role=${shown ? nothing : 'button'} tabindex=${shown ? nothing : '0'} aria-label=${shown ? nothing : 'Drop or choose an image'}
        @click=${() => !this.shown && this.input.pick()} @keydown=${(e: KeyboardEvent) => !this.shown && (e.key === 'Enter' || e.key === ' ') && this.input.pick()}
        @dragover=${this.input.onDragOver} @dragleave=${this.input.onDragLeave} @drop=${this.input.onDrop}>
        ${
          shown
            ? html`<div class="frame" @pointerleave=${(e: PointerEvent) => e.pointerType === 'mouse' && ((this.hover = null))}>
              ${
                r && size
                  ? html`<canvas part="overlay" class=${Math.max(size.width, size.height) < 200 ? 'pixelated' : ''} width=${size.width} height=${size.height}
                    role="img" aria-label=${`${r.method} segmentation of the image into ${r.labels.length} labels`}
                    @pointermove=${(e: PointerEvent) => this.onPointer(e, r)} @pointerdown=${(e: PointerEvent) => this.onPointer(e, r)}></canvas>
                    ${this.renderCellHover(r)}`
                  : html`<img src=${shown.preview} alt=${shown.name}><div class="pending"><span class="spinner" aria-label="working"></span></div>`
              }
            </div>`
            : html`<div class="placeholder">
              <svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 5h16v14H4z M4 15l4-4 5 5 3-3 4 4" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"/><circle cx="15.5" cy="9" r="1.6" fill="currentColor"/></svg>
              <span><strong>Drop an image</strong>, or click to choose</span>
            </div>`
        }
        ${this.dragging && shown ? html`<div class="drop-hint">Drop to segment this image</div>` : nothing}
      </div>`;
  }

  /** The grid cell under the pointer: [row, col]. */
  private hoverCell(r: SegmenterResult): [number, number] | null {
    if (!this.hover) return null;
    const [gh, gw] = r.grid;
    return [
      Math.min(gh - 1, Math.floor((this.hover.y * gh) / r.image.height)),
      Math.min(gw - 1, Math.floor((this.hover.x * gw) / r.image.width)),
    ];
  }

  private renderCellHover(r: SegmenterResult) {
    const cell = this.hoverCell(r);
    if (!cell) return nothing;
    const [gh, gw] = r.grid;
    return html`<div part="cell-hover" class="cell-hover"
      style="left:${(100 * cell[1]) / gw}%;top:${(100 * cell[0]) / gh}%;width:${100 / gw}%;height:${100 / gh}%"></div>`;
  }

  private renderLegend() {
    const r = this.result;
    if (!r) return nothing;
    const hovered = this.hover ? r.mask[this.hover.y * r.image.width + this.hover.x] : null;
    const cell = this.hoverCell(r);
    const cells = r.grid[0] * r.grid[1];
    const readout = cell
      ? `row ${cell[0] + 1}, col ${cell[1] + 1}: ${hovered === BACKGROUND ? 'background' : r.labels[hovered!]} · ` +
        r.labels.map((l, i) => `${l} ${r.logits[i * cells + cell[0] * r.grid[1] + cell[1]].toFixed(3)}`).join(' · ')
      : `Hover the image to read the label and each label’s ${r.method === 'relevance' ? 'weighted relevance' : 'cosine'} there.`;
    return html`
      <ul part="legend" class="legend" aria-label="Colour legend">
        ${legendEntries(r).map(
          (e) => html`<li part="legend-item" class=${e.index === hovered ? 'hovered' : ''}>
            <span class="swatch ${e.colour ? '' : 'background'}" style=${e.colour ? `background:${e.colour}` : ''}></span>
            <span>${e.name}</span><span class="share">${(100 * e.share).toFixed(1)}%</span>
          </li>`,
        )}
      </ul>
      <p part="readout" class="readout ${cell ? '' : 'muted'}">${readout}</p>`;
  }

  private renderFooter() {
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
    const r = this.result;
    const views = r && r.windows.length > 1 ? `${r.windows.length} windows` : 'whole image';
    return html`
      <div class="under-stage">
        ${samples}
        <span class="spacer"></span>
        <button part="choose" type="button" @click=${this.input.pick}>Choose image…</button>
        <button part="export" type="button" ?disabled=${!r || this.busy} @click=${this.download}>Export PNG</button>
        <input id="file" type="file" accept="image/*" hidden @change=${this.input.onPick}>
      </div>
      ${!this.model ? html`<p class="empty muted">Load a model to segment an image.</p>` : nothing}
      ${
        r
          ? html`<p part="meta" class="meta muted small">
        ${METHODS.find((m) => m.method === r.method)?.label} · ${r.grid[0]} × ${r.grid[1]} patches, ${views} · ${r.labels.length}
        ${r.labels.length === 1 ? 'label' : 'labels'} · ${Math.round(r.ms)} ms</p>`
          : nothing
      }`;
  }
}

/** The legend's rows: each label with its colour and share of the pixels, then the background if any. */
function legendEntries(r: SegmenterResult): { index: number; name: string; colour: string | null; share: number }[] {
  const count = new Map<number, number>();
  for (const v of r.mask) count.set(v, (count.get(v) ?? 0) + 1);
  const n = r.mask.length;
  const rows: { index: number; name: string; colour: string | null; share: number }[] = r.labels.map((name, i) => ({
    index: i,
    name,
    colour: seriesColour(i),
    share: (count.get(i) ?? 0) / n,
  }));
  const name = r.background
    ? 'label' in r.background
      ? `background (${r.background.label})`
      : `background (p < ${r.background.threshold})`
    : r.relevanceShare
      ? `background (< ${r.relevanceShare} of the best)`
      : null;
  if (name) rows.push({ index: BACKGROUND, name, colour: null, share: (count.get(BACKGROUND) ?? 0) / n });
  return rows;
}

/** Overlay size: the image's size, at most DRAW_SIZE on the long side. */
function drawSize(image: { width: number; height: number }): { width: number; height: number } {
  const s = Math.min(1, DRAW_SIZE / Math.max(image.width, image.height));
  return { width: Math.max(1, Math.round(image.width * s)), height: Math.max(1, Math.round(image.height * s)) };
}

/** '#rrggbb' -> [r, g, b]. */
function rgb(hex: string): [number, number, number] {
  const v = Number.parseInt(hex.slice(1), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

if (!customElements.get('clip-segmenter')) customElements.define('clip-segmenter', ClipSegmenter);

declare global {
  interface HTMLElementTagNameMap {
    'clip-segmenter': ClipSegmenter;
  }
}
